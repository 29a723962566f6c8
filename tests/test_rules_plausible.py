"""Plausibility in the rules tier: what a party name, a date, a total or a line item cannot be, each a signal
on the candidate (see docextract/tiers/rules/plausible.py, names.py), on generated pages."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import BaseModel, Field

import docextract
from docextract.options import ExtractOptions
from docextract.result import Candidate
from docextract.tiers.rules.names import name_flags


def _page(lines: list[tuple[float, float, str, float]], path: Path, height: float = 842) -> Path:
    """A text-layer PDF page: (x, y, text, size) per run of text, Helvetica."""
    import pymupdf

    doc = pymupdf.open()  # type: ignore[no-untyped-call]
    page = doc.new_page(width=595, height=height)  # type: ignore[attr-defined]
    for x, y, text, size in lines:
        page.insert_text((x, y), text, fontsize=size, fontname="helv")
    doc.save(path)  # type: ignore[no-untyped-call]
    doc.close()  # type: ignore[no-untyped-call]
    return path


def _receipt(lines: list[str], path: Path) -> Path:
    """A narrow till receipt, courier; "label|amount" puts the amount at the right."""
    runs: list[tuple[float, float, str, float]] = []
    for i, text in enumerate(lines):
        y = 30.0 + 13 * i
        left, _, right = text.partition("|")
        runs.append((14, y, left, 7.0))
        if right:
            runs.append((160, y, right, 7.0))
    import pymupdf

    doc = pymupdf.open()  # type: ignore[no-untyped-call]
    page = doc.new_page(width=230, height=40 + 13 * len(lines))  # type: ignore[attr-defined]
    for x, y, text, size in runs:
        page.insert_text((x, y), text, fontsize=size, fontname="cour")
    doc.save(path)  # type: ignore[no-untyped-call]
    doc.close()  # type: ignore[no-untyped-call]
    return path


def _candidates(path: Path, schema: str | type[BaseModel]) -> list[Candidate]:
    """The rules tier's candidates for every field of ``schema`` on the document at ``path``."""
    from docextract import registry
    from docextract.load import open_document
    from docextract.schema import resolve_schema
    from docextract.tiers.rules.tier import RulesTier

    opts = ExtractOptions()
    doc = open_document(path, opts)
    layout = registry.load("layout", opts.layout)()
    for page in doc.pages:
        layout.analyze(page, doc)
    spec = resolve_schema(schema)
    wanted = {f.path for f in spec.fields} | {t.path for t in spec.tables}
    return RulesTier().extract(doc, spec, wanted, opts).candidates


def _with(cands: list[Candidate], path: str, value: object) -> Candidate:
    return next(c for c in cands if c.path == path and str(c.value) == str(value))


_HEAD = ["SEA BREEZE TRADING SDN BHD", "(CO.REG : 771204-K)", "LOT 12, JALAN MERANTI 4,", "TAMAN BUKIT INDAH,",
         "81200 JOHOR BAHRU, JOHOR", "TEL : 07-555 0192", "TAX INVOICE"]


# ---------------------------------------------------------------------------------------------------------
# Party names


@pytest.mark.parametrize(("text", "signal"), [
    ("Kundenstraße 15", "name_street"), ("Lieferantenstraße 20", "name_street"), ("58 rue de la Paix", "name_street"),
    ("12345 Musterstadt", "name_street"), ("Via Roma 12", "name_street"), ("Kerkstraat 4", "name_street"),
    ("Reg. No. : 725186-V", "name_id"), ("No : SA0099552-P", "name_id"), ("(GST ID No: 000123456789)", "name_id"),
    ("Einkauf ATTN Frau Berg", "name_contact"), ("z. Hd. Herrn Muster", "name_contact"),
    ("Tel. +49 30 1234567", "name_contact"), ("info@example.com", "name_contact"),
    ("Contact Acheteur", "name_label"), ("Buyer line 2", "name_label"), ("Warenempfänger", "name_label"),
    ("Kunde:", "name_label"),
])
def test_what_a_name_is_not(text: str, signal: str) -> None:
    assert signal in name_flags(text)


@pytest.mark.parametrize("text", [
    "MVM Musterhafter Versicherungsverein Musterstadt a.G.", "3M Deutschland GmbH", "Restoran Wan Sheng",
    "7-Eleven Malaysia Sdn Bhd", "Boulangerie de la Gare", "Hans Muster", "Le Fournisseur", "Stadtwerke Musterstadt",
    "De Vries B.V.", "Pizzeria 2000", "Globex Ltd, 12 High Street",
])
def test_names_pass(text: str) -> None:
    assert name_flags(text) == {}


def _buyer_block(path: Path, block: list[str]) -> Path:
    runs = [(50, 60, "Nordwind Handel GmbH", 16), (50, 80, "Hafenweg 3, 20457 Hamburg", 9),
            (50, 150, "Rechnungsempfänger:", 9)]
    runs += [(50, 163 + 13 * i, line, 9) for i, line in enumerate(block)]
    runs += [(350, 150, "Rechnungsnummer: R-2291", 9), (350, 163, "Rechnungsdatum: 05.03.2024", 9)]
    return _page(runs, path)


def test_contact_line_over_the_company_is_not_the_buyer(tmp_path: Path) -> None:
    block = ["Einkauf ATTN Frau Berg", "Muster Handels AG", "Kundenstraße 15", "12345 Musterstadt"]
    res = docextract.extract(_buyer_block(tmp_path / "attn.pdf", block), schema="Invoice")
    assert res.fields["buyer.name"].value == "Muster Handels AG"


def test_person_over_the_company_line_is_a_contact(tmp_path: Path) -> None:
    block = ["Hans Muster", "Muster Handels AG", "Kundenstraße 15", "12345 Musterstadt"]
    cands = _candidates(_buyer_block(tmp_path / "person.pdf", block), "Invoice")
    person = _with(cands, "buyer.name", "Hans Muster")
    company = _with(cands, "buyer.name", "Muster Handels AG")
    assert person.signals.get("name_contact") == 1.0
    assert company.score > person.score
    res = docextract.extract(tmp_path / "person.pdf", schema="Invoice")
    assert res.fields["buyer.name"].value == "Muster Handels AG"


def test_street_line_never_wins_the_seller_when_the_company_line_exists(tmp_path: Path) -> None:
    # No name in the letterhead (a logo would be there): the street line is the tallest text at the top,
    # and the company line is printed in the footer.
    runs = [(50, 60, "Lieferantenstraße 20", 11), (50, 75, "80331 München", 11),
            (50, 150, "Rechnung Nr. R-1187", 12), (50, 170, "Rechnungsdatum: 05.03.2024", 9),
            (50, 800, "Alpenblick Software GmbH · Geschäftsführer: A. Weber · USt-IdNr. DE129273398", 7)]
    path = _page(runs, tmp_path / "street.pdf")
    cands = _candidates(path, "Invoice")
    street = [c for c in cands if c.path == "seller.name" and "straße" in str(c.value)]
    assert all(c.signals.get("name_street") == 1.0 and c.score < 0.5 for c in street)
    res = docextract.extract(path, schema="Invoice")
    assert res.fields["seller.name"].value == "Alpenblick Software GmbH"


def test_a_name_cut_mid_line_is_not_whole(tmp_path: Path) -> None:
    # The name set in two runs with a wide space between them: the layout cuts the line there.
    runs = [(50, 60, "Nordwind Handel GmbH", 16), (50, 150, "Bill to:", 9),
            (50, 163, "MVM Musterhafter", 9), (150, 163, "Versicherungsverein Musterstadt a.G.", 9),
            (50, 176, "Musterweg 1", 9), (50, 189, "12345 Musterstadt", 9)]
    path = _page(runs, tmp_path / "cut.pdf")
    cands = _candidates(path, "Invoice")
    part = _with(cands, "buyer.name", "MVM Musterhafter")
    assert part.signals.get("name_cut") == 1.0
    res = docextract.extract(path, schema="Invoice")
    assert res.fields["buyer.name"].value == "MVM Musterhafter Versicherungsverein Musterstadt a.G."


def test_registration_number_is_neither_the_company_nor_part_of_it(tmp_path: Path) -> None:
    lines = ["SEA BREEZE TRADING SDN BHD (771204-K)", *_HEAD[2:], "23-03-2019 18:22:05", "2 X SOAP BAR|9.40",
             "TOTAL|9.40", "CASH|20.00", "CHANGE|10.60"]
    res = docextract.extract(_receipt(lines, tmp_path / "r.pdf"), schema="Receipt")
    assert res.fields["company"].value == "SEA BREEZE TRADING SDN BHD"
    # A "Company Reg. No." label offers the number as the company: it carries name_id and loses.
    lines = ["COMPANY REG. NO : 725186-V", *_HEAD[:1], *_HEAD[2:], "23-03-2019 18:22:05", "TOTAL|9.40"]
    cands = _candidates(_receipt(lines, tmp_path / "r2.pdf"), "Receipt")
    for c in cands:
        if c.path == "company" and "725186" in str(c.value):
            assert c.signals.get("name_id") == 1.0
            assert c.score < 0.5


def test_receipt_name_over_two_rows_is_joined(tmp_path: Path) -> None:
    lines = ["S.H.H. MOTOR (SUNGAI RENGIT)", "SDN. BHD.", *_HEAD[2:], "23-03-2019 18:22:05", "TOTAL|9.40"]
    cands = _candidates(_receipt(lines, tmp_path / "r.pdf"), "Receipt")
    # The legal form's row reads as the business name; the row over it completes it.
    part = _with(cands, "company", "SDN. BHD.")
    assert part.signals.get("name_cut") == 1.0
    assert _with(cands, "company", "S.H.H. MOTOR (SUNGAI RENGIT) SDN. BHD.").score > part.score
    res = docextract.extract(tmp_path / "r.pdf", schema="Receipt")
    assert res.fields["company"].value == "S.H.H. MOTOR (SUNGAI RENGIT) SDN. BHD."


def test_receipt_address_without_a_date_glued_on(tmp_path: Path) -> None:
    lines = [*_HEAD[:5], "JOHOR 23/03/2019", "", "", "TOTAL|9.40"]
    res = docextract.extract(_receipt(lines, tmp_path / "r.pdf"), schema="Receipt")
    assert res.fields["address"].value == "LOT 12, JALAN MERANTI 4, TAMAN BUKIT INDAH, 81200 JOHOR BAHRU, JOHOR, JOHOR"
    cands = _candidates(tmp_path / "r.pdf", "Receipt")
    assert next(c for c in cands if c.path == "address").signals.get("address_glued") == 1.0


def test_receipt_address_without_the_company_glued_on(tmp_path: Path) -> None:
    # The company's name and registration run into the first address row (a trading name over it).
    lines = ["KEDAI RUNCIT SEA BREEZE", "SEA BREEZE SDN BHD (771204-K) LOT 12,", "JALAN MERANTI 4, TAMAN BUKIT INDAH,",
             "81200 JOHOR BAHRU, JOHOR", "TEL : 07-555 0192", "23-03-2019 18:22:05", "TOTAL|9.40"]
    cands = _candidates(_receipt(lines, tmp_path / "r.pdf"), "Receipt")
    address = next(c for c in cands if c.path == "address")
    assert address.value == "LOT 12, JALAN MERANTI 4, TAMAN BUKIT INDAH, 81200 JOHOR BAHRU, JOHOR"
    assert address.signals.get("address_glued") == 1.0


# ---------------------------------------------------------------------------------------------------------
# Dates


def test_far_future_date_is_not_accepted(tmp_path: Path) -> None:
    # An OCR "1" read as "7": 2078 for 2018.
    lines = [*_HEAD, "23-05-2078 13:58:02  POS01", "2 X SOAP BAR|9.40", "TOTAL|9.40", "CASH|20.00", "CHANGE|10.60"]
    path = _receipt(lines, tmp_path / "r.pdf")
    cands = _candidates(path, "Receipt")
    assert _with(cands, "date", "2078-05-23").signals.get("date_far") == 1.0
    res = docextract.extract(path, schema="Receipt")
    assert res.fields["date"].confidence < 0.8
    # The same receipt dated 2018 is accepted: the check is the date's, not the layout's.
    path = _receipt([*lines[:7], "23-05-2018 13:58:02  POS01", *lines[8:]], tmp_path / "ok.pdf")
    assert docextract.extract(path, schema="Receipt").fields["date"].confidence >= 0.8


@pytest.mark.tesseract
def test_far_future_date_read_by_ocr_is_not_accepted(tmp_path: Path) -> None:
    """The same through OCR, on a receipt image (eng): the date read is 2078, and it is held back."""
    import datetime as dt
    import io

    from PIL import Image

    from examples.invoicegen import random_receipt, render_receipt

    data = random_receipt(4)
    data.date = dt.date(2078, 5, 23)
    path = tmp_path / "receipt.png"
    Image.open(io.BytesIO(render_receipt(data, image=True))).convert("L").save(path, dpi=(200, 200))
    res = docextract.extract(path, schema="Receipt",
                             options=ExtractOptions(ocr=docextract.OcrOptions(langs=("eng",))))
    assert res.fields["date"].value == data.date
    assert res.fields["date"].confidence < 0.8
    assert res.status != "ok"


def test_date_years_from_the_documents_other_dates(tmp_path: Path) -> None:
    runs = [(50, 60, "Nordwind Handel GmbH", 16), (50, 150, "Invoice No: A-2291", 9),
            (50, 163, "Invoice date: 05.03.2031", 9), (50, 176, "Delivery date: 01.03.2024", 9),
            (50, 189, "Due date: 04.04.2024", 9), (50, 202, "Order of 20.02.2024", 9)]
    cands = _candidates(_page(runs, tmp_path / "d.pdf"), "Invoice")
    far = _with(cands, "issue_date", "2031-03-05")
    assert far.signals.get("date_far") == 1.0
    assert far.score < 0.8
    assert "date_far" not in _with(cands, "due_date", "2024-04-04").signals


# ---------------------------------------------------------------------------------------------------------
# Totals


def test_a_tax_row_printed_twice_counts_once(tmp_path: Path) -> None:
    # The breakdown row of the one rate is printed in the totals block and again in a summary under it.
    runs = [(50, 60, "Nordwind Handel GmbH", 16), (50, 150, "Invoice No: A-7", 9),
            (300, 400, "Net total", 9), (480, 400, "45.68", 9),
            (300, 413, "VAT 19% on 45.68", 9), (480, 413, "8.68", 9),
            (300, 440, "Summary", 9),
            (300, 453, "VAT 19% on 45.68", 9), (480, 453, "8.68", 9)]
    res = docextract.extract(_page(runs, tmp_path / "t.pdf"), schema="Invoice")
    assert Decimal(str(res.fields["total_tax"].value)) == Decimal("8.68")


def test_a_summed_tax_twice_a_row_is_marked() -> None:
    from docextract.tiers.rules.context import Raw
    from docextract.tiers.rules.plausible import _doubled

    row = Raw(Decimal("8.68"), "8.68", 0, [], {"label": 1.0})
    summed = Raw(Decimal("17.36"), "8.68 + 8.68", 0, [], {"label": 1.0, "grid_sum": 1.0})
    other = Raw(Decimal("12.40"), "8.68 + 3.72", 0, [], {"label": 1.0, "grid_sum": 1.0})
    _doubled([row, summed, other])
    assert summed.signals.get("tax_double") == 1.0
    assert "tax_double" not in other.signals and "tax_double" not in row.signals


def test_line_amount_under_a_total_column_is_not_the_invoice_total(tmp_path: Path) -> None:
    # The "Total" column header is set a little lower than the others: alone on its row, it reads as a label
    # with the first line's amount under it.
    runs = [(50, 60, "Nordwind Handel GmbH", 16), (50, 150, "Invoice No: A-8", 9),
            (50, 244, "Item", 9), (300, 244, "Quantity", 9), (380, 244, "Unit price", 9), (480, 253, "Total", 9),
            (50, 262, "Consulting", 9), (300, 262, "2", 9), (380, 262, "100.00", 9), (480, 262, "200.00", 9),
            (50, 275, "Travel", 9), (300, 275, "1", 9), (380, 275, "50.00", 9), (480, 275, "50.00", 9)]
    cands = _candidates(_page(runs, tmp_path / "t.pdf"), "Invoice")
    first = _with(cands, "total_gross", "200.00")
    assert first.signals.get("line_amount") == 1.0
    assert first.score < 0.8


def test_sub_total_is_not_the_net_when_a_later_net_exists(tmp_path: Path) -> None:
    runs = [(50, 60, "Nordwind Handel GmbH", 16), (50, 150, "Invoice No: A-9", 9),
            (300, 400, "Subtotal", 9), (480, 400, "250.00", 9), (300, 413, "Discount 10%", 9), (480, 413, "-25.00", 9),
            (300, 426, "Net amount", 9), (480, 426, "225.00", 9), (300, 439, "VAT 20%", 9), (480, 439, "45.00", 9),
            (300, 452, "Total due", 9), (480, 452, "270.00", 9)]
    path = _page(runs, tmp_path / "t.pdf")
    cands = _candidates(path, "Invoice")
    for c in cands:
        if c.path == "total_net" and str(c.value) == "250.00":
            assert c.signals.get("subtotal_early") == 1.0
    res = docextract.extract(path, schema="Invoice")
    assert Decimal(str(res.fields["total_net"].value)) == Decimal("225.00")


def test_receipt_total_contradicting_items_and_change_is_not_accepted(tmp_path: Path) -> None:
    # "TOTAL 1.80" is a misread 18.00: the cash handed over less the change says 18.00 was paid.
    lines = [*_HEAD, "23-03-2019 18:22:05", "1 X BATH TOWEL|12.90", "2 X SOAP BAR|5.10", "TOTAL|1.80",
             "CASH|20.00", "CHANGE|2.00"]
    path = _receipt(lines, tmp_path / "r.pdf")
    cands = _candidates(path, "Receipt")
    assert _with(cands, "total", "1.80").signals.get("total_inconsistent") == 1.0
    res = docextract.extract(path, schema="Receipt")
    assert not (str(res.fields["total"].value) == "1.80" and res.fields["total"].confidence >= 0.8)
    # With no payment printed, an item larger than twice the total gives it away.
    path = _receipt(lines[:-2], tmp_path / "r2.pdf")
    assert _with(_candidates(path, "Receipt"), "total", "1.80").signals.get("total_inconsistent") == 1.0
    # The right total is left alone.
    path = _receipt([*lines[:10], "TOTAL|18.00", *lines[11:]], tmp_path / "r3.pdf")
    res = docextract.extract(path, schema="Receipt")
    assert str(res.fields["total"].value) == "18.00"
    assert res.fields["total"].confidence >= 0.8


def test_receipt_total_without_the_cents_of_every_other_amount(tmp_path: Path) -> None:
    # OCR split "29.70" in two: "TOTAL 29. 70" reads as a total of 70.
    lines = [*_HEAD, "23-03-2019 18:22:05", "1 X BATH TOWEL|12.90", "2 X SOAP BAR|16.80", "TOTAL|29. 70",
             "CASH|50.00"]
    cands = _candidates(_receipt(lines, tmp_path / "r.pdf"), "Receipt")
    assert any(c.path == "total" and c.signals.get("total_no_cents") == 1.0 for c in cands)
    assert all(c.score < 0.8 for c in cands if c.path == "total" and str(c.value) == "70")
    path = _receipt([*lines[:10], "TOTAL|29.70", *lines[11:]], tmp_path / "ok.pdf")
    assert all("total_no_cents" not in c.signals for c in _candidates(path, "Receipt") if c.path == "total")


# ---------------------------------------------------------------------------------------------------------
# Line items


class _Line(BaseModel):
    description: str | None = None
    vat_rate: Decimal | None = Field(None, json_schema_extra={"labels": ["VAT %"], "kind": "percent"})
    quantity: Decimal | None = Field(None, json_schema_extra={"labels": ["Qty"], "kind": "number"})
    unit_price: Decimal | None = Field(None, json_schema_extra={"labels": ["Price"], "kind": "amount"})
    line_total: Decimal | None = Field(None, json_schema_extra={"labels": ["Amount"], "kind": "amount"})


class _Bill(BaseModel):
    invoice_number: str | None = None
    line_items: list[_Line] = Field(default_factory=list)


def test_heading_row_is_not_an_item(tmp_path: Path) -> None:
    # Section headings carry only the section's VAT rate: no quantity, price or amount.
    rows = [("Description", "VAT %", "Qty", "Price", "Amount"),
            ("--- Food ---", "7%", "", "", ""),
            ("Olive oil 1 l", "7%", "2", "8.50", "17.00"),
            ("Bread", "7%", "1", "3.20", "3.20"),
            ("Hardware:", "19%", "", "", ""),
            ("Garden hose 20 m", "19%", "1", "24.90", "24.90"),
            ("Watering can", "19%", "3", "6.00", "18.00")]
    xs = (50, 250, 320, 390, 480)
    runs = [(50, 60, "Nordwind Handel GmbH", 16), (50, 150, "Invoice No: A-10", 9)]
    for i, row in enumerate(rows):
        runs += [(x, 250 + 15 * i, cell, 9) for x, cell in zip(xs, row, strict=True) if cell]
    cands = _candidates(_page(runs, tmp_path / "items.pdf"), _Bill)
    descs = {str(c.value): c for c in cands if c.path.endswith(".description")}
    for heading in ("--- Food ---", "Hardware:"):
        if heading in descs:
            c = descs[heading]
            assert c.signals.get("row_no_numbers") == 1.0
            assert c.score < 0.8
    for item in ("Olive oil 1 l", "Garden hose 20 m"):
        assert "row_no_numbers" not in descs[item].signals
        assert descs[item].score >= 0.8
