"""Clean-up before OCR: greyscale, contrast, deskew, quarter turns, and the orientation retry."""

from __future__ import annotations

import pytest
from PIL import Image

from docextract.ocr import preprocess
from docextract.ocr.pageocr import ocr_image
from docextract.ocr.tesseract import TesseractEngine
from tests.support.ocr_samples import KEY_VALUES, Damage, damage, invoice_pdf, ocr_text, render_pdf


@pytest.fixture(scope="module")
def page() -> Image.Image:
    return render_pdf(invoice_pdf(), 150)


@pytest.mark.parametrize("tilt", [3.0, -2.0, 0.0, 4.5])
def test_skew_is_measured_within_a_few_tenths_of_a_degree(page, tilt):
    tilted = damage(page, Damage(tilt=tilt))
    assert preprocess.estimate_skew(tilted) == pytest.approx(-tilt, abs=0.3)


def test_deskew_undoes_a_tilt(page):
    tilted = damage(page, Damage(tilt=3.0))
    fixed = preprocess.prepare(tilted, contrast=False, skew=True)
    assert fixed.skew == pytest.approx(-3.0, abs=0.3)
    assert fixed.image.size == tilted.size
    assert abs(preprocess.estimate_skew(fixed.image)) <= 0.2


def test_blank_page_has_no_skew():
    assert preprocess.estimate_skew(Image.new("L", (400, 600), 255)) == 0.0


def test_transparent_background_becomes_white():
    img = Image.new("RGBA", (20, 20), (0, 0, 0, 0))
    img.putpixel((5, 5), (0, 0, 0, 255))
    grey = preprocess.to_grey(img)
    assert grey.mode == "L" and grey.getpixel((0, 0)) == 255 and grey.getpixel((5, 5)) == 0


def test_faded_page_is_stretched_to_full_contrast(page):
    faded = damage(page, Damage(contrast=0.35))
    lo, hi = faded.getextrema()
    assert hi - lo < 160
    lo2, hi2 = preprocess.stretch_contrast(faded).getextrema()
    assert lo2 <= 10 and hi2 >= 245
    # A page already spanning black to white is left alone.
    assert preprocess.stretch_contrast(page) is page


def test_quarter_turns_are_clockwise():
    img = Image.new("L", (4, 2), 255)
    img.putpixel((0, 0), 0)  # top-left
    assert preprocess.turn(img, 90).getpixel((1, 0)) == 0  # → top-right
    assert preprocess.turn(img, 180).getpixel((3, 1)) == 0  # → bottom-right
    assert preprocess.turn(img, 270).getpixel((0, 3)) == 0  # → bottom-left


@pytest.mark.tesseract
@pytest.mark.parametrize(("d", "turn"), [(Damage(turn=180, tilt=2.0), 180), (Damage(turn=90, noise=0.01), 90)])
def test_a_page_on_its_side_or_upside_down_is_turned_and_read(d, turn):
    image = damage(render_pdf(invoice_pdf(), 200), d)
    res = ocr_image(TesseractEngine(), image, ["eng"])
    assert res.quarter_turn == turn
    text = ocr_text(res.words)
    for value in KEY_VALUES:
        assert value in text
    # The words are in the upright frame: the invoice number sits above the total.
    y = {w.text: w.box.cy for w in res.words}
    assert y["INV-2024-0042"] < y["77.23"]
    assert res.turned_size == (image.height, image.width) if turn == 90 else image.size


@pytest.mark.tesseract
def test_words_of_a_tilted_page_are_straightened(page):
    tilted = damage(page, Damage(tilt=3.0))
    res = ocr_image(TesseractEngine(), tilted, ["eng"])
    assert res.rotation == pytest.approx(3.0, abs=0.3)  # clockwise, to undo the counter-clockwise tilt
    words = {w.text: w.box for w in res.words}
    # The ends of a long tilted line (a whole text height apart before) now share a line.
    assert abs(words["Hammer"].cy - words["25.00"].cy) < 0.3 * words["25.00"].height


@pytest.mark.tesseract
def test_upright_page_is_not_checked_for_orientation(page):
    res = ocr_image(TesseractEngine(), page, ["eng"])
    assert res.quarter_turn == 0 and res.mean_confidence > 0.8
