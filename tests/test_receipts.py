"""Receipts: the header (business name, address), the date stamp beside the time, arithmetic-checked totals."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import docextract
from docextract.document import Box, Word
from docextract.options import ExtractOptions, OcrOptions
from docextract.tiers.rules.positional import ocr_doubt
from examples.invoicegen import random_receipt, render_receipt


def _draw(lines: list[tuple[float, str]], path: Path) -> Path:
    """A narrow till receipt as a text-layer PDF: (size, text) per line, centred-ish, courier."""
    import pymupdf

    doc = pymupdf.open()  # type: ignore[no-untyped-call]
    page = doc.new_page(width=230, height=40 + 13 * len(lines))  # type: ignore[attr-defined]
    y = 30.0
    for size, text in lines:
        if "|" in text:  # a label at the left, its amount at the right
            left, right = text.split("|")
            page.insert_text((14, y), left, fontsize=size, fontname="cour")
            page.insert_text((160, y), right, fontsize=size, fontname="cour")
        else:
            page.insert_text((14, y), text, fontsize=size, fontname="cour")
        y += 13
    doc.save(path)  # type: ignore[no-untyped-call]
    doc.close()  # type: ignore[no-untyped-call]
    return path


_HEAD = [(7.0, "kept for claims"), (9.0, "SEA BREEZE TRADING SDN BHD"), (7.0, "(CO.REG : 771204-K)"),
         (7.0, "LOT 12, JALAN MERANTI 4,"), (7.0, "TAMAN BUKIT INDAH,"), (7.0, "81200 JOHOR BAHRU, JOHOR"),
         (7.0, "TEL : 07-555 0192"), (8.0, "TAX INVOICE")]


def test_header_stamp_and_rounding(tmp_path: Path) -> None:
    lines = [*_HEAD, (7.0, "23-03-2019 18:22:05  POS01  R0001"), (7.0, "2 X SOAP BAR|9.40"),
             (7.0, "TOTAL|RM 9.42"), (7.0, "ROUNDING ADJ|-0.02"), (7.0, "TOTAL ROUNDED|RM 9.40"),
             (7.0, "CASH|RM 20.00"), (7.0, "CHANGE|RM 10.60")]
    res = docextract.extract(_draw(lines, tmp_path / "r.pdf"), schema="Receipt")
    f = res.fields
    assert f["company"].value == "SEA BREEZE TRADING SDN BHD"  # not the note scribbled over it
    # The registration number between name and address is neither; the TEL line closes the address.
    assert f["address"].value == "LOT 12, JALAN MERANTI 4, TAMAN BUKIT INDAH, 81200 JOHOR BAHRU, JOHOR"
    assert str(f["date"].value) == "2019-03-23"  # unlabelled, beside the time
    assert str(f["total"].value) == "9.40"  # rounded, and 20.00 - 10.60 agrees
    for name in ("date", "total"):
        assert f[name].confidence >= 0.8, name
    # Company names and addresses read from receipts are right far less often than dates and totals (measured
    # by benchmarks/trust_cv.py): the learned model trusts these, but does not accept them on layout alone.
    for name in ("company", "address"):
        assert f[name].confidence > 0.5, name


def test_incomplete_header_is_not_accepted(tmp_path: Path) -> None:
    # No business form, no postcode, no contact line to close the address: a guess, not a find.
    lines = [(9.0, "MORNING GLORY"), (7.0, "JALAN KENANGA"), (7.0, "")]
    lines += [(7.0, "TOTAL|12.00")]
    res = docextract.extract(_draw(lines, tmp_path / "r.pdf"), schema="Receipt")
    assert res.fields["company"].value == "MORNING GLORY"
    assert res.fields["company"].confidence < 0.8
    assert res.fields["address"].confidence < 0.8


def test_rounding_that_does_not_add_up_confirms_nothing(tmp_path: Path) -> None:
    lines = [*_HEAD, (7.0, "TOTAL|RM 9.42"), (7.0, "ROUNDING ADJ|-0.02"), (7.0, "TOTAL ROUNDED|RM 9.50"),
             (7.0, "CASH|RM 20.00"), (7.0, "CHANGE|RM 10.00")]
    res = docextract.extract(_draw(lines, tmp_path / "r.pdf"), schema="Receipt")
    assert res.fields["total"].confidence < 0.8  # a misread digit somewhere: review it


def test_two_dates_beside_times_conflict(tmp_path: Path) -> None:
    lines = [*_HEAD, (7.0, "07-03-2019 18:22"), (7.0, "TOTAL|9.40"), (7.0, "REPRINT 09-03-2019 10:01")]
    res = docextract.extract(_draw(lines, tmp_path / "r.pdf"), schema="Receipt")
    assert res.fields["date"].confidence < 0.8


def test_ocr_doubt_weighs_the_least_sure_word() -> None:
    box = Box(0.1, 0.1, 0.2, 0.12)
    sure = [Word(t, box, 0.95) for t in ("SEA", "BREEZE", "TRADING")]
    smudged = [*sure[:2], Word("TRAD1NG", box, 0.7)]
    assert ocr_doubt(smudged) < ocr_doubt(sure) - 0.4
    assert ocr_doubt([*smudged, Word("SDN", box, 0.6)]) < ocr_doubt(smudged)
    assert ocr_doubt([]) == -1.0


@pytest.mark.tesseract
@pytest.mark.parametrize("seed", [4])
def test_scanned_thermal_receipt(tmp_path: Path, seed: int) -> None:
    """A receipt image with blur, speckle and a slight tilt, through OCR (eng)."""
    import random

    from PIL import Image, ImageFilter

    data = random_receipt(seed)
    img = Image.open(io.BytesIO(render_receipt(data, image=True))).convert("L")
    img = img.rotate(0.8, expand=True, fillcolor=255).filter(ImageFilter.GaussianBlur(0.7))
    rnd = random.Random(seed)
    px = img.load()
    assert px is not None
    for _ in range(img.width * img.height // 400):  # thermal-paper speckle
        px[rnd.randrange(img.width), rnd.randrange(img.height)] = rnd.choice((0, 200))
    img = img.point(lambda v: min(255, v + 40))  # faded print
    path = tmp_path / "receipt.png"
    img.save(path, dpi=(200, 200))
    res = docextract.extract(path, schema="Receipt", options=ExtractOptions(ocr=OcrOptions(langs=("eng",))))
    f = res.fields
    assert f["company"].value == data.company
    assert str(f["total"].value) == f"{data.total:.2f}"
    assert f["date"].value == data.date
    if f["address"].confidence >= 0.8:  # accepted only when every word was read right
        assert f["address"].value == ", ".join(data.address)


def _totals(path: Path) -> list[tuple[str, str]]:
    """What the arithmetic finder confirms on a drawn receipt: (value, how) pairs."""
    from docextract import registry
    from docextract.load import open_document
    from docextract.tiers.rules.context import Context
    from docextract.tiers.rules.positional_totals import checked_totals

    opts = ExtractOptions()
    doc = open_document(path, opts)
    layout = registry.load("layout", opts.layout)()
    for page in doc.pages:
        layout.analyze(page, doc)
    return [(str(r.value), r.raw) for r in checked_totals(Context(doc))]


_ITEMS = [(7.0, "RM"), (7.0, "1 X BATH TOWEL|12.90"), (7.0, "  SKU 400211"), (7.0, "2 X SOAP BAR|5.80"),
          (7.0, "DISCOUNT|-1.00")]


def test_items_adding_up_confirm_the_total(tmp_path: Path) -> None:
    lines = [*_HEAD, (7.0, "23-03-2019 18:22:05"), (7.0, "QTY DESCRIPTION     AMOUNT"), *_ITEMS,
             (7.0, "TOTAL|17.70"), (7.0, "PAID BY CARD"), (7.0, "THANK YOU")]
    assert _totals(_draw(lines, tmp_path / "r.pdf")) == [("17.70", "items add up")]
    # One item misread: nothing adds up any more.
    bad = [*lines[:12], (7.0, "2 X SOAP BAR|5.30"), *lines[13:]]
    assert _totals(_draw(bad, tmp_path / "bad.pdf")) == []


def test_items_add_up_to_a_subtotal_only(tmp_path: Path) -> None:
    # The items add up to the amount before tax: that row is a part, and the larger total under it is paid.
    lines = [*_HEAD, *_ITEMS, (7.0, "TOTAL|17.70"), (7.0, "SST 6%|1.06"), (7.0, "AMOUNT DUE|18.76")]
    assert _totals(_draw(lines, tmp_path / "r.pdf")) == []
    # Cash rounding under it (by a non-zero amount) changes what is paid too.
    lines = [*_HEAD, *_ITEMS, (7.0, "TOTAL|17.70"), (7.0, "ROUNDING ADJ|0.02"), (7.0, "TOTAL DUE|17.72")]
    assert ("17.70", "items add up") not in _totals(_draw(lines, tmp_path / "r2.pdf"))


def test_zero_rounding_outvotes_a_misread_rounded_total(tmp_path: Path) -> None:
    # Items and total agree on 9.00, the adjustment is 0.00, so the rounded total must be 9.00 too: the
    # 9.60 printed there is a misread, and no rounding could make it.
    lines = [*_HEAD, (7.0, "1 PC MODELLING CLAY|9.00"), (7.0, "TOTAL :|9.00"), (7.0, "ROUNDING ADJUSTMENT :|0.00"),
             (7.0, "ROUNDED TOTAL (RM):|9.60"), (7.0, "CASH|40.00"), (7.0, "CHANGE|1.00")]
    assert _totals(_draw(lines, tmp_path / "r.pdf")) == [("9.00", "items add up")]
    # Without the zero adjustment, a later total that differs leaves it open.
    del lines[-4]
    assert _totals(_draw(lines, tmp_path / "r2.pdf")) == []


def test_exact_payment_and_a_total_printed_twice(tmp_path: Path) -> None:
    lines = [*_HEAD, (7.0, "ASSORTED GOODS"), (7.0, "TOTAL|RM 23.45"), (7.0, "VISA|RM 23.45"),
             (7.0, "THANK YOU")]
    assert _totals(_draw(lines, tmp_path / "r.pdf")) == [("23.45", "tendered exactly")]
    lines = [*_HEAD, (7.0, "ASSORTED GOODS"), (7.0, "SUB TOTAL|23.45"), (7.0, "GST 0%|0.00"),
             (7.0, "TOTAL (INCL GST)|23.45")]
    assert _totals(_draw(lines, tmp_path / "r2.pdf")) == [("23.45", "printed twice")]
    # The card paid part of it (a voucher the rest): the payment is no confirmation.
    lines = [*_HEAD, (7.0, "ASSORTED GOODS"), (7.0, "TOTAL|23.45"), (7.0, "VISA|20.00")]
    assert _totals(_draw(lines, tmp_path / "r3.pdf")) == []


def _date_conf(lines: list[tuple[float, str]], path: Path) -> tuple[str, float]:
    res = docextract.extract(_draw(lines, path), schema="Receipt")
    return str(res.fields["date"].value), res.fields["date"].confidence


def test_a_sole_unambiguous_date_is_surer(tmp_path: Path) -> None:
    body = [(7.0, "TOTAL|9.40")]
    sole = _date_conf([*_HEAD, (7.0, "23/03/2019 18:22:05"), *body], tmp_path / "a.pdf")
    assert sole[0] == "2019-03-23" and sole[1] >= 0.8
    # Another date on the receipt (a voucher's expiry): the stamp is no surer than any find by position.
    other = _date_conf([*_HEAD, (7.0, "23/03/2019 18:22:05"), *body, (7.0, "VOUCHER VALID TILL 30/04/2019")],
                       tmp_path / "b.pdf")
    # A time of day that is no time ("29:49"): the row was misread somewhere.
    misread = _date_conf([*_HEAD, (7.0, "23/03/2019 29:49:05"), *body], tmp_path / "c.pdf")
    # Day and month could trade places: the layout alone does not settle it.
    swappable = _date_conf([*_HEAD, (7.0, "03/04/2019 18:22:05"), *body], tmp_path / "d.pdf")
    # No surer than the sole stamp (the learned model weighs the other finds; its calibration map is flat at the top).
    for other_conf in (other[1], misread[1], swappable[1]):
        assert other_conf <= sole[1] + 0.001


def test_name_printed_again_in_the_footer(tmp_path: Path) -> None:
    # No business form, the address closed by its contact line: printed once, the name is a guess ...
    head = [(9.0, "MORNING GLORY"), (7.0, "12 JALAN KENANGA,"), (7.0, "81200 JOHOR BAHRU"), (7.0, "TEL : 07-555 0192")]
    once = docextract.extract(_draw([*head, (7.0, "TOTAL|12.00")], tmp_path / "a.pdf"), schema="Receipt")
    assert once.fields["company"].value == "MORNING GLORY" and once.fields["company"].confidence < 0.8
    # ... printed again at the foot, it is the business's name.
    lines = [*head, (7.0, "TOTAL|12.00"), (7.0, "THANK YOU FOR SHOPPING AT MORNING GLORY")]
    twice = docextract.extract(_draw(lines, tmp_path / "b.pdf"), schema="Receipt")
    # (Whether the repeat makes it surer is the learned model's call: on real receipts it does not, measurably.)
    assert twice.fields["company"].value == "MORNING GLORY"
    # A different name at the foot confirms nothing.
    lines[-1] = (7.0, "THANK YOU FOR SHOPPING AT MORNING STAR")
    other = docextract.extract(_draw(lines, tmp_path / "c.pdf"), schema="Receipt")
    assert other.fields["company"].confidence < 0.8
