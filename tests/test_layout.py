"""The heuristic layout: lines split at wide gaps, rows of several columns, skewed OCR words, reading order."""

from __future__ import annotations

from pathlib import Path

from docextract.document import Box, Document, Page, Word
from docextract.layout.heuristic import HeuristicLayout, group_rows, rows_of

W, H = 595.0, 842.0


def word(text: str, x: float, y: float, size: float = 10.0, conf: float = 1.0) -> Word:
    """A word at (x, y) points (top-left), width ~0.55 em per character."""
    width = 0.55 * size * len(text)
    return Word(text, Box(x / W, y / H, (x + width) / W, (y + size) / H), conf)


def phrase(text: str, x: float, y: float, size: float = 10.0, dy_per_word: float = 0.0) -> list[Word]:
    out = []
    for i, t in enumerate(text.split()):
        w = word(t, x, y + i * dy_per_word, size)
        out.append(w)
        x += 0.55 * size * len(t) + 0.3 * size
    return out


def analyze(words: list[Word]) -> Page:
    page = Page(index=0, width=W, height=H, words=words)
    HeuristicLayout().analyze(page, Document(path=Path("t.pdf"), sha256="0", kind="pdf", pages=[page]))
    return page


def test_row_splits_at_wide_gap_into_label_value_columns() -> None:
    words = phrase("Invoice No: 4711", 50, 100) + phrase("Invoice date: 2024-03-01", 320, 100)
    page = analyze(words)
    texts = sorted(ln.text for ln in page.lines)
    assert texts == ["Invoice No: 4711", "Invoice date: 2024-03-01"]
    for ln in page.lines:
        assert ln.box == Box.enclosing(w.box for w in ln.words)


def test_word_spaces_do_not_split_a_line() -> None:
    page = analyze(phrase("Thank you for your business and see you soon", 50, 200))
    assert [ln.text for ln in page.lines] == ["Thank you for your business and see you soon"]


def test_two_column_rows_stay_separate_and_stack_in_blocks() -> None:
    words = []
    for i, (a, b) in enumerate([("Bill to", "Ship to"), ("Kestrel Ltd", "Depot North"), ("1 Road", "9 Lane")]):
        words += phrase(a, 50, 100 + 14 * i) + phrase(b, 330, 100 + 14 * i)
    page = analyze(words)
    assert len(page.lines) == 6
    assert len(page.blocks) == 2
    left, right = page.blocks
    assert left.text.splitlines() == ["Bill to", "Kestrel Ltd", "1 Road"]
    assert right.text.splitlines() == ["Ship to", "Depot North", "9 Lane"]


def test_reading_order_reads_a_column_before_the_next() -> None:
    words = []
    for i in range(4):
        words += phrase(f"left line {i}", 50, 300 + 14 * i)
        words += phrase(f"right line {i}", 330, 300 + 14 * i)
    words += phrase("Footer text across the page", 50, 700)
    page = analyze(words)
    order = [ln.text for ln in page.lines]
    assert order[:4] == [f"left line {i}" for i in range(4)]
    assert order[4:8] == [f"right line {i}" for i in range(4)]
    assert order[-1] == "Footer text across the page"


def test_skewed_ocr_words_form_one_line_each() -> None:
    # A scan rotated by ~1°: each word drifts down by 1.4 pt; lines are 14 pt apart.
    words = []
    for i in range(3):
        words += phrase(f"Item number {i} costs twelve euros fifty cents", 50, 100 + 14 * i, dy_per_word=1.4)
    words = [Word(w.text, Box(w.box.x0, w.box.y0, w.box.x1, w.box.y1 + (0.002 if j % 3 else -0.001)), 0.8)
             for j, w in enumerate(words)]
    rows = group_rows(words)
    assert len(rows) == 3
    assert all(len(r) == 8 for r in rows)
    page = analyze(words)
    assert [ln.text for ln in page.lines] == [f"Item number {i} costs twelve euros fifty cents" for i in range(3)]


def test_tall_title_does_not_merge_lines_beside_it() -> None:
    words = phrase("INVOICE", 50, 100, size=24) + phrase("Acme GmbH", 400, 100) + phrase("Main St 1", 400, 113)
    page = analyze(words)
    rows = rows_of(page.lines)
    assert ["INVOICE", "Acme GmbH"] in [[ln.text for ln in r] for r in rows]
    assert any([ln.text for ln in r] == ["Main St 1"] for r in rows)


def test_empty_page() -> None:
    page = analyze([])
    assert page.lines == [] and page.blocks == []
