"""Hostile inputs (reliability R1, R2, R12): every file ends in ok / review or a typed DocExtractError
naming it, within seconds; never an untyped exception, a crash, a hang or an "ok" with nothing in it.

The files are built by ``tests/support/hostile_gen.py``; the longer random search is ``benchmarks/fuzz.py``, and
what it found is kept here as reproducers.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # workers and the registry import tests.support.hostile_gen through sys.path
    sys.path.insert(0, str(ROOT))

import docextract  # noqa: E402
from docextract import registry  # noqa: E402
from docextract.errors import (  # noqa: E402
    BackendError,
    CorruptDocumentError,
    CorruptImageError,
    DocExtractError,
    EmptyDocumentError,
    EmptyFileError,
    ImageTooLargeError,
    PageTooLargeError,
    PasswordRequiredError,
    ResourceLimitError,
    TooLargeError,
    TooManyPagesError,
    UnsupportedFormatError,
    WrongPasswordError,
)
from docextract.load import open_document  # noqa: E402
from docextract.options import ExtractOptions  # noqa: E402
from tests.support import hostile_gen as hg  # noqa: E402

RESULT = ("ok", "review")
# Outcome allowed per case: a set of statuses and/or error classes (the error must be exactly one of them).
Allowed = tuple[Any, ...]

CASES: list[tuple[str, Allowed, dict[str, Any], float]] = [
    # name in hg.ALL, allowed outcomes, extract options, seconds
    ("zero_bytes", (EmptyFileError,), {}, 1.0),
    ("header_only", (CorruptDocumentError,), {}, 1.0),
    ("truncated_10", (CorruptDocumentError,), {}, 2.0),
    # MuPDF repairs what it can: a half file may still be read (part of it), but never passes as "ok".
    ("truncated_50", ("review", CorruptDocumentError), {}, 3.0),
    ("truncated_90", ("review", CorruptDocumentError), {}, 3.0),
    ("html_named", (UnsupportedFormatError,), {}, 1.0),
    ("zip_named", (UnsupportedFormatError,), {}, 1.0),
    ("random_bytes", (UnsupportedFormatError,), {}, 1.0),
    ("malformed_xref", ("review",), {}, 3.0),  # repaired: never "ok", however cleanly it reads
    ("pages_cycle", (CorruptDocumentError,), {}, 2.0),
    ("deep_pages", (*RESULT, CorruptDocumentError), {}, 5.0),
    ("zero_pages", (EmptyDocumentError,), {}, 1.0),
    ("many_pages", (TooManyPagesError,), {"limits": {"max_pages": 100}}, 1.0),
    ("encrypted_userpw", (PasswordRequiredError,), {}, 2.0),
    ("encrypted_userpw", (WrongPasswordError,), {"password": "not-it"}, 2.0),
    ("flate_bomb", (CorruptDocumentError, TooLargeError, *RESULT), {}, 6.0),
    ("huge_mediabox", (PageTooLargeError, "review"), {}, 3.0),
    ("huge_userunit", (PageTooLargeError, "review"), {}, 3.0),
    ("png_claims_huge", (ImageTooLargeError,), {}, 1.0),
    ("jpeg_claims_huge", (ImageTooLargeError,), {}, 1.0),
    ("truncated_png", (CorruptImageError,), {}, 2.0),
    ("truncated_jpg", (CorruptImageError,), {}, 2.0),
    ("truncated_tif", (CorruptImageError,), {}, 2.0),
    ("tiff_missing_dimensions", (CorruptImageError,), {}, 1.0),
    ("bad_unicode_text", RESULT, {}, 6.0),
    ("tiny_words", RESULT, {}, 10.0),
    ("broken_font", RESULT, {}, 3.0),
    ("bad_utf16_metadata", RESULT, {}, 3.0),
]


def outcome(path: Path, **options: Any) -> tuple[Any, docextract.ExtractionResult | DocExtractError, float]:
    """(status or error class, the result or the error, seconds) of ``docextract.extract``.

    Anything that is not a DocExtractError propagates and fails the test.
    """
    t0 = time.perf_counter()
    try:
        result = docextract.extract(path, schema="Invoice", **options)
    except DocExtractError as exc:
        return type(exc), exc, time.perf_counter() - t0
    return result.status, result, time.perf_counter() - t0


def check_result(result: docextract.ExtractionResult, path: Path) -> None:
    assert result.file == str(path)
    result.model_dump_json().encode("utf-8")  # serialisable: no lone surrogates anywhere
    if result.status == "ok":
        assert any(f.value is not None for f in result.fields.values()), "an ok result with nothing in it"


# Their pages have no usable text layer, so they are read by OCR.
_OCRD = frozenset({"flate_bomb", "huge_mediabox", "huge_userunit", "bad_unicode_text", "tiny_words"})


@pytest.mark.parametrize(("name", "allowed", "options", "seconds"), [
    pytest.param(*c, id=f"{c[0]}-{i}", marks=[pytest.mark.tesseract] if c[0] in _OCRD else [])
    for i, c in enumerate(CASES)
])
def test_hostile_file_ends_typed_and_fast(
    tmp_path: Path, name: str, allowed: Allowed, options: dict[str, Any], seconds: float
) -> None:
    path = hg.ALL[name](tmp_path)
    got, value, elapsed = outcome(path, **options)
    assert got in allowed, f"{name}: {got} ({value})"
    if isinstance(value, DocExtractError):
        assert path.name in str(value) and value.path == str(path)
    else:
        check_result(value, path)
    assert elapsed < seconds, f"{name} took {elapsed:.2f} s"


def test_password_right_and_owner_only_read_the_text(tmp_path: Path) -> None:
    for path, password in ((hg.encrypted_userpw(tmp_path), hg.PASSWORD), (hg.encrypted_owner_only(tmp_path), None)):
        result = docextract.extract(path, schema="Invoice", password=password)
        assert result.status in RESULT
        assert result.fields["invoice_number"].value == "INV-4711"


@pytest.mark.parametrize("gen", [hg.einvoice_billion_laughs, hg.einvoice_xxe])
def test_hostile_embedded_einvoice_is_refused_and_the_page_read(tmp_path: Path, gen: Any) -> None:
    # R12: the page is still read, the XML is not used, the document goes to review, fast.
    path = gen(tmp_path)
    got, result, elapsed = outcome(path)
    assert got == "review" and isinstance(result, docextract.ExtractionResult)
    (issue,) = [i for i in result.issues if i.code == "einvoice_hostile"]
    assert issue.severity == "error"
    assert result.fields["invoice_number"].value == "INV-4711"
    assert "TOP-SECRET-CANARY" not in result.model_dump_json()
    assert elapsed < 1.5


def test_bad_unicode_is_cleaned_at_the_loader(tmp_path: Path) -> None:
    for path in (hg.bad_unicode_text(tmp_path), hg.bad_utf16_metadata(tmp_path)):
        doc = open_document(path, ExtractOptions())
        texts = [w.text for p in doc.pages for w in (*p.words, *p.hidden_words)] + list(doc.metadata.values())
        assert texts
        for text in texts:
            text.encode("utf-8")  # raises on a lone surrogate
            assert "\x00" not in text
    assert set(doc.metadata["title"]) == {"\ufffd"}  # <FEFF D800>: the lone surrogate, marked, not dropped


def test_many_visible_words_stay_linear(tmp_path: Path) -> None:
    # 20k readable words on one page go through layout and the rules tier; quadratic work would take minutes.
    ops = [b"BT /F1 4 Tf"]
    for i in range(20_000):
        row, col = divmod(i, 100)
        ops.append(b"1 0 0 1 %d %d Tm (%c%c) Tj" % (10 + col * 12, 20 + row * 6, 97 + i % 26, 97 + i // 26 % 26))
    ops.append(b"ET")
    path = tmp_path / "words_20k.pdf"
    path.write_bytes(hg.one_page_pdf(b"\n".join(ops), media=b"[0 0 1220 1240]", compress=True))
    got, result, elapsed = outcome(path)
    assert got == "review"
    assert isinstance(result, docextract.ExtractionResult) and result.pages[0].words == 20_000
    assert elapsed < 15.0


# -- found by benchmarks/fuzz.py --------------------------------------------------------------------------


def fuzz_jpeg_empty_ocr_word(folder: Path) -> Path:
    """fuzz seed 0, mutant 55: gen_image.jpg with bytes 1058:1486 moved to 1530."""
    data = hg.invoice_png_bytes("JPEG")
    chunk, rest = data[1058:1486], data[:1058] + data[1486:]
    path = folder / "fuzz_empty_ocr_word.jpg"
    path.write_bytes(rest[:1530] + chunk + rest[1530:])
    return path


def test_pdf_pdfium_refuses_is_rendered_by_mupdf(tmp_path: Path) -> None:
    # fuzz seed 1: 23 of 3000 mutants were read by MuPDF, then failed because PDFium would not render them.
    from docextract.load.render import render_page

    doc = open_document(hg.truncated_two_pages(tmp_path), ExtractOptions())
    assert [p.text_source for p in doc.pages] == ["pdf", "none"]  # page 2 lost its text: it needs OCR
    for index in range(2):
        image = render_page(doc, index, 100, 50_000_000)
        assert image.size == (827, 1170) and image.info["render_dpi"] == 100


@pytest.mark.tesseract
@pytest.mark.parametrize("gen", [fuzz_jpeg_empty_ocr_word, hg.truncated_two_pages])
def test_ocr_of_an_empty_word_box_is_not_an_internal_error(tmp_path: Path, gen: Any) -> None:
    # Found by the fuzzer (16 of 3000 mutants): tesserocr's GetUTF8Text raised RuntimeError("No text returned")
    # on an empty word box; the second file also needs the MuPDF render fallback to get that far.
    path = gen(tmp_path)
    got, value, _ = outcome(path, ocr={"cache": False})
    if isinstance(value, BackendError):  # typed by the last-resort wrap, but an untyped bug underneath
        assert "internal error" not in str(value)
    assert got in (*RESULT, CorruptImageError), f"{got}: {value}"


# -- the last-resort wrap in the pipeline ------------------------------------------------------------------


@pytest.fixture
def raising_stages() -> Iterator[None]:
    registry.register("tier", "hostile_raise", "tests.support.hostile_gen:RaisingTier")
    registry.register("layout", "hostile_raise", "tests.support.hostile_gen:RaisingLayout")
    yield
    registry.BUILTIN["tier"].pop("hostile_raise", None)
    registry.BUILTIN["layout"].pop("hostile_raise", None)


def marker_pdf(folder: Path, marker: str) -> Path:
    path = folder / f"{marker.lower()}.pdf"
    path.write_bytes(hg.one_page_pdf(hg.text_ops([*hg.INVOICE_LINES, marker])))
    return path


@pytest.mark.usefixtures("raising_stages")
@pytest.mark.parametrize(
    ("marker", "stage", "expected", "cause"),
    [
        ("RAISE_ZERODIV", "tier", BackendError, ZeroDivisionError),
        ("RAISE_ZERODIV", "layout", BackendError, ZeroDivisionError),
        ("RAISE_MEMORY", "tier", ResourceLimitError, MemoryError),
        ("RAISE_RECURSION", "layout", CorruptDocumentError, RecursionError),
    ],
)
def test_a_bug_in_a_stage_becomes_a_typed_error(
    tmp_path: Path, marker: str, stage: str, expected: type[DocExtractError], cause: type[BaseException]
) -> None:
    path = marker_pdf(tmp_path, marker)
    options: dict[str, Any] = {"tiers": ("rules", "hostile_raise")} if stage == "tier" else {"layout": "hostile_raise"}
    got, value, _ = outcome(path, **options)
    assert got is expected and isinstance(value, DocExtractError)
    assert isinstance(value.__cause__, cause)
    assert path.name in str(value)
    where = "tier hostile_raise" if stage == "tier" else "layout"
    assert where in str(value)
    if expected is BackendError:
        # The type and where it was raised, never the exception's text (it may quote the document).
        assert "internal error in " + where + ": ZeroDivisionError at hostile_gen.py:" in str(value)


# -- the same files through a batch of worker processes ----------------------------------------------------


@pytest.mark.tesseract
def test_batch_of_hostile_files_completes_and_names_each_failure(tmp_path: Path) -> None:
    good = tmp_path / "good.pdf"
    good.write_bytes(hg.invoice_pdf_bytes())
    planned: list[tuple[Path, Any]] = [
        (hg.zero_bytes(tmp_path), EmptyFileError),
        (hg.pages_cycle(tmp_path), CorruptDocumentError),
        (good, RESULT),
        (hg.encrypted_userpw(tmp_path), PasswordRequiredError),
        (hg.png_claims_huge(tmp_path), ImageTooLargeError),
        (hg.html_named(tmp_path), UnsupportedFormatError),
        (hg.tiff_missing_dimensions(tmp_path), CorruptImageError),
        (hg.huge_mediabox(tmp_path), (PageTooLargeError, "review")),
        (tmp_path / "missing.pdf", docextract.MissingFileError),
    ]
    opts = ExtractOptions(limits={"timeout_s": 30.0})
    results = list(docextract.extract_many([p for p, _ in planned], "Invoice", opts, workers=1, isolate=True))
    assert [r.file for r in results] == [str(p) for p, _ in planned]
    for (path, want), result in zip(planned, results, strict=True):
        if result.status == "failed":
            assert result.error is not None and path.name in result.error.message
            allowed = want if isinstance(want, tuple) else (want,)
            assert result.error.type in [a.__name__ for a in allowed if isinstance(a, type)], result.error
        else:
            assert result.status in (want if isinstance(want, tuple) else ()), result.status
        json.loads(result.model_dump_json())
