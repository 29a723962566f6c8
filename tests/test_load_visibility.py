"""Hidden text never reaches Page.words: each hiding trick lands in hidden_words, its visible neighbour stays."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pymupdf
import pytest
from PIL import Image

from docextract.load import open_document
from docextract.load.textlayer import garbage_reason
from docextract.options import ExtractOptions

OPTS = ExtractOptions()


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (40, 10), (0, 120, 0)).save(buf, "PNG")
    return buf.getvalue()


def _white(p: pymupdf.Page) -> None:
    p.insert_text((72, 200), "IBANWHITE", fontsize=12, color=(1, 1, 1))


def _near_white(p: pymupdf.Page) -> None:
    p.insert_text((72, 200), "IBANWHITE", fontsize=12, color=(0.97, 0.97, 0.97))


def _mode3(p: pymupdf.Page) -> None:
    p.insert_text((72, 200), "IBANWHITE", fontsize=12, render_mode=3)


def _transparent(p: pymupdf.Page) -> None:
    p.insert_text((72, 200), "IBANWHITE", fontsize=12, fill_opacity=0)


def _tiny(p: pymupdf.Page) -> None:
    p.insert_text((72, 200), "IBANWHITE", fontsize=1.5)


def _off_page(p: pymupdf.Page) -> None:
    p.insert_text((700, 200), "IBANWHITE", fontsize=12)


def _under_rect(p: pymupdf.Page) -> None:
    p.insert_text((72, 200), "IBANWHITE", fontsize=12)
    p.draw_rect(pymupdf.Rect(70, 185, 200, 205), color=None, fill=(1, 1, 1))


def _under_image(p: pymupdf.Page) -> None:
    p.insert_text((72, 200), "IBANWHITE", fontsize=12)
    p.insert_image(pymupdf.Rect(70, 185, 200, 205), stream=_png(), keep_proportion=False)


HIDERS: dict[str, Callable[[pymupdf.Page], None]] = {
    "white": _white,
    "near-white": _near_white,
    "render mode 3": _mode3,
    "transparent": _transparent,
    "tiny": _tiny,
    "off page": _off_page,
    "under a filled rectangle": _under_rect,
    "under an image": _under_image,
}


@pytest.mark.parametrize("trick", sorted(HIDERS))
def test_hidden_text_goes_to_hidden_words(tmp_path: Path, trick: str) -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_text((72, 100), "Visible Invoice DE02120300000000202051", fontsize=12)
    HIDERS[trick](page)
    page.insert_text((72, 300), "After the trick", fontsize=12)
    path = tmp_path / "hidden.pdf"
    doc.save(path)
    p = open_document(path, OPTS).pages[0]
    words = [w.text for w in p.words]
    assert "IBANWHITE" not in words
    assert "IBANWHITE" in [w.text for w in p.hidden_words]
    assert {"Visible", "Invoice", "DE02120300000000202051", "After"} <= set(words)
    assert p.text_layer_usable


def test_white_text_on_dark_bar_is_visible(tmp_path: Path) -> None:
    doc = pymupdf.open()
    page = doc.new_page()
    page.draw_rect(pymupdf.Rect(60, 80, 400, 110), color=None, fill=(0.1, 0.2, 0.5))
    page.insert_text((72, 100), "Header on a bar", fontsize=12, color=(1, 1, 1))
    page.draw_rect(pymupdf.Rect(60, 130, 400, 160), color=None, fill=(0.9, 0.9, 0.9))
    page.insert_text((72, 150), "Shaded row text", fontsize=12)
    path = tmp_path / "bar.pdf"
    doc.save(path)
    p = open_document(path, OPTS).pages[0]
    assert [w.text for w in p.words] == ["Header", "on", "a", "bar", "Shaded", "row", "text"]
    assert p.hidden_words == []


def test_hidden_chars_inside_a_word_are_split_out(tmp_path: Path) -> None:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 100), "Account DE12", fontsize=12)
    x = 72 + pymupdf.get_text_length("Account DE12", fontsize=12)
    page.insert_text((x, 100), "99", fontsize=12, color=(1, 1, 1))
    x += pymupdf.get_text_length("99", fontsize=12)
    page.insert_text((x, 100), "3456 end", fontsize=12)
    path = tmp_path / "mixed.pdf"
    doc.save(path)
    p = open_document(path, OPTS).pages[0]
    visible = [w.text for w in p.words]
    assert "99" not in "".join(visible)
    assert "DE123456" in visible and "99" in [w.text for w in p.hidden_words]


def test_garbage_layers_detected(tmp_path: Path) -> None:
    assert garbage_reason(["Rechnung", "Nr.", "2024-17", "Datum", "01.02.2024", "Summe", "1.234,56", "€"]) is None
    assert garbage_reason(["\ufffd\ufffd\ufffd", "\ue012\ue013", "ok"]) == "garbage: unmapped glyphs"
    assert garbage_reason(["#$%&", "*()!", "@@@", "^^^", "~~~~", "|||", "++", "--", "a"]) == "garbage: mostly symbols"
    assert garbage_reason(list("Rechnungsnummer")) == "garbage: mostly single characters"

    doc = pymupdf.open()
    page = doc.new_page()
    for i, ch in enumerate("Rechnungsnummer Gesamtbetrag"):
        page.insert_text((72 + i * 14, 100), ch, fontsize=11)
    path = tmp_path / "spaced.pdf"
    doc.save(path)
    p = open_document(path, OPTS).pages[0]
    assert not p.text_layer_usable and p.text_layer_reason == "garbage: mostly single characters"
    assert p.text_source == "none"
