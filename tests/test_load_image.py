"""Images: one page per frame, sizes from dpi, EXIF orientation, bombs refused fast, corrupt files typed."""

from __future__ import annotations

import struct
import time
import zlib
from pathlib import Path

import pytest
from PIL import Image

from docextract.errors import CorruptImageError, ImageTooLargeError, TooManyPagesError
from docextract.load import open_document
from docextract.load.render import render_page
from docextract.options import ExtractOptions, LimitOptions

OPTS = ExtractOptions()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def test_png_bomb_header_refused_fast(tmp_path: Path) -> None:
    ihdr = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1000)
    path = tmp_path / "bomb.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b""))
    t = time.perf_counter()
    with pytest.raises(ImageTooLargeError, match=r"bomb\.png"):
        open_document(path, OPTS)
    assert time.perf_counter() - t < 1.0


def test_image_over_own_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.png"
    Image.new("L", (300, 300)).save(path)
    with pytest.raises(ImageTooLargeError, match="300x300"):
        open_document(path, ExtractOptions(limits=LimitOptions(max_image_pixels=50_000)))


def test_png_page_size_from_dpi(tmp_path: Path) -> None:
    path = tmp_path / "scan.png"
    Image.new("RGB", (1700, 2200), "white").save(path, dpi=(200, 200))
    doc = open_document(path, OPTS)
    (page,) = doc.pages
    assert (page.width, page.height) == pytest.approx((1700 * 72 / 200, 2200 * 72 / 200))
    assert page.image_dpi == 200 and not page.text_layer_usable
    assert (page.text_source, page.text_layer_reason, page.words) == ("none", "image", [])


def test_unknown_dpi_is_estimated_from_size(tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    Image.new("RGB", (2200, 1650), "white").save(path)
    page = open_document(path, OPTS).pages[0]
    assert page.image_dpi == 200  # long side taken as an 11-inch page
    assert page.width == pytest.approx(11 * 72)


def test_multipage_tiff(tmp_path: Path) -> None:
    path = tmp_path / "fax.tif"
    frames = [Image.new("L", (400 + 100 * i, 500), 255) for i in range(3)]
    frames[0].save(path, save_all=True, append_images=frames[1:], dpi=(100, 100))
    doc = open_document(path, OPTS)
    assert [p.index for p in doc.pages] == [0, 1, 2]
    assert [round(p.width) for p in doc.pages] == [288, 360, 432]
    img = render_page(doc, 2, 100, 50_000_000)
    assert img.size == (600, 500) and img.mode == "L"
    with pytest.raises(TooManyPagesError):
        open_document(path, ExtractOptions(limits=LimitOptions(max_pages=2)))


def test_webp(tmp_path: Path) -> None:
    path = tmp_path / "receipt.webp"
    Image.new("RGB", (300, 600), "white").save(path, "WEBP")
    doc = open_document(path, OPTS)
    assert doc.kind == "image" and len(doc.pages) == 1


def test_jpeg_exif_orientation_applied(tmp_path: Path) -> None:
    img = Image.new("RGB", (400, 200), "white")
    img.paste((255, 0, 0), (0, 0, 50, 50))  # red mark at the stored top-left
    exif = Image.Exif()
    exif[0x0112] = 6  # display rotated 90° clockwise
    path = tmp_path / "phone.jpg"
    img.save(path, exif=exif, dpi=(100, 100), quality=95)
    doc = open_document(path, OPTS)
    page = doc.pages[0]
    assert (page.width, page.height) == pytest.approx((200 * 0.72, 400 * 0.72))
    out = render_page(doc, 0, 100, 50_000_000)
    assert out.size == (200, 400)
    r, g, _ = out.convert("RGB").getpixel((190, 10))  # now at the top-right
    assert r > 200 and g < 80


def test_truncated_png_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "cut.png"
    Image.effect_noise((300, 300), 50).save(path)
    path.write_bytes(path.read_bytes()[:400])
    with pytest.raises(CorruptImageError, match=r"cut\.png"):
        open_document(path, OPTS)


def test_garbage_after_magic_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "bad.jpg"
    path.write_bytes(b"\xff\xd8\xff" + b"\x00garbage" * 50)
    with pytest.raises(CorruptImageError, match=r"bad\.jpg"):
        open_document(path, OPTS)
