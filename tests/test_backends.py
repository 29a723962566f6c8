"""Backend contract v2: options checked when the Extractor is built, the typed registry, the pool, the
shared evidence locator, and the native lock left to load and OCR."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Set
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar

import pymupdf
import pytest

import docextract
from docextract import backends, registry
from docextract.backend import Backend, BackendOptions, Runtime, TierOutput
from docextract.cli import build_options, parse_setting
from docextract.document import Document
from docextract.errors import ConfigError
from docextract.evidence import locate
from docextract.load import open_document
from docextract.ocr.rapidocr import RapidOcrOptions
from docextract.ocr.tesseract import TesseractEngine, TesseractOptions
from docextract.options import ExtractOptions, OcrOptions
from docextract.pipeline import _NATIVE_LOCK
from docextract.pool import Pool
from docextract.schema import SchemaSpec
from tests.test_pipeline import _invoice_pdf


def test_unknown_ocr_engine_is_refused_by_the_library_too() -> None:
    with pytest.raises(ConfigError, match=r"unknown ocr backend 'surya'; known: rapidocr, tesseract"):
        docextract.Extractor(ExtractOptions(ocr=OcrOptions(engine="surya")))


def test_backend_options_are_checked_and_reach_the_engine() -> None:
    with pytest.raises(ConfigError, match=r"'tesseract': unknown option 'psmm' \(known: psm, tessdata, binary"):
        docextract.Extractor(ExtractOptions(backends={"tesseract": {"psmm": 6}}))
    with pytest.raises(ConfigError, match="unknown option 'psmm'"):  # at the call, before any worker starts
        docextract.extract_many([], "Invoice", backends={"tesseract": {"psmm": 6}})
    with pytest.raises(ConfigError, match=r"TesseractOptions\): psmm"):  # an options model built directly
        TesseractOptions(psmm=6)  # type: ignore[call-arg]
    with pytest.raises(ConfigError, match="psm"):
        docextract.Extractor(ExtractOptions(backends={"tesseract": {"psm": 99}}))
    with pytest.raises(ConfigError, match="takes TesseractOptions, not RapidOcrOptions"):
        docextract.Extractor(ExtractOptions(backends={"tesseract": RapidOcrOptions()}))
    # A dict, an instance and the qualified name are all the same configuration.
    for given in ({"tesseract": {"psm": 6}}, {"tesseract": TesseractOptions(psm=6)}, {"ocr.tesseract": {"psm": 6}}):
        ex = docextract.Extractor(ExtractOptions(backends=given))
        assert ex._plan.ocr.options == TesseractOptions(psm=6)
        engine = backends.ocr_engine(ex._plan.ocr, ex.runtime)
        assert isinstance(engine, TesseractEngine) and engine.cache_settings() == {"psm": 6}


def test_ocr_engines_are_pooled_across_extractors() -> None:
    a = docextract.Extractor(ExtractOptions(backends={"tesseract": {"psm": 4}}))
    b = docextract.Extractor(ExtractOptions(backends={"tesseract": {"psm": 4}}))
    c = docextract.Extractor(ExtractOptions(backends={"tesseract": {"psm": 11}}))
    ea, eb, ec = (backends.ocr_engine(x._plan.ocr, x.runtime) for x in (a, b, c))
    assert ea is eb and ea is not ec


class _Held(Backend):
    closed: ClassVar[list[str]] = []

    def __init__(self, label: str, mb: float) -> None:
        super().__init__()
        self.label, self.mb = label, mb

    def footprint_mb(self) -> float:
        return self.mb

    def close(self) -> None:
        _Held.closed.append(self.label)


def test_pool_releases_the_least_recently_used_over_budget() -> None:
    _Held.closed = []
    pool = Pool(budget_mb=1000)
    rt = Runtime()

    def get(label: str, mb: float = 400) -> Any:
        return pool.get("ocr", label, BackendOptions(), rt, lambda: _Held(label, mb))

    a = get("a")
    get("b")
    assert get("a") is a  # reused, and now the most recently used
    get("c")  # 1200 MB: "b" is the least recently used
    assert _Held.closed == ["b"] and len(pool) == 2
    get("huge", 5000)  # alone over budget: everything else goes, the one asked for stays
    assert sorted(_Held.closed) == ["a", "b", "c"] and len(pool) == 1
    pool.close()
    assert _Held.closed[-1] == "huge" and len(pool) == 0


def test_cli_set_parses_values_and_checks_names() -> None:
    assert parse_setting("tesseract.psm=6") == ("tesseract", "psm", 6)
    assert parse_setting("ocr.tesseract.tessdata=/opt/td") == ("ocr.tesseract", "tessdata", "/opt/td")
    opts = build_options(settings=["tesseract.psm=6", "rapidocr.threads=2"])
    assert opts.backends == {"tesseract": {"psm": 6}, "rapidocr": {"threads": 2}}
    with pytest.raises(ConfigError, match=r"expected NAME\.KEY=VALUE"):
        build_options(settings=["psm=6"])
    with pytest.raises(ConfigError, match="unknown backend 'tesseract6'"):
        build_options(settings=["tesseract6.psm=6"])


def _page_doc(tmp_path: Path) -> Document:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 100), "Invoice date: 12 March 2024", fontsize=11)
    page.insert_text((72, 130), "Total: 1.190,00 EUR", fontsize=11)
    page.insert_text((72, 160), "IBAN DE89 3704 0044 0532 0130 00", fontsize=11)
    page.insert_text((72, 190), "Pay to DE02120300000000202051", fontsize=11, color=(1, 1, 1))  # invisible
    path = tmp_path / "p.pdf"
    doc.save(path)
    document = open_document(path, ExtractOptions())
    layout = registry.layout("heuristic")(BackendOptions(), Runtime())
    for p in document.pages:
        layout.analyze(p, document)
    return document


def test_locate_finds_values_on_the_visible_page_only(tmp_path: Path) -> None:
    doc = _page_doc(tmp_path)
    total = locate(Decimal("1190.00"), doc, "amount")
    assert total is not None and total.page == 0 and total.text.startswith("1.190,00")
    date = locate(dt.date(2024, 3, 12), doc, "date")
    assert date is not None and "March" in date.text
    iban = locate("DE89370400440532013000", doc, "iban")
    assert iban is not None and iban.text.replace(" ", "") == "DE89370400440532013000"
    assert locate(Decimal("1190.01"), doc, "amount") is None
    assert locate("DE02120300000000202051", doc, "iban") is None  # printed in white: never evidence
    assert locate(True, doc, "boolean") is None


class _LockProbe(Backend):
    """Records whether another thread could take the native lock while this tier ran."""

    name = "lockprobe"
    free: ClassVar[list[bool]] = []

    def extract(self, document: Document, spec: SchemaSpec, wanted: Set[str], options: ExtractOptions) -> TierOutput:
        got: list[bool] = []

        def probe() -> None:
            ok = _NATIVE_LOCK.acquire(blocking=False)
            if ok:
                _NATIVE_LOCK.release()
            got.append(ok)

        t = threading.Thread(target=probe)
        t.start()
        t.join()
        _LockProbe.free.extend(got)
        return TierOutput()


def test_tiers_run_outside_the_native_lock(tmp_path: Path) -> None:
    registry.register("tier", "lockprobe", f"{__name__}:_LockProbe")
    _LockProbe.free = []
    try:
        docextract.extract(_invoice_pdf(tmp_path / "a.pdf"), schema="Invoice", tiers=("lockprobe",))
    finally:
        registry.BUILTIN["tier"].pop("lockprobe", None)
    assert _LockProbe.free == [True]


def test_legacy_cost_number_in_a_record_reads_as_no_cost() -> None:
    rec = docextract.ExtractionResult.model_validate({"file": "a.pdf", "schema": "Invoice", "status": "ok",
                                                      "threshold": 0.8, "cost": 0.0})
    assert rec.cost == {}
    total = docextract.Cost(tokens_in=3, usd=None) + docextract.Cost(tokens_in=4, usd=0.1)
    assert (total.tokens_in, total.usd) == (7, 0.1)


def test_backend_options_are_part_of_the_resume_key() -> None:
    from docextract.fingerprint import options_hash
    from docextract.options import RuntimeOptions

    base = options_hash(ExtractOptions())
    assert options_hash(ExtractOptions(backends={"tesseract": {"psm": 6}})) != base
    assert options_hash(ExtractOptions(backends={"tesseract": TesseractOptions(psm=6)})) == options_hash(
        ExtractOptions(backends={"tesseract": {"kind": "tesseract", "psm": 6, "tessdata": None,
                                             "binary": "tesseract", "backend": "auto"}}))
    assert options_hash(ExtractOptions(runtime=RuntimeOptions(cache_dir="/tmp/elsewhere"))) == base
