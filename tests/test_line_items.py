"""table_candidates: list-of-model fields read from generated PDFs, asserted item by item, field by field."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

import docextract.coerce
from docextract.document import Document
from docextract.layout.tables import detect_tables
from docextract.options import ExtractOptions
from docextract.result import Candidate
from docextract.schema import TableSpec, spec_from_model
from docextract.schemas.invoice import Invoice
from tests.support.tablegen import Col, PageSpec, load, write_pdf


class _Parsed:
    def __init__(self, value: Any, raw: str) -> None:
        self.value, self.raw, self.start, self.end, self.quality, self.currency = value, raw, 0, len(raw), 1.0, None


def _fallback_parse(text: str, kind: str, *, enum_values: Any = (), languages: Any = None) -> _Parsed | None:
    """Only while docextract.coerce.parse has not landed: enough for the numbers and ISO dates here."""
    if kind == "date":
        m = re.search(r"\d{4}-\d{2}-\d{2}", text)
        return _Parsed(dt.date.fromisoformat(m.group()), m.group()) if m else None
    m = re.search(r"-?\d[\d.,]*", text)
    if not m:
        return None
    num = m.group()
    if "," in num and (num.rfind(",") > num.rfind(".")):
        num = num.replace(".", "").replace(",", ".")
    else:
        num = num.replace(",", "")
    return _Parsed(Decimal(num), m.group())


@pytest.fixture(autouse=True)
def _coerce(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    if not hasattr(docextract.coerce, "parse"):
        monkeypatch.setattr(docextract.coerce, "parse", _fallback_parse, raising=False)
    yield


def _analyze(doc: Document) -> Document:
    for page in doc.pages:
        page.tables = detect_tables(page)
    return doc


def _items(cands: list[Candidate], path: str = "line_items") -> list[dict[str, Any]]:
    out: dict[int, dict[str, Any]] = {}
    for c in cands:
        m = re.fullmatch(rf"{path}\[(\d+)\]\.(\w+)", c.path)
        assert m, c.path
        out.setdefault(int(m.group(1)), {})[m.group(2)] = c.value
    assert sorted(out) == list(range(len(out))), "item indexes are dense"
    return [out[i] for i in sorted(out)]


def _run(doc: Document, table: TableSpec) -> list[Candidate]:
    from docextract.tiers.rules.tables.candidates import table_candidates

    cands, _ = table_candidates(_analyze(doc), table, ExtractOptions())
    return cands


LINE_ITEMS = spec_from_model(Invoice).table("line_items")
COLS = [Col(50, 250), Col(300, 340, right=True), Col(360, 440, right=True), Col(460, 540, right=True)]


def _num(x: Any) -> Decimal:
    return Decimal(str(x))


def _assert_items(got: list[dict[str, Any]], want: list[tuple[str, str, str, str]]) -> None:
    assert len(got) == len(want), got
    for item, (desc, qty, price, total) in zip(got, want, strict=True):
        assert item["description"] == desc
        assert _num(item["quantity"]) == Decimal(qty)
        assert _num(item["unit_price"]) == Decimal(price)
        assert _num(item["line_total"]) == Decimal(total)


def test_ruled_invoice_table_with_wrapped_description(tmp_path: Path) -> None:
    assert LINE_ITEMS is not None
    spec = PageSpec(COLS, ["Description", "Qty", "Unit price", "Amount"], [
        ["Widget A", "2", "10.00", "20.00"],
        [["Consulting services for the new", "migration project phase two"], "3", "100.00", "300.00"],
        ["Cable", "10", "1.50", "15.00"],
    ], ruled=True, after=[("Subtotal", "335.00"), ("Total", "335.00")])
    cands = _run(load(write_pdf(tmp_path / "a.pdf", [spec])), LINE_ITEMS)
    _assert_items(_items(cands), [
        ("Widget A", "2", "10.00", "20.00"),
        ("Consulting services for the new migration project phase two", "3", "100.00", "300.00"),
        ("Cable", "10", "1.50", "15.00"),
    ])
    for c in cands:
        assert 0.0 < c.score <= 1.0 and c.source == "rules"
        (ev,) = c.evidence
        assert ev.page == 0 and ev.box is not None and ev.text == c.raw
    qty0 = next(c for c in cands if c.path == "line_items[0].quantity")
    assert qty0.score >= 0.9, "qty x price = total confirms the row"


def test_unruled_wrap_joined_and_indented_note_dropped(tmp_path: Path) -> None:
    assert LINE_ITEMS is not None
    cols = [Col(50, 250), Col(300, 340, right=True), Col(360, 440, right=True), Col(460, 540, right=True)]
    spec = PageSpec(cols, ["Item", "Quantity", "Price", "Total"], [
        ["Annual maintenance contract for", "1", "1200.00", "1200.00"],
        ["the production line, site B", "", "", ""],
        ["Spare belt", "4", "25.00", "100.00"],
    ])
    cands = _run(load(write_pdf(tmp_path / "b.pdf", [spec])), LINE_ITEMS)
    _assert_items(_items(cands), [
        ("Annual maintenance contract for the production line, site B", "1", "1200.00", "1200.00"),
        ("Spare belt", "4", "25.00", "100.00"),
    ])


def test_three_pages_repeated_headers_and_carried_forward(tmp_path: Path) -> None:
    assert LINE_ITEMS is not None
    header = ["Bezeichnung", "Menge", "Einzelpreis", "Betrag"]
    want: list[tuple[str, str, str, str]] = []
    pages = []
    n = 0
    carried = Decimal(0)
    for p in range(3):
        rows: list[list[str | list[str]]] = []
        if p:
            rows.append(["Übertrag", "", "", f"{carried:.2f}".replace(".", ",")])
        for _ in range(4):
            n += 1
            qty, price = n, Decimal(n) * Decimal("1.25")
            total = qty * price
            carried += total
            rows.append([f"Artikel {n}", str(qty), f"{price:.2f}".replace(".", ","), f"{total:.2f}".replace(".", ",")])
            want.append((f"Artikel {n}", str(qty), f"{price:.2f}", f"{total:.2f}"))
        after = [("Zwischensumme", f"{carried:.2f}".replace(".", ","))] if p < 2 else [
            ("Summe netto", f"{carried:.2f}".replace(".", ",")), ("MwSt 19%", "1,00")]
        pages.append(PageSpec(COLS, header, rows, after=after, before=[f"Seite {p + 1} von 3"]))
    cands = _run(load(write_pdf(tmp_path / "c.pdf", pages)), LINE_ITEMS)
    _assert_items(_items(cands), want)
    pages_seen = sorted({c.evidence[0].page or 0 for c in cands})
    assert pages_seen == [0, 1, 2]


def test_french_headers_decimal_commas(tmp_path: Path) -> None:
    assert LINE_ITEMS is not None
    spec = PageSpec(COLS, ["Désignation", "Qté", "Prix unitaire", "Montant HT"], [
        ["Ramette papier A4", "5", "4,20", "21,00"],
        ["Stylos bleus", "12", "0,85", "10,20"],
    ], ruled=True, after=[("Total HT", "31,20")])
    cands = _run(load(write_pdf(tmp_path / "d.pdf", [spec])), LINE_ITEMS)
    _assert_items(_items(cands), [("Ramette papier A4", "5", "4.20", "21.00"), ("Stylos bleus", "12", "0.85", "10.20")])


def test_wrong_arithmetic_lowers_the_row(tmp_path: Path) -> None:
    assert LINE_ITEMS is not None
    spec = PageSpec(COLS, ["Description", "Qty", "Unit price", "Amount"], [
        ["Good row", "2", "10.00", "20.00"],
        ["Odd row", "2", "10.00", "25.00"],
    ])
    cands = {c.path: c for c in _run(load(write_pdf(tmp_path / "e.pdf", [spec])), LINE_ITEMS)}
    assert cands["line_items[1].line_total"].score < cands["line_items[0].line_total"].score - 0.2
    assert cands["line_items[1].line_total"].score < 0.8


class Transaction(BaseModel):
    date: dt.date | None = None
    description: str | None = None
    amount: Decimal | None = None
    balance: Decimal | None = None


class BankStatement(BaseModel):
    account: str | None = None
    transactions: list[Transaction] = []


def test_custom_bank_statement_schema(tmp_path: Path) -> None:
    table = spec_from_model(BankStatement).table("transactions")
    assert table is not None
    cols = [Col(50, 110), Col(130, 330), Col(380, 450, right=True), Col(470, 540, right=True)]
    spec = PageSpec(cols, ["Date", "Details", "Amount", "Balance"], [
        ["Opening balance", "", "", "1000.00"],
        ["2024-03-01", "Salary March", "2500.00", "3500.00"],
        ["2024-03-03", "Rent", "-900.00", "2600.00"],
        ["2024-03-07", "Groceries market", "-54.30", "2545.70"],
        ["Closing balance", "", "", "2545.70"],
    ])
    items = _items(_run(load(write_pdf(tmp_path / "bank.pdf", [spec])), table), "transactions")
    assert [(i["date"], i["description"], _num(i["amount"]), _num(i["balance"])) for i in items] == [
        (dt.date(2024, 3, 1), "Salary March", Decimal("2500.00"), Decimal("3500.00")),
        (dt.date(2024, 3, 3), "Rent", Decimal("-900.00"), Decimal("2600.00")),
        (dt.date(2024, 3, 7), "Groceries market", Decimal("-54.30"), Decimal("2545.70")),
    ]


class POItem(BaseModel):
    sku: str | None = None
    description: str | None = None
    qty: int | None = None
    price: Decimal | None = None


class PurchaseOrder(BaseModel):
    items: list[POItem] = []


def test_custom_purchase_order_schema(tmp_path: Path) -> None:
    table = spec_from_model(PurchaseOrder).table("items")
    assert table is not None
    cols = [Col(50, 120), Col(140, 360), Col(400, 440, right=True), Col(470, 540, right=True)]
    spec = PageSpec(cols, ["SKU", "Description", "Qty", "Price"], [
        ["AB-100", "Hex bolts M8", "200", "0.12"],
        ["CD-220", "Washers 8 mm", "400", "0.03"],
    ], ruled=True)
    items = _items(_run(load(write_pdf(tmp_path / "po.pdf", [spec])), table), "items")
    assert [(i["sku"], i["description"], int(i["qty"]), _num(i["price"])) for i in items] == [
        ("AB-100", "Hex bolts M8", 200, Decimal("0.12")), ("CD-220", "Washers 8 mm", 400, Decimal("0.03")),
    ]


def test_no_matching_table_is_reported(tmp_path: Path) -> None:
    assert LINE_ITEMS is not None
    spec = PageSpec(COLS, ["Foo", "Bar", "Baz", "Qux"], [["a", "1", "2", "3"], ["b", "4", "5", "6"]])
    from docextract.tiers.rules.tables.candidates import table_candidates

    cands, issues = table_candidates(_analyze(load(write_pdf(tmp_path / "f.pdf", [spec]))), LINE_ITEMS,
                                     ExtractOptions())
    assert cands == []
    assert [i.code for i in issues] == ["table_not_found"]


def _scores(cands: list[Candidate]) -> dict[str, float]:
    return {c.path: c.score for c in cands}


def test_stacked_header_ruled_cells_keep_notes_out(tmp_path: Path) -> None:
    """A three-line header in one ruled band; cells holding a second line that is a note ("Date: …")."""
    assert LINE_ITEMS is not None
    header = [["Line", "", "", "Unit", "Line"], ["no", "Item", "Qty", "price", "amount"],
              ["", "description", "", "", ""]]
    cols = [Col(50, 70), Col(90, 300), Col(320, 360, right=True), Col(380, 440, right=True), Col(460, 540, right=True)]
    spec = PageSpec(cols, header, [
        ["1", ["Support service", "Period: 01/2024"], "1", "60.00", "60.00"],
        ["2", ["Paper supplies", "Date: 2024-01-05"], "3", "10.00", "30.00"],
        ["3", "Phone call", "1", "5.00", "5.00"],
    ], ruled=True)
    cands = _run(load(write_pdf(tmp_path / "s.pdf", [spec])), LINE_ITEMS)
    _assert_items(_items(cands), [("Support service", "1", "60.00", "60.00"), ("Paper supplies", "3", "10.00", "30.00"),
                                  ("Phone call", "1", "5.00", "5.00")])
    s = _scores(cands)
    assert s["line_items[2].description"] >= 0.8
    assert s["line_items[0].line_total"] >= 0.9


def test_interleaved_sub_lines_do_not_split_the_table(tmp_path: Path) -> None:
    """Reference lines under each item (more than a few, in their own column), a bullet note, boxed spacing,
    and a priced "Subtotal" line of a sub-line hierarchy, which is an item."""
    assert LINE_ITEMS is not None
    cols = [Col(50, 110), Col(130, 300), Col(320, 360, right=True), Col(380, 440, right=True),
            Col(460, 540, right=True)]
    rows: list[list[str | list[str]]] = []
    want = []
    for n, (name, qty, price) in enumerate([("Laser printer", 2, 300), ("Ink printer", 3, 150),
                                           ("Subtotal hardware", 1, 1050), ("Toner", 3, 120)]):
        total = qty * price
        rows.append([f"Cust: {n}", name, str(qty), f"{price:.2f}", f"{total:.2f}"])
        rows.extend([[ref, "", "", "", ""] for ref in (f"98765{n}", "Supplier no:", f"12345{n}", f"8888{n} (GTIN)")])
        rows.append(["", f"• Details: about {name}", "", "", ""])
        want.append((name, str(qty), f"{price:.2f}", f"{total:.2f}"))
    spec = PageSpec(cols, ["References", "Description", "Qty", "Price", "Amount"], rows, row_gap=2)
    doc = _analyze(load(write_pdf(tmp_path / "sub.pdf", [spec])))
    assert len([t for t in doc.pages[0].tables if t.header_rows]) == 1, "one table, not fragments"
    cands = _run(doc, LINE_ITEMS)
    _assert_items(_items(cands), want)  # type: ignore[arg-type]
    assert all(not str(i["description"]).startswith("•") for i in _items(cands))


def test_description_does_not_swallow_a_note_but_joins_a_wrap(tmp_path: Path) -> None:
    """Unruled: a short description followed by "Serial no: …" keeps its text; a description that ran to the
    column's edge and goes on under it is joined (the next word did not fit)."""
    assert LINE_ITEMS is not None
    cols = [Col(50, 200), Col(300, 340, right=True), Col(360, 440, right=True), Col(460, 540, right=True)]
    spec = PageSpec(cols, ["Description", "Qty", "Unit price", "Amount"], [
        ["Tablet", "1", "399.00", "399.00"],
        ["Serial no: SD7731", "", "", ""],
        ["Leather slim cover for the tablet", "1", "69.99", "69.99"],
        ["in black", "", "", ""],
        ["Power adapter", "2", "14.99", "29.98"],
    ])
    cands = _run(load(write_pdf(tmp_path / "n.pdf", [spec])), LINE_ITEMS)
    _assert_items(_items(cands), [("Tablet", "1", "399.00", "399.00"),
                                  ("Leather slim cover for the tablet in black", "1", "69.99", "69.99"),
                                  ("Power adapter", "2", "14.99", "29.98")])
    s = _scores(cands)
    assert s["line_items[0].description"] < s["line_items[2].description"], "a note under it leaves doubt"
    assert s["line_items[1].description"] < s["line_items[2].description"], "joined lines leave doubt"


def test_composite_description_is_not_sure(tmp_path: Path) -> None:
    assert LINE_ITEMS is not None
    spec = PageSpec(COLS, ["Description", "Qty", "Unit price", "Amount"], [
        ["Design (hours): sample work", "1", "160.00", "160.00"], ["Balloons", "400", "0.79", "316.00"]])
    s = _scores(_run(load(write_pdf(tmp_path / "c.pdf", [spec])), LINE_ITEMS))
    assert s["line_items[0].description"] < 0.8 <= s["line_items[1].description"]


def test_continuation_page_with_a_column_fewer(tmp_path: Path) -> None:
    """Page 1 names a header-only column (references on lines of their own); page 2 goes on without a
    header and without that column, its last item wrapping in a narrow description column."""
    assert LINE_ITEMS is not None
    cols = [Col(50, 70), Col(80, 120), Col(150, 230), Col(300, 340, right=True), Col(360, 440, right=True),
            Col(460, 540, right=True)]
    p1 = PageSpec(cols, ["Pos", "Ref", "Description", "Qty", "Price", "Amount"], [
        ["1", "", "Base fare", "1", "3.90", "3.90"], ["", "A-1", "", "", "", ""],
        ["2", "", "Waiting time", "2", "1.00", "2.00"]], top=700)
    p2 = PageSpec(cols, None, [["3", "", ["City ride - 2.00", "per kilometre"], "6", "2.00", "12.00"]], top=60)
    cands = _run(load(write_pdf(tmp_path / "cont.pdf", [p1, p2])), LINE_ITEMS)
    _assert_items(_items(cands), [("Base fare", "1", "3.90", "3.90"), ("Waiting time", "2", "1.00", "2.00"),
                                  ("City ride - 2.00 per kilometre", "6", "2.00", "12.00")])


def test_doubtful_ocr_word_lowers_its_cell(tmp_path: Path) -> None:
    assert LINE_ITEMS is not None
    spec = PageSpec(COLS, ["Description", "Qty", "Unit price", "Amount"], [
        ["Laser printer B/W", "2", "300.00", "600.00"], ["Toner", "3", "120.00", "360.00"]])
    doc = load(write_pdf(tmp_path / "o.pdf", [spec]))
    for w in doc.pages[0].words:
        w.confidence = 0.62 if w.text == "B/W" else 0.97  # as an OCR engine would report them
    s = _scores(_run(doc, LINE_ITEMS))
    assert s["line_items[0].description"] < 0.8 <= s["line_items[1].description"]
