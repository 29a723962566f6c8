"""End to end on scans: damaged invoice and receipt images through ``docextract.extract``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

import docextract
from tests.support.ocr_samples import Damage, damage, image_pdf, invoice_pdf, render_pdf, save_image

pytestmark = pytest.mark.tesseract

RECEIPT_LINES = [
    ("FRESHMART SDN BHD", 13),
    ("12 Jalan Bukit, 50450 Kuala Lumpur", 9),
    ("Date: 21/06/2018  Time: 14:32", 9),
    ("", 9),
    ("Milk 1L            1   6.90", 9),
    ("Bread              2   7.00", 9),
    ("", 9),
    ("TOTAL                 13.90", 12),
    ("CASH                  20.00", 9),
    ("CHANGE                 6.10", 9),
]


@pytest.mark.parametrize(
    ("d", "dpi", "suffix"),
    [(Damage(turn=180, tilt=2.0, jpeg=45), 200, ".jpg"), (Damage(tilt=-1.5, noise=0.004, blur=0.6), 300, ".pdf"),
     (Damage(tilt=1.0, blur=0.6, jpeg=50), 150, ".tiff")],
)
def test_invoice_fields_from_a_damaged_scan(tmp_path: Path, d, dpi, suffix):
    image = damage(render_pdf(invoice_pdf(), dpi), d)
    path = tmp_path / f"scan{suffix}"
    if suffix == ".pdf":
        path.write_bytes(image_pdf([(image, dpi)]))
    else:
        save_image(image, path, dpi)
    result = docextract.extract(path, schema="Invoice", ocr={"langs": ("eng",), "cache": False})
    assert result.pages[0].text_source == "ocr:tesseract"
    assert result.fields["invoice_number"].value == "INV-2024-0042"
    assert result.fields["issue_date"].value == dt.date(2024, 3, 15)
    assert result.fields["total_gross"].value == Decimal("77.23")
    ev = result.fields["invoice_number"].evidence[0]
    assert ev.page == 0 and ev.box is not None and "INV-2024-0042" in ev.text


def test_receipt_photo(tmp_path: Path):
    import pymupdf

    pdf = pymupdf.open()
    page = pdf.new_page(width=226, height=330)  # 80 mm till roll
    y = 30.0
    for text, size in RECEIPT_LINES:
        if text:
            page.insert_text((14, y), text, fontsize=size, fontname="cour")
        y += size * 1.8
    image = damage(render_pdf(pdf.tobytes(), 250), Damage(tilt=2.5, contrast=0.45, blur=0.6, jpeg=55))
    path = save_image(image, tmp_path / "receipt.jpg", 250)
    result = docextract.extract(path, schema="Receipt", ocr={"langs": ("eng",), "cache": False})
    assert result.fields["total"].value == Decimal("13.90")
    assert result.fields["date"].value == dt.date(2018, 6, 21)
    assert "FRESHMART" in str(result.fields["company"].value)


def test_smudged_value_is_not_accepted_as_sure(tmp_path: Path):
    clean = render_pdf(invoice_pdf(), 200)
    # Smudge only the total line: the rest of the page stays readable.
    box = (0, int(clean.height * 0.60), clean.width, clean.height)
    smudged = clean.copy()
    smudged.paste(damage(clean.crop(box), Damage(blur=1.5, noise=0.10)), box[:2])
    path = save_image(smudged, tmp_path / "smudged.png", 200)
    result = docextract.extract(path, schema="Invoice", ocr={"langs": ("eng",), "cache": False})
    sure = docextract.extract(save_image(clean, tmp_path / "clean.png", 200), schema="Invoice",
                              ocr={"langs": ("eng",), "cache": False})
    total = result.fields.get("total_gross")
    if total is not None and total.value is not None:
        assert total.value == Decimal("77.23") or total.confidence < result.threshold
        assert total.confidence < sure.fields["total_gross"].confidence
    assert result.status != "ok" or (total is not None and total.value == Decimal("77.23"))
