"""Evidence boxes point at the page as displayed, also when OCR had to turn or straighten the page to read it."""

from __future__ import annotations

from pathlib import Path

import pytest

import docextract
from docextract.document import Box, Page, Word
from docextract.ocr.pageocr import straighten
from tests.support.ocr_samples import Damage, damage, invoice_pdf, render_pdf, save_image


def _close(a: tuple[float, ...] | Box, b: tuple[float, ...] | Box, tol: float) -> bool:
    return all(abs(x - y) <= tol for x, y in zip(a, b, strict=True))


@pytest.mark.parametrize(
    ("turn", "expected"),
    [(0, Box(0.1, 0.2, 0.3, 0.25)), (90, Box(0.2, 0.7, 0.25, 0.9)), (180, Box(0.7, 0.75, 0.9, 0.8)),
     (270, Box(0.75, 0.1, 0.8, 0.3))],
)
def test_quarter_turns_are_undone(turn: int, expected: Box) -> None:
    page = Page(index=0, width=600, height=800, ocr_rotation=float(turn))
    assert _close(page.displayed_box(Box(0.1, 0.2, 0.3, 0.25)), expected, 1e-9)


def test_straightening_is_undone() -> None:
    box = Box(0.7, 0.8, 0.9, 0.82)
    (moved,) = straighten([Word("x", box)], 3.0, (1200, 1600))
    assert not _close(moved.box, box, 0.005)  # 3° moves a box near the corner visibly
    page = Page(index=0, width=1200, height=1600, ocr_rotation=-3.0)
    assert _close(page.displayed_box(moved.box), box, 1e-6)


@pytest.mark.tesseract
def test_a_turned_scan_gives_boxes_on_the_page_as_displayed(tmp_path: Path) -> None:
    upright = save_image(damage(render_pdf(invoice_pdf(), 200), Damage()), tmp_path / "upright.png", 200)
    # PIL turns counter-clockwise: the displayed page is the upright one turned 90° to the left.
    turned = save_image(damage(render_pdf(invoice_pdf(), 200), Damage(turn=90)), tmp_path / "turned.png", 200)
    options = {"ocr": {"langs": ("eng",), "cache": False}}
    a = docextract.extract(upright, schema="Invoice", **options).fields["total_gross"].evidence[0].box
    b = docextract.extract(turned, schema="Invoice", **options).fields["total_gross"].evidence[0].box
    assert a is not None and b is not None
    x0, y0, x1, y1 = a
    assert _close(b, (y0, 1 - x1, y1, 1 - x0), 0.02)
