"""Batch containment: crashes, hangs and memory blow-ups in an engine cost only their own file."""

from __future__ import annotations

import ast
import hashlib
import os
import sys
import time
from pathlib import Path

import psutil
import pymupdf
import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # the workers import tests.support.crashtier through the parent's sys.path
    sys.path.insert(0, str(ROOT))

import docextract  # noqa: E402
from docextract import batch, registry, workerpool  # noqa: E402
from docextract.errors import ConfigError, CorruptDocumentError, SchemaError  # noqa: E402
from docextract.fingerprint import options_hash  # noqa: E402
from docextract.options import ExtractOptions  # noqa: E402
from docextract.result import ExtractionResult  # noqa: E402
from docextract.schema import resolve_schema  # noqa: E402


@pytest.fixture(autouse=True)
def crash_tier():
    registry.register("tier", "crashtest", "tests.support.crashtier:CrashTier")
    yield
    registry.BUILTIN["tier"].pop("crashtest", None)


def make_pdf(path: Path, text: str) -> Path:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 90), text, fontsize=12)
    doc.save(path)
    doc.close()
    return path


def options(timeout: float = 4.0, rss_mb: int = 400) -> ExtractOptions:
    return ExtractOptions(tiers=("crashtest",), limits={"timeout_s": timeout, "max_worker_rss_mb": rss_mb})


def run(paths: list[Path], opts: ExtractOptions, workers: int = 2, isolate: bool = True) -> list:
    spec = resolve_schema("Invoice")
    return list(batch.run_batch(paths, spec, "Invoice", opts, workers=workers, isolate=isolate))


def worker_pid(result) -> int:
    return int(next(i.message for i in result.issues if i.code == "worker_pid"))


def no_children_left() -> bool:
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:
        if not psutil.Process().children(recursive=True):
            return True
        time.sleep(0.05)
    return False


def test_segfault_and_hang_fail_only_their_file(tmp_path: Path) -> None:
    words = ["hello", "CRASH_SEGV", "hello", "hello", "HANG_FOREVER", "hello", "hello", "hello"]
    paths = [make_pdf(tmp_path / f"doc{i}.pdf", f"Invoice {i} {w}") for i, w in enumerate(words)]
    start = time.monotonic()
    results = run(paths, options(timeout=3.0))
    elapsed = time.monotonic() - start

    assert [r.file for r in results] == [str(p) for p in paths]  # input order whatever finished first
    by_word = dict(zip(words, results, strict=True))
    crash, hang = results[1], results[4]
    assert crash.status == "failed" and crash.error.type == "EngineCrashError"
    assert "SIGSEGV" in crash.error.message and str(paths[1]) in crash.error.message
    assert hang.status == "failed" and hang.error.type == "ExtractionTimeoutError"
    others = [r for w, r in zip(words, results, strict=True) if w == "hello"]
    assert len(others) == 6 and all(r.status in ("ok", "review") for r in others)
    assert all(worker_pid(r) != os.getpid() for r in others)
    assert by_word["hello"].sha256 is not None
    assert elapsed < 3.0 + 20  # one deadline, not one per file
    assert no_children_left()


def test_abort_memory_untyped_and_exit_are_typed(tmp_path: Path) -> None:
    words = ["CRASH_ABRT", "EAT_MEMORY", "ALLOC_HUGE", "RAISE_PLAIN", "EXIT_QUIETLY", "fine"]
    paths = [make_pdf(tmp_path / f"m{i}.pdf", f"Invoice {w}") for i, w in enumerate(words)]
    results = run(paths, options(timeout=8.0, rss_mb=300), workers=1)
    types = [r.error.type if r.error else r.status for r in results]
    assert types[0] == "EngineCrashError" and "SIGABRT" in results[0].error.message
    assert types[1] == "ResourceLimitError"  # RSS over the cap, stopped by the supervisor
    assert types[2] == "ResourceLimitError"  # the address-space cap turns the allocation into MemoryError
    assert types[3] == "BackendError" and "RuntimeError" in results[3].error.message
    assert types[4] == "BackendError" and "exit status 3" in results[4].error.message
    assert types[5] in ("ok", "review")
    assert no_children_left()


def test_workers_are_recycled_after_n_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workerpool, "RECYCLE_AFTER", 2)
    paths = [make_pdf(tmp_path / f"r{i}.pdf", f"Invoice {i}") for i in range(5)]
    results = run(paths, options(), workers=1)
    pids = [worker_pid(r) for r in results]
    assert pids[0] == pids[1] and pids[2] == pids[3] and len(set(pids)) == 3
    assert no_children_left()


def test_in_process_contains_untyped_errors(tmp_path: Path) -> None:
    paths = [make_pdf(tmp_path / "a.pdf", "Invoice RAISE_PLAIN"), make_pdf(tmp_path / "b.pdf", "Invoice b"),
             tmp_path / "missing.pdf"]
    results = run(paths, options(), workers=1, isolate=False)
    assert results[0].error.type == "BackendError"
    assert results[1].status in ("ok", "review") and worker_pid(results[1]) == os.getpid()
    assert results[2].error.type == "MissingFileError"


def test_extract_many_runs_in_workers_in_order(tmp_path: Path) -> None:
    paths = [make_pdf(tmp_path / f"e{i}.pdf", f"Invoice {i}") for i in range(4)]
    results = list(docextract.extract_many(paths, "Invoice", options(), workers=2))
    assert [r.file for r in results] == [str(p) for p in paths]
    assert all(worker_pid(r) != os.getpid() for r in results)


def test_schema_that_cannot_reach_workers_is_refused(tmp_path: Path) -> None:
    from pydantic import BaseModel

    class Local(BaseModel):  # defined in a function: not importable by a worker
        name: str | None = None

    spec = resolve_schema(Local)
    with pytest.raises(SchemaError, match="cannot be sent to worker processes"):
        batch.run_batch([tmp_path / "x.pdf"], spec, Local, options(), workers=1)


def test_closing_the_iterator_stops_the_workers(tmp_path: Path) -> None:
    paths = [make_pdf(tmp_path / f"c{i}.pdf", "Invoice HANG_FOREVER" if i == 1 else f"Invoice {i}") for i in range(3)]
    results = batch.run_batch(paths, resolve_schema("Invoice"), "Invoice", options(timeout=60), workers=2)
    first = next(results)
    assert first.status in ("ok", "review")
    results.close()  # type: ignore[attr-defined]
    assert no_children_left()


def test_worker_that_cannot_start_fails_every_file(tmp_path: Path) -> None:
    registry.register("tier", "broken", "tests.no_such_module:Nothing")
    try:
        paths = [make_pdf(tmp_path / f"b{i}.pdf", "Invoice") for i in range(2)]
        opts = ExtractOptions(tiers=("broken",), limits={"timeout_s": 5})
        results = run(paths, opts, workers=1)
    finally:
        registry.BUILTIN["tier"].pop("broken", None)
    # The tier fails to import per file (typed), never the batch as a whole.
    assert [r.status for r in results] == ["failed", "failed"]
    assert all(r.error.type in ("BackendError", "ConfigError") for r in results)


# -- the executor seam and the options of extract_many ----------------------------------------------------


def test_both_executors_give_one_result_per_file_in_input_order(tmp_path: Path) -> None:
    paths = [str(make_pdf(tmp_path / f"x{i}.pdf", f"Invoice {i}")) for i in range(3)]
    paths.insert(1, str(tmp_path / "gone.pdf"))
    spec = resolve_schema("Invoice")
    inline = batch.executor_for(spec, "Invoice", options(), isolate=False)
    pooled = batch.executor_for(spec, "Invoice", options(), workers=2, isolate=True)
    assert isinstance(inline, batch.InProcessExecutor) and isinstance(pooled, workerpool.WorkerPoolExecutor)
    for executor, in_parent in ((inline, True), (pooled, False)):
        results = list(executor.map(paths))
        assert [r.file for r in results] == paths
        assert [r.status == "failed" for r in results] == [False, True, False, False]
        assert results[1].error is not None and results[1].error.type == "MissingFileError"
        assert all((worker_pid(r) == os.getpid()) is in_parent for r in results if r.status != "failed")


def test_failed_results_carry_the_file_hash(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 10)
    for isolate in (False, True):
        (result,) = run([bad], options(), workers=1, isolate=isolate)
        assert result.status == "failed"
        assert result.sha256 == hashlib.sha256(bad.read_bytes()).hexdigest()
    made = ExtractionResult.failed(bad, "Invoice", CorruptDocumentError("broken", path=bad), 0.8, sha256="ab")
    assert (made.status, made.sha256, made.error.type) == ("failed", "ab", "CorruptDocumentError")  # type: ignore[union-attr]


def test_extract_many_merges_keyword_options_as_extract_does(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "m.pdf", "Invoice m")
    (alone,) = docextract.extract_many([path], "Invoice", isolate=False, tiers=("crashtest",), threshold=0.95)
    (merged,) = docextract.extract_many([path], "Invoice", options(), isolate=False, threshold=0.95)
    single = docextract.extract(path, "Invoice", options(), threshold=0.95)
    assert alone.threshold == merged.threshold == single.threshold == 0.95
    assert merged.options_hash == single.options_hash == options_hash(options().model_copy(update={"threshold": 0.95}))
    assert worker_pid(merged) == os.getpid()  # the crashtest tier of options() ran: options were kept, not replaced
    # A misspelt keyword fails at the call, before any file is read, with or without options.
    with pytest.raises(ConfigError, match="treshold"):
        docextract.extract_many([path], "Invoice", options(), treshold=0.9)
    with pytest.raises(ConfigError, match="treshold"):
        docextract.extract_many([path], "Invoice", treshold=0.9)


def test_the_cascade_does_not_import_the_batch_code() -> None:
    source = (ROOT / "docextract" / "pipeline.py").read_text(encoding="utf-8")
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
            imported.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            imported.update(a.name for a in node.names)
    assert "docextract.options" in imported  # the walk sees the module's imports, lazy ones included
    assert not {m for m in imported if m.split(".")[:2] in (["docextract", "batch"], ["docextract", "workerpool"],
                                                              ["docextract", "workers"])}
