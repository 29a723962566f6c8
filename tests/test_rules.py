"""The rules tier through the whole pipeline, on invoices and forms drawn by examples.invoicegen."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import BaseModel, Field

import docextract
from examples.invoicegen import Style, random_invoice, render_form, render_invoice

CASES = [
    (1, "de", Style()),
    (2, "fr", Style(placement="above", font="times")),
    (3, "nl", Style(columns=2, font="courier", ruled=False)),
    (4, "en", Style(colon=False)),
    (5, "es", Style(placement="above", font="courier", ruled=False)),
    (6, "it", Style(columns=2, font="times")),
]


@pytest.mark.parametrize(("seed", "lang", "style"), CASES)
def test_invoice_fields(tmp_path: Path, seed: int, lang: str, style: Style) -> None:
    data = random_invoice(seed, lang=lang)
    pdf = tmp_path / "inv.pdf"
    pdf.write_bytes(render_invoice(data, style))
    res = docextract.extract(pdf, schema="Invoice")
    f = res.fields
    assert f["invoice_number"].value == data.number
    assert f["issue_date"].value == data.issue_date
    assert f["due_date"].value == data.due_date
    assert f["buyer.name"].value == data.buyer.name
    assert f["iban"].value == data.iban
    assert f["seller.vat_id"].value.replace(" ", "") == data.seller.vat_id
    for key, want in (("total_net", data.total_net), ("total_tax", data.total_tax),
                      ("total_gross", data.total_gross), ("amount_due", data.total_gross)):
        assert Decimal(str(f[key].value)) == want, key
    for key in ("invoice_number", "issue_date", "total_gross", "iban"):
        assert f[key].confidence >= 0.8, key
        source = f[key].source
        assert source is not None and "rules" in source
        ev = f[key].evidence[0]
        assert ev.page == 0 and ev.box is not None
        assert all(0.0 <= c <= 1.0 for c in ev.box)
    assert f["currency"].value == data.currency


def test_long_table_across_pages_keeps_totals(tmp_path: Path) -> None:
    data = random_invoice(11, lang="de")
    data.lines = data.lines * 8
    pdf = tmp_path / "long.pdf"
    pdf.write_bytes(render_invoice(data, Style(rows_per_page=12)))
    res = docextract.extract(pdf, schema="Invoice")
    assert len(res.pages) >= 2
    # "Übertrag" subtotals repeat on each page; the grand total is the largest, at the end.
    assert Decimal(str(res.fields["total_gross"].value)) == data.total_gross
    assert res.fields["total_gross"].evidence[0].page == len(res.pages) - 1


class PurchaseOrder(BaseModel):
    po_number: str
    order_date: dt.date
    supplier: str
    total: Decimal


class BankStatement(BaseModel):
    account_holder: str
    iban: str
    statement_date: dt.date
    opening_balance: Decimal
    closing_balance: Decimal


@pytest.mark.parametrize("style", [Style(), Style(placement="above"), Style(columns=2, colon=False)])
def test_custom_purchase_order(tmp_path: Path, style: Style) -> None:
    pairs = [("PO Number", "PO-88213"), ("Order date", "2024-05-17"), ("Supplier", "Nordwind Technik GmbH"),
             ("Delivery date", "2024-06-01"), ("Total", "1,250.40")]
    pdf = tmp_path / "po.pdf"
    pdf.write_bytes(render_form(pairs, style, title="PURCHASE ORDER"))
    res = docextract.extract(pdf, schema=PurchaseOrder)
    f = res.fields
    assert f["po_number"].value == "PO-88213"
    assert f["order_date"].value == dt.date(2024, 5, 17)
    assert f["supplier"].value == "Nordwind Technik GmbH"
    assert Decimal(str(f["total"].value)) == Decimal("1250.40")
    assert f["po_number"].confidence >= 0.8


def test_custom_bank_statement_de(tmp_path: Path) -> None:
    pairs = [("Kontoinhaber", "Erika Mustermann"), ("IBAN", "DE89 3704 0044 0532 0130 00"),
             ("Auszugsdatum", "31.03.2024"), ("Alter Kontostand", "1.204,55"), ("Neuer Kontostand", "987,10")]
    pdf = tmp_path / "st.pdf"
    pdf.write_bytes(render_form(pairs, Style(), title="Kontoauszug"))
    res = docextract.extract(pdf, schema=BankStatement)
    f = res.fields
    assert f["account_holder"].value == "Erika Mustermann"
    assert f["iban"].value.replace(" ", "") == "DE89370400440532013000"
    assert f["statement_date"].value == dt.date(2024, 3, 31)
    assert Decimal(str(f["opening_balance"].value)) == Decimal("1204.55")
    assert Decimal(str(f["closing_balance"].value)) == Decimal("987.10")


class Ref(BaseModel):
    invoice_number: str = Field(json_schema_extra={"labels": ["Invoice No"]})


def test_conflicting_second_value_lowers_confidence(tmp_path: Path) -> None:
    clean = tmp_path / "clean.pdf"
    clean.write_bytes(render_form([("Invoice No", "A-100"), ("Reference", "xyz")]))
    torn = tmp_path / "torn.pdf"
    torn.write_bytes(render_form([("Invoice No", "A-100"), ("Invoice number", "B-200")]))
    a = docextract.extract(clean, schema=Ref).fields["invoice_number"]
    b = docextract.extract(torn, schema=Ref).fields["invoice_number"]
    assert a.value == "A-100" and a.confidence >= 0.8
    assert b.confidence < a.confidence


def test_label_without_value_gives_nothing_confident(tmp_path: Path) -> None:
    pdf = tmp_path / "blank.pdf"
    pdf.write_bytes(render_form([("Invoice No", "see attached letter"), ("Notes", "none")]))
    res = docextract.extract(pdf, schema=Ref)
    got = res.fields.get("invoice_number")
    assert got is None or got.value is None or got.confidence < 0.8


# ---------------------------------------------------------------------------------------------------------
# Currency without a label, VAT ids by party: pages drawn word by word.


def _page(items: list[tuple[float, float, str]], size: float = 9.5) -> bytes:
    """An A4 page with each text drawn at (x, y) in points."""
    import pymupdf

    doc = pymupdf.open()  # type: ignore[no-untyped-call]
    page = doc.new_page(width=595, height=842)
    for x, y, text in items:
        page.insert_text((x, y), text, fontname="helv", fontsize=size)
    out = doc.tobytes()  # type: ignore[no-untyped-call]
    doc.close()  # type: ignore[no-untyped-call]
    return bytes(out)


def _totals(symbol: str, amounts: list[str]) -> list[tuple[float, float, str]]:
    labels = ("Subtotal", "VAT 20%", "Total", "Amount due")
    rows: list[tuple[float, float, str]] = [(330.0, 600.0 + 15 * i, lab) for i, lab in enumerate(labels)]
    return rows + [(470.0, 600.0 + 15 * i, f"{symbol} {a}") for i, a in enumerate(amounts)]


class Priced(BaseModel):
    invoice_number: str
    currency: str | None = None
    total: Decimal | None = None


@pytest.mark.parametrize(("seed", "lang"), [(41, "de"), (42, "en"), (43, "fr")])
def test_currency_on_every_total_is_sure_without_a_label(tmp_path: Path, seed: int, lang: str) -> None:
    data = random_invoice(seed, lang=lang)
    pdf = tmp_path / "inv.pdf"
    pdf.write_bytes(render_invoice(data, Style()))  # no "Currency:" label; "EUR 1,234.00" on the totals rows
    got = docextract.extract(pdf, schema="Invoice").fields["currency"]
    assert got.value == data.currency
    assert got.confidence >= 0.8


def test_currency_symbols_on_amounts(tmp_path: Path) -> None:
    pdf = tmp_path / "gbp.pdf"  # (base-14 fonts have no "€"; "£" is drawn)
    pdf.write_bytes(_page([(50, 60, "Invoice No: A-1"), *_totals("£", ["100.00", "20.00", "120.00", "120.00"])]))
    got = docextract.extract(pdf, schema=Priced).fields["currency"]
    assert got.value == "GBP" and got.confidence >= 0.8


def test_ambiguous_or_mixed_currencies_are_not_sure(tmp_path: Path) -> None:
    dollar = tmp_path / "usd.pdf"
    dollar.write_bytes(_page([(50, 60, "Invoice No: A-1"), *_totals("$", ["100.00", "20.00", "120.00", "120.00"])]))
    got = docextract.extract(dollar, schema=Priced).fields.get("currency")
    assert got is None or got.value is None or got.confidence < 0.8  # "$": USD, CAD, AUD, …
    mixed = tmp_path / "mixed.pdf"
    items = [(50, 60, "Invoice No: A-1"), *_totals("EUR", ["100.00", "20.00", "120.00", "120.00"]),
             (330, 680, "Paid"), (470, 680, "USD 131.50"), (330, 695, "Fee"), (470, 695, "GBP 3.00")]
    mixed.write_bytes(_page(items))
    got = docextract.extract(mixed, schema=Priced).fields.get("currency")
    assert got is None or got.value is None or got.confidence < 0.8


def _vat_of(res: docextract.ExtractionResult, party: str) -> tuple[str | None, float]:
    got = res.fields.get(f"{party}.vat_id")
    if got is None or got.value is None:
        return None, 0.0
    return str(got.value).replace(" ", ""), got.confidence


@pytest.mark.parametrize(("seller_head", "buyer_head"), [("Seller", "Bill to"), ("Verkäufer", "Rechnungsempfänger"),
                                                         ("Fournisseur", "Adresse du client")])
def test_vat_ids_go_to_the_party_heading_above(tmp_path: Path, seller_head: str, buyer_head: str) -> None:
    # Two columns: each party's block with its own VAT id; the label at the left, the value to its right.
    items = [(50, 60, "INVOICE"), (350, 60, "Invoice No: 2024-77"), (350, 75, "Date: 2024-03-05"),
             (50, 120, seller_head), (50, 135, "Nordwind Technik GmbH"), (50, 150, "Hafenstrasse 3"),
             (50, 165, "10115 Berlin"), (50, 180, "VAT ID: DE136695976"),
             (320, 120, buyer_head), (320, 135, "Maison Dubois SA"), (320, 150, "12 rue de la Paix"),
             (320, 165, "75002 Paris"), (320, 180, "VAT ID: FR40303265045"),
             *_totals("EUR", ["100.00", "20.00", "120.00", "120.00"])]
    pdf = tmp_path / "two.pdf"
    pdf.write_bytes(_page(items))
    res = docextract.extract(pdf, schema="Invoice")
    seller, s_conf = _vat_of(res, "seller")
    buyer, b_conf = _vat_of(res, "buyer")
    assert seller == "DE136695976" and s_conf >= 0.8
    assert buyer == "FR40303265045" and b_conf >= 0.8


def test_vat_ids_without_headings_footer_is_seller_window_is_buyer(tmp_path: Path) -> None:
    items = [(50, 60, "Nordwind Technik GmbH"), (380, 60, "INVOICE"),
             (50, 140, "Maison Dubois SA"), (50, 153, "12 rue de la Paix"), (50, 166, "75002 Paris"),
             (50, 179, "VAT ID: FR40303265045"),
             (350, 140, "Invoice No: 2024-77"), (350, 155, "Date: 2024-03-05"),
             *_totals("EUR", ["100.00", "20.00", "120.00", "120.00"]),
             (50, 800, "Nordwind Technik GmbH · IBAN DE89370400440532013000 · VAT ID DE136695976")]
    pdf = tmp_path / "window.pdf"
    pdf.write_bytes(_page(items))
    res = docextract.extract(pdf, schema="Invoice")
    seller, s_conf = _vat_of(res, "seller")
    buyer, _ = _vat_of(res, "buyer")
    assert seller == "DE136695976" and s_conf >= 0.8
    assert buyer == "FR40303265045"


def test_footer_vat_id_is_not_claimed_by_a_heading_far_above(tmp_path: Path) -> None:
    # The buyer's heading at the top of the same column does not reach the footer's company line.
    items = [(50, 60, "Supplier"), (50, 73, "Nordwind Technik GmbH"), (50, 86, "10115 Berlin"),
             (220, 60, "Customer"), (220, 73, "Maison Dubois SA"), (220, 86, "75002 Paris"),
             (380, 60, "Invoice No: 2024-77"), (380, 75, "Date: 2024-03-05"),
             *_totals("EUR", ["100.00", "20.00", "120.00", "120.00"]),
             (50, 790, "Nordwind Technik GmbH"), (250, 790, "VAT ID: DE136695976")]
    pdf = tmp_path / "footer.pdf"
    pdf.write_bytes(_page(items))
    res = docextract.extract(pdf, schema="Invoice")
    assert _vat_of(res, "seller")[0] == "DE136695976"
    assert _vat_of(res, "buyer")[0] is None
