"""Receipts: the header (business name, address), the date stamp beside the time, arithmetic-checked totals."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import docextract
from docextract.document import Box, Word
from docextract.options import ExtractOptions, OcrOptions
from docextract.tiers.rules_positional import ocr_doubt
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
    for name in ("company", "address", "date", "total"):
        assert f[name].confidence >= 0.8, name


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
