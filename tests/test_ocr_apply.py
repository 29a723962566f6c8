"""The OCR stage on loaded documents: triage, damaged scans in several formats, cache, parallel pages."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

import pytest
from PIL.Image import Image

from docextract import registry
from docextract.document import Word
from docextract.errors import BackendUnavailableError
from docextract.load import open_document
from docextract.ocr import apply_ocr
from docextract.ocr.apply import ocr_dpi
from docextract.ocr.tesseract import TesseractEngine
from docextract.options import ExtractOptions, OcrOptions
from tests.support.ocr_samples import (
    INVOICE_LINES,
    KEY_VALUES,
    Damage,
    damage,
    image_pdf,
    invoice_pdf,
    ocr_text,
    render_pdf,
    save_image,
)

OTHER_LINES = [("Delivery note DN-7781", 14), ("Shipped on 02.04.2024 by parcel", 12)]


def _opts(tmp_path: Path, **ocr: object) -> ExtractOptions:
    base: dict[str, object] = {"langs": ("eng",), "cache_dir": str(tmp_path / "cache"), "workers": 1}
    return ExtractOptions(ocr=OcrOptions(**{**base, **ocr}))


@pytest.fixture(scope="module")
def clean_200():
    return render_pdf(invoice_pdf(), 200)


@pytest.mark.tesseract
@pytest.mark.parametrize(
    ("name", "d", "dpi", "suffix"),
    [
        ("turned-180-tilted-jpeg", Damage(turn=180, tilt=1.5, jpeg=40), 200, ".jpg"),
        ("tilted-noisy-blurred", Damage(tilt=-3.0, noise=0.01, blur=0.8), 300, ".png"),
        ("faded-low-contrast", Damage(contrast=0.35, blur=0.5), 200, ".tiff"),
        ("sideways-150dpi", Damage(turn=90, jpeg=60), 150, ".pdf"),
    ],
)
def test_damaged_scans_are_read(tmp_path: Path, name, d, dpi, suffix):
    image = damage(render_pdf(invoice_pdf(), dpi), d)
    path = tmp_path / f"{name}{suffix}"
    if suffix == ".pdf":
        path.write_bytes(image_pdf([(image, dpi)]))
    else:
        save_image(image, path, dpi)
    doc = open_document(path, _opts(tmp_path))
    issues = apply_ocr(doc, _opts(tmp_path))
    page = doc.pages[0]
    assert page.text_source == "ocr:tesseract"
    text = ocr_text(page.words)
    for value in KEY_VALUES:
        assert value in text, (name, value)
    assert any(i.code == "ocr_pages" for i in issues)
    if d.turn:
        assert page.ocr_rotation == pytest.approx(d.turn, abs=5)
        assert any(i.code == "ocr_rotated" for i in issues)
    y = {w.text: w.box.cy for w in page.words}
    assert y["INV-2024-0042"] < y["77.23"]


@pytest.mark.tesseract
def test_only_the_scanned_page_of_a_mixed_pdf_is_ocrd(tmp_path: Path, clean_200):
    scan = damage(clean_200, Damage(tilt=1.0, noise=0.005))
    path = tmp_path / "mixed.pdf"
    path.write_bytes(image_pdf([(clean_200, 200), (scan, 200)], text_pages={0: OTHER_LINES}))
    doc = open_document(path, _opts(tmp_path))
    digital_words = [w.text for w in doc.pages[0].words]
    assert doc.pages[0].text_layer_usable and not doc.pages[1].text_layer_usable
    issues = apply_ocr(doc, _opts(tmp_path))
    assert [p.text_source for p in doc.pages] == ["pdf", "ocr:tesseract"]
    assert [w.text for w in doc.pages[0].words] == digital_words
    assert "INV-2024-0042" in ocr_text(doc.pages[1].words)
    [info] = [i for i in issues if i.code == "ocr_pages"]
    assert info.message.endswith("page(s) 2")

    forced = open_document(path, _opts(tmp_path))
    apply_ocr(forced, _opts(tmp_path, force=True))
    assert [p.text_source for p in forced.pages] == ["ocr:tesseract", "ocr:tesseract"]
    assert "DN-7781" in ocr_text(forced.pages[0].words)


def test_digital_pdf_is_left_alone(tmp_path: Path):
    path = tmp_path / "digital.pdf"
    path.write_bytes(invoice_pdf())
    doc = open_document(path, _opts(tmp_path))
    assert apply_ocr(doc, _opts(tmp_path)) == []
    assert doc.pages[0].text_source == "pdf"


@pytest.mark.tesseract
def test_cached_words_are_reused_and_bypassed_on_request(tmp_path: Path, clean_200):
    path = save_image(clean_200, tmp_path / "scan.png", 200)
    apply_ocr(open_document(path, _opts(tmp_path)), _opts(tmp_path))
    [entry_path] = (tmp_path / "cache").rglob("*.json")
    # Mark the stored words, so a second run shows whether they were read back.
    entry = json.loads(entry_path.read_text())
    entry["words"] = [["FROM-CACHE", [0.1, 0.1, 0.2, 0.2], 0.9, [1, 1, 1]]]
    entry_path.write_text(json.dumps(entry))
    again = open_document(path, _opts(tmp_path))
    apply_ocr(again, _opts(tmp_path))
    assert [w.text for w in again.pages[0].words] == ["FROM-CACHE"]
    fresh = open_document(path, _opts(tmp_path))
    apply_ocr(fresh, _opts(tmp_path, cache=False))
    assert "INV-2024-0042" in ocr_text(fresh.pages[0].words)
    # Other languages or settings are other entries.
    other = open_document(path, _opts(tmp_path))
    apply_ocr(other, _opts(tmp_path, preprocess=False))
    assert "INV-2024-0042" in ocr_text(other.pages[0].words)
    assert len(list((tmp_path / "cache").rglob("*.json"))) == 2
    # A corrupt entry is read as a miss and written again.
    entry_path.write_bytes(b"\x00not json")
    redo = open_document(path, _opts(tmp_path))
    apply_ocr(redo, _opts(tmp_path))
    assert "INV-2024-0042" in ocr_text(redo.pages[0].words)
    assert json.loads(entry_path.read_text())["words"]


@pytest.mark.tesseract
def test_pages_are_ocrd_in_parallel_with_the_same_result(tmp_path: Path, clean_200):
    pages = [damage(clean_200, Damage(tilt=t)) for t in (0.0, 1.0, -1.0)]
    path = tmp_path / "three.pdf"
    path.write_bytes(image_pdf([(p, 200) for p in pages]))
    serial = open_document(path, _opts(tmp_path, cache=False))
    apply_ocr(serial, _opts(tmp_path, cache=False))
    parallel = open_document(path, _opts(tmp_path, cache=False, workers=2))
    apply_ocr(parallel, _opts(tmp_path, cache=False, workers=2))
    assert [[w.text for w in p.words] for p in parallel.pages] == [[w.text for w in p.words] for p in serial.pages]
    assert all("INV-2024-0042" in ocr_text(p.words) for p in parallel.pages)


def test_engine_without_language_data_raises_with_install_hint(tmp_path: Path, clean_200):
    path = save_image(clean_200, tmp_path / "scan.png", 200)
    opts = _opts(tmp_path).model_copy(update={"backends": {"tesseract": {"tessdata": str(tmp_path)}}})
    with pytest.raises(BackendUnavailableError) as err:
        apply_ocr(open_document(path, opts), opts)
    assert err.value.path == str(path)
    assert err.value.hint and "apt-get install tesseract-ocr" in err.value.hint


@pytest.mark.tesseract
def test_missing_languages_are_dropped_with_a_note_or_refused(tmp_path: Path, clean_200):
    path = save_image(clean_200, tmp_path / "scan.png", 200)
    opts = _opts(tmp_path, langs=("eng", "xyz"))
    issues = apply_ocr(open_document(path, opts), opts)
    assert [i.message for i in issues if i.code == "ocr_lang_missing"] == [
        "OCR language xyz is not available to tesseract; OCR'd without it"]
    with pytest.raises(BackendUnavailableError) as err:
        only = _opts(tmp_path, langs=("xyz",))
        apply_ocr(open_document(path, only), only)
    assert err.value.hint == "apt-get install tesseract-ocr-xyz"


def test_rapidocr_is_refused_for_languages_it_cannot_read(tmp_path: Path, clean_200):
    path = save_image(clean_200, tmp_path / "scan.png", 200)
    opts = _opts(tmp_path, engine="rapidocr", langs=("deu",))
    with pytest.raises(BackendUnavailableError) as err:
        apply_ocr(open_document(path, opts), opts)
    assert "deu" in str(err.value)


def test_render_dpi_follows_the_scan():
    from docextract.document import Page

    opts = OcrOptions()
    assert ocr_dpi(Page(index=0, width=595, height=842), opts) == 300
    assert ocr_dpi(Page(index=0, width=595, height=842, image_dpi=200.0), opts) == 200
    assert ocr_dpi(Page(index=0, width=595, height=842, image_dpi=600.0), opts) == 300
    assert ocr_dpi(Page(index=0, width=595, height=842, image_dpi=96.0), opts) == 200


@pytest.mark.tesseract
def test_low_confidence_page_is_flagged(tmp_path: Path):
    lines = [(t, s) for t, s in INVOICE_LINES if t]
    image = damage(render_pdf(invoice_pdf(lines), 100), Damage(blur=1.6, noise=0.08, jpeg=15))
    path = save_image(image, tmp_path / "smudged.jpg", 100)
    opts = _opts(tmp_path, preprocess=False)
    issues = apply_ocr(open_document(path, opts), opts)
    assert any(i.code in ("ocr_low_confidence", "ocr_no_text") and i.severity == "warning" for i in issues)


class BatchingTesseract(TesseractEngine):
    """Tesseract declaring batches of three pages, as a model engine would; records each call's batch."""

    name = "batching"
    batch_size = 3
    calls: ClassVar[list[int]] = []

    def recognize(self, images: Sequence[Image], langs: Sequence[str]) -> list[list[Word]]:
        BatchingTesseract.calls.append(len(images))
        return super().recognize(images, langs)


@pytest.mark.tesseract
def test_a_batching_engine_gets_pages_in_batches(tmp_path: Path, clean_200):
    registry.register("ocr", "batching", f"{__name__}:BatchingTesseract")
    BatchingTesseract.calls = []
    pages = [damage(clean_200, Damage(tilt=t)) for t in (0.0, 1.0, -1.0, 0.5)]
    path = tmp_path / "four.pdf"
    path.write_bytes(image_pdf([(p, 200) for p in pages]))
    try:
        batched = open_document(path, _opts(tmp_path, cache=False, engine="batching"))
        apply_ocr(batched, _opts(tmp_path, cache=False, engine="batching"))
    finally:
        registry.BUILTIN["ocr"].pop("batching", None)
    assert BatchingTesseract.calls[:2] == [3, 1]  # then single retries only for a page that read badly
    serial = open_document(path, _opts(tmp_path, cache=False))
    apply_ocr(serial, _opts(tmp_path, cache=False))
    assert [[w.text for w in p.words] for p in batched.pages] == [[w.text for w in p.words] for p in serial.pages]
    assert all("INV-2024-0042" in ocr_text(p.words) for p in batched.pages)
