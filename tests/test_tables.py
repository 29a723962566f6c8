"""detect_tables: on words built by hand (with OCR-like jitter) and on generated PDFs, ruled and unruled."""

from __future__ import annotations

import random
from pathlib import Path

from docextract.document import Box, Page, Word
from docextract.layout.rows import is_numeric
from docextract.layout.tables import detect_tables
from tests.support.tablegen import Col, PageSpec, load, write_pdf

W, H = 595.0, 842.0


def _words(line_y: float, cells: list[tuple[float, str]], jitter: random.Random | None = None) -> list[Word]:
    """Words of one line; each cell is (x0 in points, text), words 5 pt per char, 9 pt high."""
    out = []
    for x, text in cells:
        for token in text.split():
            dy = jitter.uniform(-1.2, 1.2) if jitter else 0.0
            dx = jitter.uniform(-0.8, 0.8) if jitter else 0.0
            w = 5.0 * len(token)
            out.append(Word(token, Box((x + dx) / W, (line_y + dy) / H, (x + dx + w) / W, (line_y + dy + 9) / H),
                            0.9 if jitter else 1.0))
            x += w + 3.0
    return out


def _right(x1: float, text: str) -> tuple[float, str]:
    return (x1 - 5.0 * len(text), text)


def _invoice_words(jitter: random.Random | None = None) -> list[Word]:
    words = _words(60, [(50, "ACME GmbH"), (400, "Invoice 2024-001")], jitter)
    words += _words(150, [(50, "Description"), (300, "Qty"), (380, "Unit price"), (480, "Amount")], jitter)
    body = [("Blue widget", "2", "10.00", "20.00"), ("Red gadget large", "1", "5.50", "5.50"),
            ("Service hour", "12", "80.00", "960.00")]
    y = 165.0
    for desc, qty, price, amount in body:
        words += _words(y, [(50, desc), _right(320, qty), _right(440, price), _right(530, amount)], jitter)
        y += 12
    words += _words(y + 20, [(380, "Total"), _right(530, "985.50")], jitter)
    return words


def test_unruled_table_from_words() -> None:
    page = Page(index=0, width=W, height=H, words=_invoice_words())
    tables = detect_tables(page)
    assert len(tables) == 1
    t = tables[0]
    assert t.source == "words"
    assert t.header == ["Description", "Qty", "Unit price", "Amount"]
    assert [[c.text for c in r] for r in t.body[:3]] == [
        ["Blue widget", "2", "10.00", "20.00"],
        ["Red gadget large", "1", "5.50", "5.50"],
        ["Service hour", "12", "80.00", "960.00"],
    ]
    # the cell box is where its words are
    assert t.body[2][3].box.x1 == max(w.box.x1 for w in t.body[2][3].words)


def test_ocr_jitter_keeps_rows_and_columns() -> None:
    for seed in range(5):
        page = Page(index=0, width=W, height=H, words=_invoice_words(random.Random(seed)))
        tables = detect_tables(page)
        assert len(tables) == 1, seed
        t = tables[0]
        assert t.header == ["Description", "Qty", "Unit price", "Amount"], seed
        assert [r[2].text for r in t.body[:3]] == ["10.00", "5.50", "80.00"], seed


def test_label_value_block_above_is_not_the_header() -> None:
    words = _words(120, [(50, "Order no:"), (120, "4711")]) + _words(133, [(50, "Customer:"), (120, "99")])
    words += _invoice_words()
    t = detect_tables(Page(index=0, width=W, height=H, words=words))[-1]
    assert t.header == ["Description", "Qty", "Unit price", "Amount"]
    assert t.body[0][0].text == "Blue widget"


def test_no_table_in_prose() -> None:
    words = []
    for i in range(8):
        words += _words(100 + 12 * i, [(50, "This is a plain paragraph of running text without columns")])
    assert detect_tables(Page(index=0, width=W, height=H, words=words)) == []
    assert detect_tables(Page(index=0, width=W, height=H)) == []


def test_is_numeric() -> None:
    for text in ("1.234,50", "€ 399,00", "-3", "19%", "(12.00)", "1 250.00 EUR", "20,00 %"):
        assert is_numeric(text), text
    for text in ("Qty", "A4 paper", "Art-Nr", ""):
        assert not is_numeric(text), text


COLS = [Col(50, 250), Col(300, 340, right=True), Col(360, 440, right=True), Col(460, 540, right=True)]


def test_ruled_pdf_table_groups_wrapped_cells(tmp_path: Path) -> None:
    spec = PageSpec(COLS, ["Description", "Qty", "Unit price", "Amount"], [
        ["Widget A", "2", "10.00", "20.00"],
        [["Consulting services for the new", "migration project phase two"], "3", "100.00", "300.00"],
        ["Cable", "10", "1.50", "15.00"],
    ], ruled=True)
    doc = load(write_pdf(tmp_path / "ruled.pdf", [spec]))
    assert doc.pages[0].ruling, "the loader gives the drawn rules"
    tables = detect_tables(doc.pages[0])
    assert len(tables) == 1
    t = tables[0]
    assert t.source == "ruling"
    assert [[c.text for c in r] for r in t.body] == [
        ["Widget A", "2", "10.00", "20.00"],
        ["Consulting services for the new migration project phase two", "3", "100.00", "300.00"],
        ["Cable", "10", "1.50", "15.00"],
    ]


def test_unruled_pdf_table(tmp_path: Path) -> None:
    spec = PageSpec(COLS, ["Bezeichnung", "Menge", "Einzelpreis", "Betrag"], [
        ["Schrauben M4", "100", "0,05", "5,00"],
        ["Dübel", "50", "0,10", "5,00"],
    ], before=["Muster GmbH", "Rechnung Nr. 17"])
    doc = load(write_pdf(tmp_path / "plain.pdf", [spec]))
    (t,) = detect_tables(doc.pages[0])
    assert t.source == "words"
    assert t.header == ["Bezeichnung", "Menge", "Einzelpreis", "Betrag"]
    assert [[c.text for c in r] for r in t.body] == [
        ["Schrauben M4", "100", "0,05", "5,00"], ["Dübel", "50", "0,10", "5,00"],
    ]


def test_vertical_margin_text_does_not_glue_rows(tmp_path: Path) -> None:
    spec = PageSpec(COLS, ["Description", "Qty", "Unit price", "Amount"], [
        ["Widget A", "2", "10.00", "20.00"], ["Widget B", "1", "5.00", "5.00"], ["Widget C", "4", "1.00", "4.00"],
    ], margin="Copyright example document generator")
    (t,) = [t for t in detect_tables(load(write_pdf(tmp_path / "m.pdf", [spec])).pages[0]) if t.header_rows]
    assert [[c.text for c in r] for r in t.body] == [
        ["Widget A", "2", "10.00", "20.00"], ["Widget B", "1", "5.00", "5.00"], ["Widget C", "4", "1.00", "4.00"]]


def test_stacked_header_lines_are_header_rows(tmp_path: Path) -> None:
    header = [["", "", "Unit", "Line"], ["Description", "Qty", "price", "amount"]]
    spec = PageSpec(COLS, header, [["Widget A", "2", "10.00", "20.00"], ["Widget B", "1", "5.00", "5.00"]])
    (t,) = detect_tables(load(write_pdf(tmp_path / "h.pdf", [spec])).pages[0])
    assert t.header == ["Description", "Qty", "Unit price", "Line amount"]
    assert [r[0].text for r in t.body] == ["Widget A", "Widget B"]
