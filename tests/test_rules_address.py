"""Postal addresses of the seller and the buyer: under a heading, in the letterhead, on the return line, in
the window; exactly the printed lines, and unsure finds below the threshold."""

from __future__ import annotations

from pathlib import Path

import pytest

import docextract
from docextract.tiers.rules.address import Piece, kind_of, read_block
from examples.invoicegen import Style, random_invoice, render_invoice
from tests.support.unseen_gen import make_invoice, render


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("10115 Berlin", "locality"), ("D-10115 Berlin", "locality"), ("75008 Paris Cedex 08", "locality"),
        ("1012 AB Amsterdam", "locality"), ("London EC1A 1BB", "locality"), ("EC1A 1BB London", "locality"),
        ("Austin, TX 78701", "locality"), ("1000-001 Lisboa", "locality"), ("00-950 Warszawa", "locality"),
        ("20121 Milano (MI)", "locality"), ("Lindenstraße 12, 50674 Köln", "locality"),
        ("1200 Market Street", "street"), ("Unit 7, 1200 Market Street", "street"), ("Via Roma 21", "street"),
        ("12 rue des Lilas", "street"), ("Calle Mayor 15, 2º", "street"), ("PO Box 123", "street"),
        ("c/o Jane Smith", "street"), ("Postfach 12 34", "street"), ("Suite 400", "street"),
        ("Deutschland", "country"), ("United Kingdom", "country"), ("Deutschland / Germany", "country"),
        ("Tel. 0221 4711-0", "stop"), ("USt-IdNr. DE136695976", "stop"), ("Attn: Jane Doe", "stop"),
        ("info@example.com", "stop"), ("Kundennummer 12345", "stop"), ("GLN 4304171000002", "stop"),
        ("12.03.2024", "stop"), ("+49 221 4711 0", "stop"), ("Accounts Department", "other"),
    ],
)
def test_line_kinds(text: str, kind: str) -> None:
    assert kind_of(text) == kind


def _pieces(*lines: str) -> list[Piece]:
    return [Piece(t, []) for t in lines]


def test_block_ends_at_the_locality_and_its_country() -> None:
    block = read_block(_pieces("12 Market Street", "10115 Berlin", "Germany", "Tel. 030 1234"), ended=False)
    assert block is not None and block.value == "12 Market Street, 10115 Berlin, Germany"
    assert block.complete


def test_block_with_an_unknown_line_is_not_complete() -> None:
    block = read_block(_pieces("Accounts Department", "12 Market Street", "10115 Berlin"), ended=True)
    assert block is not None and block.value == "Accounts Department, 12 Market Street, 10115 Berlin"
    assert not block.complete
    running_on = read_block(_pieces("12 Market Street", "10115 Berlin", "Mitte"), ended=True)
    assert running_on is not None and running_on.value == "12 Market Street, 10115 Berlin"
    assert not running_on.closed


def test_no_locality_no_block() -> None:
    assert read_block(_pieces("12 Market Street", "Tel. 030 1234"), ended=True) is None
    assert read_block(_pieces("10115 Berlin", "75008 Paris"), ended=True) is None  # two addresses run together


def _extract(tmp_path: Path, pdf: bytes) -> docextract.ExtractionResult:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return docextract.extract(path, schema="Invoice")


@pytest.mark.parametrize(("seed", "lang", "heading"), [(61, "en", True), (62, "de", True), (63, "nl", False),
                                                       (64, "fr", False)])
def test_generated_invoice_addresses(tmp_path: Path, seed: int, lang: str, heading: bool) -> None:
    data = random_invoice(seed, lang=lang)
    res = _extract(tmp_path, render_invoice(data, Style(bill_to_heading=heading)))
    seller, buyer = res.fields["seller.address"], res.fields["buyer.address"]
    # The letterhead's one line "12 Market Street · 10115 Berlin" is two address lines.
    assert seller.value == f"{data.seller.street}, {data.seller.city}"
    assert buyer.value == f"{data.buyer.street}, {data.buyer.city}"
    # No labelled invoice gold holds addresses: their confidence comes from the receipts' address model (right
    # a quarter of the time), so only the values are asserted here.


@pytest.mark.parametrize("layout", ["us", "uk", "de_craft", "fr", "es", "it", "credit_note"])
def test_unseen_layout_addresses(tmp_path: Path, layout: str) -> None:
    inv = make_invoice(layout, 5)
    res = _extract(tmp_path, render(inv))
    assert res.fields["seller.address"].value == ", ".join(inv.seller.lines)
    assert res.fields["buyer.address"].value == ", ".join(inv.buyer.lines)
    # No labelled invoice gold holds addresses, so their confidence comes from receipts' model: only the values
    # are asserted here.


def test_window_block_without_anything_over_it_is_unsure(tmp_path: Path) -> None:
    inv = make_invoice("nl", 5)  # the buyer's block sits under the letterhead with no heading nor return line
    res = _extract(tmp_path, render(inv))
    assert res.fields["buyer.address"].value == ", ".join(inv.buyer.lines)
    assert res.fields["buyer.address"].confidence < 0.8


def _page(lines: list[tuple[float, float, str, float]]) -> bytes:
    import pymupdf

    doc = pymupdf.open()  # type: ignore[no-untyped-call]
    page = doc.new_page(width=595, height=842)
    for x, y, text, size in lines:
        page.insert_text((x, y), text, fontname="helv", fontsize=size)
    out = doc.tobytes()  # type: ignore[no-untyped-call]
    doc.close()  # type: ignore[no-untyped-call]
    return bytes(out)


def _invoice_lines(buyer_block: list[str]) -> list[tuple[float, float, str, float]]:
    lines: list[tuple[float, float, str, float]] = [
        (50, 60, "Redwood Supply Co.", 18), (50, 78, "400 Congress Avenue", 9), (50, 90, "Austin, TX 78701", 9),
             (50, 102, "Phone (512) 555-0100", 9), (330, 140, "Invoice No: 4711", 9),
             (330, 154, "Invoice date: 2024-03-01", 9), (50, 140, "Bill to:", 9)]
    lines += [(50, 154 + 13 * i, s, 10) for i, s in enumerate(buyer_block)]
    lines += [(50, 300, "Total: USD 120.00", 10)]
    return lines


def test_attention_and_phone_lines_are_not_the_address(tmp_path: Path) -> None:
    block = ["Kestrel Logistics Ltd", "Attn: Jane Doe", "PO Box 123", "Austin, TX 78701", "Phone: 512 555 0199"]
    res = _extract(tmp_path, _page(_invoice_lines(block)))
    assert res.fields["buyer.address"].value == "PO Box 123, Austin, TX 78701"
    assert res.fields["seller.address"].value == "400 Congress Avenue, Austin, TX 78701"
    assert res.fields["seller.address"].confidence > 0.5  # trusted; addresses are not accepted on layout alone


def test_buyer_without_an_address_block_has_none(tmp_path: Path) -> None:
    res = _extract(tmp_path, _page(_invoice_lines(["Kestrel Logistics Ltd"])))
    assert res.fields["buyer.name"].value == "Kestrel Logistics Ltd"
    assert "buyer.address" not in res.fields or res.fields["buyer.address"].value is None
