"""Totals read jointly: summary grids, tax breakdowns summed over rates, decoys, gross taken from the amount due."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import docextract
from examples.invoicegen import Style, random_invoice, render_form, render_invoice


def _amount(res: docextract.ExtractionResult, path: str) -> Decimal:
    return Decimal(str(res.fields[path].value))


@pytest.mark.parametrize(("seed", "lang"), [(21, "fr"), (22, "de"), (23, "en")])
def test_grid_totals_with_prepayment_decoy(tmp_path: Path, seed: int, lang: str) -> None:
    data = random_invoice(seed, lang=lang)
    data.prepaid = (data.total_gross / 3).quantize(Decimal("0.01"))
    pdf = tmp_path / "grid.pdf"
    pdf.write_bytes(render_invoice(data, Style(totals="grid")))
    res = docextract.extract(pdf, schema="Invoice")
    assert _amount(res, "total_net") == data.total_net
    assert _amount(res, "total_tax") == data.total_tax
    assert _amount(res, "total_gross") == data.total_gross
    # The amount due is the gross less the prepayment: a decoy for the gross, not a rival of it.
    assert _amount(res, "amount_due") == data.amount_due
    assert res.fields["total_gross"].confidence >= 0.8
    # (Net and tax read from a grid: the learned model trusts them, without always accepting them.)
    for path in ("total_net", "total_tax"):
        assert res.fields[path].confidence > 0.5, path


@pytest.mark.parametrize(("seed", "lang"), [(31, "de"), (32, "it"), (33, "nl")])
def test_tax_breakdown_rows_are_summed(tmp_path: Path, seed: int, lang: str) -> None:
    data = random_invoice(seed, lang=lang)
    data.reduced_lines = 1
    assert len(data.tax_breakdown) == 2
    pdf = tmp_path / "breakdown.pdf"
    pdf.write_bytes(render_invoice(data, Style(totals="breakdown")))
    res = docextract.extract(pdf, schema="Invoice")
    assert _amount(res, "total_net") == data.total_net
    assert _amount(res, "total_tax") == data.total_tax
    assert _amount(res, "total_gross") == data.total_gross


def test_gross_read_from_amount_due_when_net_and_tax_add_up(tmp_path: Path) -> None:
    pairs = [("Invoice No", "A-2291"), ("Invoice date", "2024-03-05"), ("Net total", "1,200.00"),
             ("VAT total", "228.00"), ("Shipping note", "3 parcels"), ("Due payable", "1,428.00")]
    pdf = tmp_path / "due.pdf"
    pdf.write_bytes(render_form(pairs))
    res = docextract.extract(pdf, schema="Invoice")
    assert _amount(res, "total_gross") == Decimal("1428.00")
    assert _amount(res, "amount_due") == Decimal("1428.00")


def test_inconsistent_totals_are_not_trusted_as_much(tmp_path: Path) -> None:
    def gross_confidence(gross: str) -> float:
        pairs = [("Invoice No", "A-1"), ("Subtotal", "100.00"), ("VAT", "19.00"), ("Total", gross)]
        pdf = tmp_path / f"t{gross}.pdf"
        pdf.write_bytes(render_form(pairs))
        res = docextract.extract(pdf, schema="Invoice")
        assert _amount(res, "total_gross") == Decimal(gross)
        return res.fields["total_gross"].confidence

    assert gross_confidence("119.00") > gross_confidence("129.00") + 0.05


def test_title_line_number_and_date(tmp_path: Path) -> None:
    import pymupdf

    doc = pymupdf.open()  # type: ignore[no-untyped-call]
    page = doc.new_page(width=595, height=842)
    page.insert_text((50, 80), "Handelsrechnung (380) Nr. TX-4711 vom 05.03.2024", fontsize=14)
    page.insert_text((50, 120), "Rechnung gemäß Fahrt vom 01.03.2024", fontsize=10)
    page.insert_text((50, 160), "Gesamtbetrag: 119,00 EUR", fontsize=10)
    pdf = tmp_path / "title.pdf"
    pdf.write_bytes(doc.tobytes())  # type: ignore[no-untyped-call]
    res = docextract.extract(pdf, schema="Invoice")
    assert res.fields["invoice_number"].value == "TX-4711"
    assert res.fields["issue_date"].value.isoformat() == "2024-03-05"


def test_number_glued_to_its_label(tmp_path: Path) -> None:
    import pymupdf

    doc = pymupdf.open()  # type: ignore[no-untyped-call]
    page = doc.new_page(width=595, height=842)
    page.insert_text((50, 80), "Facture n°562044387 du 02/07/2015", fontsize=14)
    pdf = tmp_path / "glued.pdf"
    pdf.write_bytes(doc.tobytes())  # type: ignore[no-untyped-call]
    res = docextract.extract(pdf, schema="Invoice")
    assert res.fields["invoice_number"].value == "562044387"
    assert res.fields["issue_date"].value.isoformat() == "2015-07-02"
