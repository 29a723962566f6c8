"""The cascade as a whole: status rules, options, typed errors, tiers being asked only for what is wanted."""

from __future__ import annotations

import threading
from collections.abc import Set
from pathlib import Path
from typing import Any, ClassVar

import pymupdf
import pytest

import docextract
from docextract import registry
from docextract.backend import Backend, TierOutput
from docextract.document import Document
from docextract.errors import ConfigError, MissingFileError, SchemaError, UnsupportedFormatError
from docextract.options import ExtractOptions
from docextract.result import Candidate, Evidence
from docextract.schema import SchemaSpec


def _invoice_pdf(path: Path, number: str = "INV-20931", total: str = "1,190.00") -> Path:
    doc = pymupdf.open()
    page = doc.new_page()
    rows = [
        ("Invoice number:", number), ("Invoice date:", "12 March 2024"), ("Due date:", "11 April 2024"),
        ("Subtotal:", "1,000.00 EUR"), ("VAT 19%:", "190.00 EUR"), ("Total:", f"{total} EUR"),
    ]
    page.insert_text((72, 60), "ACME Tools GmbH", fontsize=16)
    y = 120.0
    for label, value in rows:
        page.insert_text((72, y), label, fontsize=11)
        page.insert_text((260, y), value, fontsize=11)
        y += 24
    doc.save(path)
    return path


class RecordingTier(Backend):
    """A tier that records which paths it was asked for, and proposes one value."""

    name = "recording"
    asked: ClassVar[list[frozenset[str]]] = []

    def extract(self, document: Document, spec: SchemaSpec, wanted: Set[str], options: ExtractOptions) -> TierOutput:
        RecordingTier.asked.append(frozenset(wanted))
        cand = Candidate(path="iban", value="DE89370400440532013000", score=0.99, source="recording",
                         evidence=(Evidence(page=0, box=(0.1, 0.1, 0.2, 0.12), text="DE89 3704 0044 0532 0130 00"),))
        return TierOutput([cand])


class UnavailableTier(Backend):
    name = "unavailable"

    def available(self) -> str | None:
        return "no API key (set FAKE_KEY)"

    def extract(self, *args: Any) -> TierOutput:
        raise AssertionError("an unavailable tier must not be called")


@pytest.fixture
def extra_tiers() -> Any:
    registry.register("tier", "recording", f"{__name__}:RecordingTier")
    registry.register("tier", "unavailable", f"{__name__}:UnavailableTier")
    RecordingTier.asked = []
    yield
    registry.BUILTIN["tier"].pop("recording", None)
    registry.BUILTIN["tier"].pop("unavailable", None)


def test_clean_invoice_is_ok_with_evidence(tmp_path: Path) -> None:
    result = docextract.extract(_invoice_pdf(tmp_path / "a.pdf"), schema="Invoice")
    assert result.data.invoice_number == "INV-20931"
    assert str(result.data.total_gross) == "1190.00"
    f = result.fields["total_gross"]
    assert f.source == "rules" and f.evidence and f.evidence[0].page == 0
    x0, y0, x1, y1 = f.evidence[0].box  # type: ignore[misc]
    assert 0 < x0 < x1 < 1 and 0 < y0 < y1 < 1
    assert "1,190.00" in f.evidence[0].text
    # net + tax = gross holds, so all three are confirmed and trusted.
    assert all(result.fields[p].confidence >= 0.9 for p in ("total_net", "total_tax", "total_gross"))
    assert result.pages[0].text_source == "pdf"
    assert set(result.timings) >= {"load", "layout", "total"}


def test_totals_that_do_not_add_up_send_the_document_to_review(tmp_path: Path) -> None:
    result = docextract.extract(_invoice_pdf(tmp_path / "b.pdf", total="1,290.00"), schema="Invoice")
    assert result.status == "review"
    assert any(i.code == "totals_add_up" for i in result.issues)
    assert result.fields["total_gross"].confidence < result.threshold


def test_status_needs_every_present_field_at_the_threshold(tmp_path: Path) -> None:
    path = _invoice_pdf(tmp_path / "c.pdf")
    strict = docextract.extract(path, schema="Invoice", threshold=1.0)
    assert strict.status == "review"
    assert any(i.code == "low_confidence" for i in strict.issues)


def test_later_tiers_are_asked_only_for_unsure_fields(tmp_path: Path, extra_tiers: Any) -> None:
    path = _invoice_pdf(tmp_path / "d.pdf")
    result = docextract.extract(path, schema="Invoice", tiers=("rules", "unavailable", "recording"))
    (asked,) = RecordingTier.asked
    assert "iban" in asked
    confident = {p for p, f in result.fields.items() if f.source == "rules" and f.confidence >= 0.8}
    assert confident and not (confident & asked)
    assert result.fields["iban"].source == "recording"
    assert any(i.code == "tier_skipped" and "FAKE_KEY" in i.message for i in result.issues)


def test_misspelt_option_and_unknown_backend_fail_loudly(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="treshold"):
        docextract.extract(_invoice_pdf(tmp_path / "e.pdf"), schema="Invoice", treshold=0.9)
    with pytest.raises(ConfigError, match="known: einvoice, rules"):
        docextract.extract(_invoice_pdf(tmp_path / "f.pdf"), schema="Invoice", tiers=("magic",))


def test_invalid_options_are_config_errors_however_they_are_built() -> None:
    from docextract.options import OcrOptions

    builds = [
        (lambda: ExtractOptions(treshold=0.9), "treshold"),  # type: ignore[call-arg]
        (lambda: ExtractOptions.create(treshold=0.9), "treshold"),
        (lambda: ExtractOptions.model_validate({"treshold": 0.9}), "treshold"),
        (lambda: ExtractOptions.model_validate_json('{"treshold": 0.9}'), "treshold"),
        (lambda: ExtractOptions(threshold=2.0), "threshold"),
        (lambda: ExtractOptions(ocr={"dpii": 300}), "dpii"),
        (lambda: OcrOptions(dpi=10), "dpi"),
        (lambda: ExtractOptions.from_env({}, keep_unsre=True), "keep_unsre"),
    ]
    for build, key in builds:
        with pytest.raises(ConfigError, match=key):
            build()


def test_options_from_env() -> None:
    opts = ExtractOptions.from_env({"DOCEXTRACT_THRESHOLD": "0.9", "DOCEXTRACT_OCR_LANGS": "deu+eng"})
    assert opts.threshold == 0.9 and opts.ocr.langs == ("deu", "eng")
    with pytest.raises(ConfigError):
        ExtractOptions.from_env({"DOCEXTRACT_THRESHOLD": "high"})


def test_typed_errors_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(MissingFileError, match=r"nothere\.pdf"):
        docextract.extract(tmp_path / "nothere.pdf", schema="Invoice")
    html = tmp_path / "page.pdf"
    html.write_text("<html><body>not a pdf</body></html>", encoding="utf-8")
    with pytest.raises(UnsupportedFormatError, match=r"page\.pdf"):
        docextract.extract(html, schema="Invoice")
    with pytest.raises(SchemaError):
        docextract.extract(html, schema="NoSuchSchema")


def test_extract_many_keeps_going_past_a_bad_file(tmp_path: Path) -> None:
    good = _invoice_pdf(tmp_path / "good.pdf")
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 10)
    results = list(docextract.extract_many([good, bad, good], schema="Invoice", isolate=False))
    assert [r.status for r in results][1] == "failed"
    assert results[1].error is not None and "bad.pdf" in results[1].error.message
    assert results[0].data.invoice_number == results[2].data.invoice_number == "INV-20931"


def test_threads_get_the_same_results_as_a_sequential_run(tmp_path: Path) -> None:
    paths = [_invoice_pdf(tmp_path / f"t{i}.pdf", number=f"INV-{1000 + i}") for i in range(6)]
    sequential = [docextract.extract(p, schema="Invoice").data for p in paths]
    out: dict[int, Any] = {}

    def work(i: int) -> None:
        out[i] = docextract.extract(paths[i], schema="Invoice").data

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(paths))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [out[i] for i in range(len(paths))] == sequential
