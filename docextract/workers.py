"""The worker side of a batch: a long-lived process that extracts one file at a time.

It runs in its own session and process group (so a kill also takes any helper processes it started), dies
with its parent, writes no core files, and caps its own address space, because native engines can crash, hang or
allocate gigabytes on a few kilobytes of hostile input. The parent (``docextract.workerpool``) enforces the
deadline and the resident-memory cap from outside.

Wire protocol over one socket pair, parent → worker: first ``(schema, options, registry, rss_cap_mb)``, then
``(index, path)`` per file or ``None`` (stop);
worker → parent: ``("ready", pid)``, ``("init_error", error_dict)``,
``("result", index, wire, rss_mb, leaving)`` (``leaving``: the worker exits after this file).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from docextract.errors import BackendError, DocExtractError, ResourceLimitError
from docextract.options import ExtractOptions
from docextract.result import ExtractionResult

# Imported once per worker so that each file pays only for its own work (pymupdf alone takes 1-3 s).
_PRELOAD = ("pymupdf", "pypdfium2", "PIL.Image", "docextract.load", "docextract.ocr", "docextract.validators")


def rss_mb(pid: int) -> float | None:
    """Resident memory of ``pid`` in MiB, or None where it cannot be read."""
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as fh:
            pages = int(fh.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        pass
    try:
        import psutil

        return float(psutil.Process(pid).memory_info().rss) / 2**20
    except Exception:  # psutil missing, or the process is gone
        return None


def _vms_bytes() -> int | None:
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def _contain_self(rss_cap_mb: int) -> None:
    """Death with the parent, no core dumps, an address-space cap (the parent made it a session leader)."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: a worker never outlives its supervisor
        except (OSError, AttributeError):
            pass
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        vms = _vms_bytes()
        if vms is not None:
            # Room for the cap on top of what the imports reserved; the parent polices RSS itself, this is
            # the backstop that turns a runaway allocation into MemoryError instead of swapping the host.
            soft = vms + 2 * rss_cap_mb * 2**20
            _, hard = resource.getrlimit(resource.RLIMIT_AS)
            if hard == resource.RLIM_INFINITY or soft < hard:
                resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    except (ImportError, ValueError, OSError):
        pass


def _preload(options: ExtractOptions) -> None:
    import importlib

    from docextract import registry

    for name in _PRELOAD:
        # An optional engine that is absent is reported when a file needs it.
        with contextlib.suppress(Exception):
            importlib.import_module(name)
    refs: list[tuple[Any, str]] = [("layout", options.layout), *[("tier", t) for t in options.tiers]]
    for kind, name in refs:
        with contextlib.suppress(Exception):  # reported per file, with its typed error
            registry.load(kind, name)


def to_wire(result: ExtractionResult) -> dict[str, Any]:
    """A picklable form: the schema instance becomes plain Python data (user models may not pickle)."""
    wire = result.model_dump(exclude={"data"})
    data = result.data
    wire["data"] = data.model_dump() if hasattr(data, "model_dump") else data
    return wire


def extract_one(extractor: Any, path: str, spec: Any) -> tuple[ExtractionResult, bool]:
    """Extract one file, turning every exception into a failed result. Returns (result, worker_must_exit)."""
    from docextract.fingerprint import options_hash
    from docextract.inputs import file_sha256

    def failed_result(path: str, name: str, error: DocExtractError, threshold: float) -> ExtractionResult:
        return ExtractionResult.failed(path, name, error, threshold, sha256=file_sha256(path),
                                       options_hash=options_hash(extractor.options))

    threshold = extractor.options.threshold
    try:
        return extractor.extract(path, spec), False
    except DocExtractError as exc:
        # The pipeline types a MemoryError as ResourceLimitError; the heap may be fragmented, so retire.
        out_of_memory = isinstance(exc, ResourceLimitError) and isinstance(exc.__cause__, MemoryError)
        return failed_result(path, spec.name, exc, threshold), out_of_memory
    except MemoryError as exc:
        err = ResourceLimitError("ran out of memory (worker memory cap); raise limits.max_worker_rss_mb", path=path)
        err.__cause__ = exc
        return failed_result(path, spec.name, err, threshold), True
    except Exception as exc:  # an engine's untyped failure: contained and typed here, never escapes
        err2 = BackendError(f"internal error {type(exc).__name__}: {exc}", path=path)
        return failed_result(path, spec.name, err2, threshold), False


# Run as ``python -c BOOT FD``: the worker imports docextract and nothing of the caller's ``__main__`` (a script
# without an ``if __name__ == "__main__"`` guard, or a notebook, is never re-run in the worker).
BOOT = (
    "import json, os, sys\n"
    "sys.path[:0] = [p for p in json.loads(os.environ.get('_DOCEXTRACT_SYS_PATH', '[]')) if p not in sys.path]\n"
    "from docextract.workers import serve\n"
    "serve(int(sys.argv[1]))\n"
)


def serve(fd: int) -> None:
    """Entry point of a worker process: set up from the first message, then extract files until told to stop."""
    os.set_inheritable(fd, False)  # helpers this worker starts must not hold the pipe open after it dies
    conn = Connection(fd)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the supervisor's to handle
    try:
        schema, options, registry_snapshot, rss_cap_mb = conn.recv()
        _contain_self(rss_cap_mb)
        from docextract import registry
        from docextract.pipeline import Extractor
        from docextract.schema import resolve_schema

        for kind, entries in registry_snapshot.items():
            registry.BUILTIN.setdefault(kind, {}).update(entries)
        spec = resolve_schema(schema)
        extractor = Extractor(options)
        _preload(options)
    except DocExtractError as exc:
        conn.send(("init_error", exc.to_dict()))
        return
    except Exception as exc:
        conn.send(("init_error", BackendError(f"worker could not start: {type(exc).__name__}: {exc}").to_dict()))
        return
    conn.send(("ready", os.getpid()))
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        index, path = msg
        result, must_exit = extract_one(extractor, str(Path(path)), spec)
        conn.send(("result", index, to_wire(result), rss_mb(os.getpid()), must_exit))
        if must_exit:
            return
