"""Parties and layouts without a label beside the value: boxed captions, the address window, receipts."""

from __future__ import annotations

from pathlib import Path

import pytest

import docextract
from examples.invoicegen import Style, random_invoice, random_receipt, render_invoice, render_receipt


@pytest.mark.parametrize(("seed", "lang"), [(41, "fr"), (42, "de"), (43, "es")])
def test_value_over_its_caption_in_boxes(tmp_path: Path, seed: int, lang: str) -> None:
    data = random_invoice(seed, lang=lang)
    pdf = tmp_path / "boxed.pdf"
    pdf.write_bytes(render_invoice(data, Style(boxed=True)))
    res = docextract.extract(pdf, schema="Invoice")
    assert res.fields["invoice_number"].value == data.number
    assert res.fields["issue_date"].value == data.issue_date
    assert res.fields["due_date"].value == data.due_date
    assert res.fields["invoice_number"].confidence >= 0.8


@pytest.mark.parametrize(("seed", "lang"), [(51, "en"), (52, "de"), (53, "nl"), (54, "it")])
def test_buyer_in_the_address_window_and_seller_in_letterhead_and_footer(
    tmp_path: Path, seed: int, lang: str
) -> None:
    data = random_invoice(seed, lang=lang)
    pdf = tmp_path / "window.pdf"
    pdf.write_bytes(render_invoice(data, Style(bill_to_heading=False)))
    res = docextract.extract(pdf, schema="Invoice")
    assert res.fields["buyer.name"].value == data.buyer.name
    assert res.fields["seller.name"].value == data.seller.name
    # (Its confidence is the learned model's; on real invoices such finds are wrong one time in four.)


def test_seller_without_footer_is_less_sure(tmp_path: Path) -> None:
    data = random_invoice(55, lang="en")
    confs = []
    for footer in (True, False):
        pdf = tmp_path / f"f{footer}.pdf"
        pdf.write_bytes(render_invoice(data, Style(footer=footer)))
        res = docextract.extract(pdf, schema="Invoice")
        assert res.fields["seller.name"].value == data.seller.name
        confs.append(res.fields["seller.name"].confidence)
    assert confs[0] > confs[1]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_receipt_drawn_as_pdf(tmp_path: Path, seed: int) -> None:
    data = random_receipt(seed)
    pdf = tmp_path / "receipt.pdf"
    pdf.write_bytes(render_receipt(data))
    res = docextract.extract(pdf, schema="Receipt")
    assert res.fields["company"].value == data.company
    assert res.fields["address"].value == ", ".join(data.address)
    assert res.fields["date"].value == data.date
    # The rounded total, not the total before rounding nor the cash handed over.
    assert str(res.fields["total"].value) == f"{data.total:.2f}"
