"""Tesseract and RapidOCR engines on rendered pages: words, boxes, confidences, missing pieces."""

from __future__ import annotations

from pathlib import Path

import pytest

from docextract.errors import BackendUnavailableError
from docextract.ocr.rapidocr import RapidOcrEngine, lines_to_words
from docextract.ocr.tesseract import TesseractEngine, TesseractOptions
from tests.support.ocr_samples import KEY_VALUES, Damage, damage, invoice_pdf, ocr_text, render_pdf


@pytest.fixture(scope="module")
def page_200() -> tuple[bytes, object]:
    pdf = invoice_pdf()
    return pdf, render_pdf(pdf, 200)


def _pdf_word_box(pdf: bytes, text: str) -> tuple[float, float, float, float]:
    import pymupdf

    page = pymupdf.open(stream=pdf)[0]
    for w in page.get_text("words"):
        if w[4] == text:
            r = page.rect
            return (w[0] / r.width, w[1] / r.height, w[2] / r.width, w[3] / r.height)
    raise AssertionError(text)


@pytest.mark.tesseract
@pytest.mark.parametrize("backend", ["tesserocr", "cli"])
def test_tesseract_reads_words_with_boxes_where_they_are_printed(page_200, backend):
    pdf, image = page_200
    engine = TesseractEngine(TesseractOptions(backend=backend))
    assert engine.available() is None
    assert engine.version().endswith(backend)
    [words] = engine.recognize([image], ["eng"])
    text = ocr_text(words)
    for value in KEY_VALUES:
        assert value in text
    for w in words:
        assert 0.0 <= w.box.x0 < w.box.x1 <= 1.0 and 0.0 <= w.box.y0 < w.box.y1 <= 1.0
        assert 0.0 <= w.confidence <= 1.0
    # The OCR box of the invoice number lies on the text layer's box of the same word.
    ocr_box = next(w.box for w in words if w.text == "INV-2024-0042")
    truth = _pdf_word_box(pdf, "INV-2024-0042")
    assert all(abs(a - b) < 0.02 for a, b in zip(ocr_box, truth, strict=True))
    clean = [w.confidence for w in words if w.text in KEY_VALUES]
    assert min(clean) > 0.8
    # Reading order: the invoice number comes before the total, in engine order.
    order = {w.text: w.order for w in words}
    assert order["INV-2024-0042"] < order["77.23"]


@pytest.mark.tesseract
def test_smudged_words_get_lower_confidence(page_200):
    _, image = page_200
    engine = TesseractEngine()
    [clean] = engine.recognize([image], ["eng"])
    smudged = damage(image, Damage(blur=2.2, noise=0.04))
    [dirty] = engine.recognize([smudged], ["eng"])
    mean = lambda ws: sum(w.confidence for w in ws) / len(ws)  # noqa: E731
    assert mean(dirty) < mean(clean) - 0.05


def test_missing_binary_names_the_package_to_install(tmp_path: Path, page_200):
    engine = TesseractEngine(TesseractOptions(backend="cli", binary=str(tmp_path / "no-tesseract")))
    reason = engine.available()
    assert reason is not None and "apt-get install tesseract-ocr" in reason
    with pytest.raises(BackendUnavailableError) as err:
        engine.recognize([page_200[1]], ["eng"])
    assert err.value.hint and "tesseract-ocr" in err.value.hint


@pytest.mark.tesseract  # with Tesseract installed, only the language data is missing
def test_missing_language_data_is_reported(tmp_path: Path, page_200):
    engine = TesseractEngine(TesseractOptions(tessdata=str(tmp_path)))
    reason = engine.available()
    assert reason is not None and str(tmp_path) in reason and "apt-get" in reason
    with pytest.raises(BackendUnavailableError):
        engine.recognize([page_200[1]], ["eng"])


@pytest.mark.tesseract
def test_no_installed_language_names_the_debian_package(page_200):
    with pytest.raises(BackendUnavailableError) as err:
        TesseractEngine().recognize([page_200[1]], ["xyz"])
    assert err.value.hint == "apt-get install tesseract-ocr-xyz"


@pytest.mark.tesseract
@pytest.mark.parametrize(("turn", "expected"), [(180, 180), (90, 90)])
def test_orientation_detection(page_200, turn, expected):
    image = damage(page_200[1], Damage(turn=turn))
    found = TesseractEngine().detect_orientation(image)
    assert found is not None and found[0] == expected


def test_rapidocr_lines_are_split_into_words_at_spaces():
    quads = [[[10 + 10 * i, 20], [18 + 10 * i, 20], [18 + 10 * i, 40], [10 + 10 * i, 40]] for i in range(7)]
    line = [[[10, 20], [78, 20], [78, 40], [10, 40]], "ab cd e", 0.9, quads, list("ab cd e"), [0.99, 0.95, 1, 0.5,
                                                                                             0.7, 1, 0.8]]
    words = lines_to_words([line], 100, 100)
    assert [w.text for w in words] == ["ab", "cd", "e"]
    assert words[0].box == pytest.approx((0.10, 0.20, 0.28, 0.40))
    assert words[1].box == pytest.approx((0.40, 0.20, 0.58, 0.40))
    assert words[1].confidence == pytest.approx(0.6)  # mean of its characters
    assert words[0].confidence == pytest.approx(0.9)  # capped by the line's score
    # Without character boxes the line box is shared out by characters.
    plain = lines_to_words([[line[0], "ab cd e", 0.9]], 100, 100)
    assert [w.text for w in plain] == ["ab", "cd", "e"]
    assert plain[0].box.x0 == pytest.approx(0.10) and plain[2].box.x1 == pytest.approx(0.78)


def test_rapidocr_refuses_languages_its_model_cannot_read(page_200):
    engine = RapidOcrEngine()
    assert engine.usable_langs(["eng", "deu"]) == (["eng"], ["deu"])
    with pytest.raises(BackendUnavailableError) as err:
        engine.recognize([page_200[1]], ["deu"])
    assert "ä" in str(err.value) and err.value.hint and "tesseract" in err.value.hint


def test_rapidocr_reads_an_english_line(page_200):
    assert RapidOcrEngine().available() is None  # it comes with the ocr extra, which every test install has
    _, image = page_200
    # Only the header lines: the recogniser is slow on CPU.
    crop = image.crop((0, int(image.height * 0.2), image.width, int(image.height * 0.33)))
    [words] = RapidOcrEngine().recognize([crop], ["eng"])
    text = ocr_text(words)
    assert "INV-2024-0042" in text
    assert all(0.0 <= w.confidence <= 1.0 and 0.0 <= w.box.x0 < w.box.x1 <= 1.0 for w in words)
