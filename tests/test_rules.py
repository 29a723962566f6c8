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
    assert b.confidence < 0.8


def test_label_without_value_gives_nothing_confident(tmp_path: Path) -> None:
    pdf = tmp_path / "blank.pdf"
    pdf.write_bytes(render_form([("Invoice No", "see attached letter"), ("Notes", "none")]))
    res = docextract.extract(pdf, schema=Ref)
    got = res.fields.get("invoice_number")
    assert got is None or got.value is None or got.confidence < 0.8
