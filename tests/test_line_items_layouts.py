"""table_candidates on the harder item layouts: no header row, items on two lines under a two-line
header, a boxed table whose boxes a scan lost (OCR-like words), and quantities printed with a unit."""

from __future__ import annotations

import random
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from docextract.document import Box, Document, Page, Word
from docextract.layout.tables import detect_tables
from docextract.options import ExtractOptions
from docextract.result import Candidate
from docextract.schema import spec_from_model
from docextract.schemas.invoice import Invoice
from docextract.tiers.rules.tables.candidates import table_candidates
from tests.support.tablegen import Col, PageSpec, load, write_pdf

LINE_ITEMS = spec_from_model(Invoice).table("line_items")
W, H = 595.0, 842.0


def _run(doc: Document) -> list[Candidate]:
    assert LINE_ITEMS is not None
    for page in doc.pages:
        page.tables = detect_tables(page)
    cands, _ = table_candidates(doc, LINE_ITEMS, ExtractOptions())
    return cands


def _items(cands: list[Candidate]) -> list[dict[str, Any]]:
    out: dict[int, dict[str, Any]] = {}
    for c in cands:
        m = re.fullmatch(r"line_items\[(\d+)\]\.(\w+)", c.path)
        assert m, c.path
        out.setdefault(int(m.group(1)), {})[m.group(2)] = c.value
    return [out[i] for i in sorted(out)]


def _score(cands: list[Candidate], path: str) -> float:
    return next(c.score for c in cands if c.path == path)


def _dec(x: Any) -> Decimal:
    return Decimal(str(x))


def test_headerless_table_columns_from_content(tmp_path: Path) -> None:
    cols = [Col(50, 250), Col(300, 330, right=True), Col(360, 440, right=True), Col(460, 540, right=True)]
    spec = PageSpec(cols, None, [
        ["Hosting plan basic", "2", "15.00", "30.00"],
        ["Domain renewal", "1", "12.50", "12.50"],
        ["Backup storage", "3", "4.00", "12.00"],
    ], before=["Invoice 2024-17", "Thank you for your order."], after=[("Total", "54.50")])
    cands = _run(load(write_pdf(tmp_path / "h.pdf", [spec])))
    got = _items(cands)
    assert [(g["description"], _dec(g["quantity"]), _dec(g["unit_price"]), _dec(g["line_total"])) for g in got] == [
        ("Hosting plan basic", Decimal(2), Decimal("15.00"), Decimal("30.00")),
        ("Domain renewal", Decimal(1), Decimal("12.50"), Decimal("12.50")),
        ("Backup storage", Decimal(3), Decimal("4.00"), Decimal("12.00")),
    ]
    # No header says what the text is: below a header-mapped description; the arithmetic confirms numbers.
    assert _score(cands, "line_items[0].description") < 0.8
    assert _score(cands, "line_items[0].line_total") >= 0.8


def test_headerless_items_with_indented_breakdown(tmp_path: Path) -> None:
    cols = [Col(60, 300), Col(460, 540, right=True)]
    spec = PageSpec(cols, None, [["Compute service", "$1.87"], ["      Charges", "$1.87"], ["      Tax", "$0.00"],
                                 ["Storage service", "$2.22"], ["      Charges", "$2.22"], ["      Tax", "$0.00"]])
    cands = _run(load(write_pdf(tmp_path / "j.pdf", [spec])))
    got = _items(cands)
    assert [(g["description"], _dec(g["line_total"])) for g in got] == [
        ("Compute service", Decimal("1.87")), ("Storage service", Decimal("2.22"))]
    assert all(c.score < 0.8 for c in cands), "a lone amount with no header is never sure"


def test_headerless_single_amounts_are_never_sure(tmp_path: Path) -> None:
    # A totals block and a list of charges look alike without a header: whatever is read stays unsure.
    cols = [Col(60, 300), Col(460, 540, right=True)]
    spec = PageSpec(cols, None, [["Charges", "$4.11"], ["Credits", "$0.00"], ["Tax", "$0.00"],
                                 ["Total for this invoice", "$4.11"]])
    cands = _run(load(write_pdf(tmp_path / "t.pdf", [spec])))
    assert all(c.score < 0.8 for c in cands)
    assert not any(c.value == "Total for this invoice" for c in cands)


def test_two_line_items_under_two_line_header(tmp_path: Path) -> None:
    cols = [Col(40, 110), Col(130, 300), Col(320, 380, right=True), Col(400, 460, right=True),
            Col(480, 550, right=True)]
    spec = PageSpec(cols, [["GTIN", "Art-Nr", "Menge", "Nettopreis", "Betrag"],
                           ["", "Artikelbezeichnung", "", "", ""]], [
        ["4012345000017", ["WA997", "Wirkarbeit HT"], "100 kWh", "0,0520", "5,20"],
        ["4012345000024", ["K4322", "Kopierpapier A4"], "12 Stk.", "1,5000", "18,00"],
        ["4012345000031", ["FB05", "Faltenbeutel 16x6x28 cm"], "30 Stk.", "0,1000", "3,00"],
    ])
    got = _items(_run(load(write_pdf(tmp_path / "k.pdf", [spec]))))
    assert [(g["description"], _dec(g["quantity"]), _dec(g["line_total"])) for g in got] == [
        ("Wirkarbeit HT", Decimal(100), Decimal("5.20")),
        ("Kopierpapier A4", Decimal(12), Decimal("18.00")),
        ("Faltenbeutel 16x6x28 cm", Decimal(30), Decimal("3.00")),
    ]


def test_unit_beside_quantity(tmp_path: Path) -> None:
    cols = [Col(50, 250), Col(280, 340, right=True), Col(360, 440, right=True), Col(460, 540, right=True)]
    spec = PageSpec(cols, ["Description", "Qty", "Unit price", "Amount"], [
        ["Power", "10 KWH", "0.30", "3.00"],
        ["Boxes", "2 Stk", "4.00", "8.00"],
        ["Tape", "3 PCE", "1.10", "3.30"],
    ])
    cands = _run(load(write_pdf(tmp_path / "u.pdf", [spec])))
    assert [_dec(g["quantity"]) for g in _items(cands)] == [10, 2, 3]
    assert _score(cands, "line_items[1].quantity") >= 0.8


def _ocr_words(rng: random.Random) -> list[Word]:
    """A boxed invoice table as OCR reads a scan of it: no ruling, words jittered, cell borders read as
    "|" stuck to the words, header labels staggered over three lines, two labels misread."""
    out: list[Word] = []

    def put(x: float, y: float, text: str) -> None:
        for token in text.split():
            dx, dy = rng.uniform(-1.0, 1.0), rng.uniform(-1.3, 1.3)
            w = 4.6 * len(token)
            out.append(Word(token, Box((x + dx) / W, (y + dy) / H, (x + dx + w) / W, (y + dy + 8) / H), 0.93))
            x += w + 3.0

    def right(x1: float, y: float, text: str) -> None:
        put(x1 - 4.6 * len(text) - 3.0 * text.count(" "), y, text)

    put(60, 300, "CADRE DE FACTURATION : A1")
    put(300, 300, "N° BON DE LIVRAISON : DESPADV002")
    put(300, 312, "DATE DE LIVRAISON : 28/01/2022")
    # Header cells set on one, two or three lines (a boxed header row), two of them misread.
    put(60, 350, "Ligne|")
    put(60, 360, "FACT|")
    put(110, 355, "|NOM & DESIGNATION")
    put(300, 350, "P.U. HT")
    put(300, 360, "(EUR)|")
    put(370, 355, "0tè|")
    put(430, 345, "TOTAL")
    put(430, 355, "aay")
    put(430, 365, "(EUR)")
    put(500, 355, "TVA")
    body = [("1", "PRESTATION SUPPORT", "60,00|", "1,00", "60,00|", "0,00%"),
            ("2", "FOURNITURES PAPIER", "30,00|", "3,00", "90,00|", "20,00%"),
            ("3", "APPEL", "7,00|", "1,00", "7,00|", "20,00%")]
    y = 395.0
    for pos, desc, price, qty, total, vat in body:
        put(66, y, pos)
        put(110, y - 8, "#ligne BC: " + pos)  # a reference note in the item's box, above its line
        put(110, y, "|" + desc)
        right(350, y, price)
        right(410, y, qty)
        right(480, y, total)
        right(540, y, vat)
        y += 40  # boxed items: wide gaps
    return out


def test_boxed_table_scanned_without_its_boxes() -> None:
    for seed in range(4):
        page = Page(index=0, width=W, height=H, words=_ocr_words(random.Random(seed)), text_source="ocr:test",
                    has_images=True)
        doc = Document(path=Path("scan.png"), sha256="0", kind="image", pages=[page])
        cands = _run(doc)
        got = _items(cands)
        assert [(g["description"], _dec(g["quantity"]), _dec(g["unit_price"]), _dec(g["line_total"]))
                for g in got] == [
            ("PRESTATION SUPPORT", Decimal(1), Decimal("60.00"), Decimal("60.00")),
            ("FOURNITURES PAPIER", Decimal(3), Decimal("30.00"), Decimal("90.00")),
            ("APPEL", Decimal(1), Decimal("7.00"), Decimal("7.00")),
        ], seed


def test_ocr_read_descriptions_are_trusted_less_than_text_layer_ones() -> None:
    def description_score(confidence: float) -> float:
        words = _ocr_words(random.Random(0))
        for w in words:
            w.confidence = confidence
        page = Page(index=0, width=W, height=H, words=words, text_source="ocr:test" if confidence < 1 else "pdf")
        doc = Document(path=Path("t.pdf"), sha256="0", kind="pdf", pages=[page])
        return _score(_run(doc), "line_items[0].description")

    # The same table, the same words: read by OCR even at 0.99 word confidence, the text is less sure.
    assert description_score(0.99) < description_score(1.0) * 0.99
