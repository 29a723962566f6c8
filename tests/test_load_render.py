"""Rendering: PDF pages at a dpi, upright, within a pixel budget; images resampled only when far off."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest
from PIL import Image

from docextract.errors import PageTooLargeError
from docextract.load import open_document
from docextract.load.render import close_cached, render_page
from docextract.options import ExtractOptions

OPTS = ExtractOptions()


def _pdf(tmp_path: Path, rotate: int = 0, password: str | None = None, size: tuple[int, int] = (600, 800)) -> Path:
    doc = pymupdf.open()
    page = doc.new_page(width=size[0], height=size[1])
    page.draw_rect(pymupdf.Rect(0, 0, 100, 100), color=None, fill=(0, 0, 0))  # black square top-left
    page.insert_text((200, 400), "Render me", fontsize=12)
    if rotate:
        page.set_rotation(rotate)
    path = tmp_path / "r.pdf"
    kw: dict[str, object] = {}
    if password:
        kw = {"encryption": pymupdf.PDF_ENCRYPT_AES_256, "user_pw": password, "owner_pw": "o"}
    doc.save(path, **kw)
    return path


def test_pdf_render_at_dpi(tmp_path: Path) -> None:
    doc = open_document(_pdf(tmp_path), OPTS)
    img = render_page(doc, 0, 144, 50_000_000)
    assert img.size == (1200, 1600) and img.mode in ("RGB", "L")
    assert img.info["dpi"] == (144, 144) and img.info["render_dpi"] == 144
    assert img.convert("L").getpixel((50, 50)) < 30 and img.convert("L").getpixel((600, 50)) > 225
    close_cached()


def test_pdf_render_rotated_upright(tmp_path: Path) -> None:
    doc = open_document(_pdf(tmp_path, rotate=90), OPTS)
    img = render_page(doc, 0, 72, 50_000_000)
    assert img.size == (800, 600)
    # The square at unrotated top-left is displayed top-right after a 90° clockwise turn.
    assert img.convert("L").getpixel((750, 50)) < 30 and img.convert("L").getpixel((50, 50)) > 225


def test_pdf_render_pixel_cap_lowers_dpi(tmp_path: Path) -> None:
    doc = open_document(_pdf(tmp_path), OPTS)
    img = render_page(doc, 0, 300, 1_000_000)
    assert img.width * img.height <= 1_000_000
    assert img.info["render_dpi"] < 300 and img.width == pytest.approx(600 * img.info["render_dpi"] / 72, abs=2)


def test_pdf_render_too_large_even_at_36_dpi(tmp_path: Path) -> None:
    doc = open_document(_pdf(tmp_path, size=(14000, 14000)), OPTS)
    with pytest.raises(PageTooLargeError, match=r"r\.pdf"):
        render_page(doc, 0, 200, 1_000_000)


def test_pdf_render_encrypted_uses_password(tmp_path: Path) -> None:
    doc = open_document(_pdf(tmp_path, password="pw"), ExtractOptions(password="pw"))
    assert render_page(doc, 0, 72, 50_000_000).size == (600, 800)
    close_cached()


def test_image_render_resamples_only_when_far_off(tmp_path: Path) -> None:
    path = tmp_path / "scan.png"
    Image.new("RGB", (1000, 1400), "white").save(path, dpi=(200, 200))
    doc = open_document(path, OPTS)
    same = render_page(doc, 0, 220, 50_000_000)  # within 20%: native pixels
    assert same.size == (1000, 1400) and same.info["render_dpi"] == 200
    up = render_page(doc, 0, 300, 50_000_000)
    assert up.size == (1500, 2100) and up.info["render_dpi"] == 300
    capped = render_page(doc, 0, 300, 1_000_000)
    assert capped.width * capped.height <= 1_000_000 and capped.info["render_dpi"] < 200
