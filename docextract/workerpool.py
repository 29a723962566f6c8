"""The process-pool executor: per-file isolation in long-lived worker processes, a deadline and a memory cap.

    parent (this module; never parses untrusted bytes itself)
      └─ supervisor: W spawn workers, one file in flight each
            deadline per file  → SIGKILL of the worker's process group → ExtractionTimeoutError
            death by a signal  → EngineCrashError(signal)   (SIGKILL from outside: ResourceLimitError)
            RSS over the cap   → SIGKILL → ResourceLimitError
            recycled after RECYCLE_AFTER files or when idle above the cap
      └─ results in input order; every file gets exactly one result, ok | review | failed(typed)

``multiprocessing.Pool`` is not used: it hangs when a worker dies mid-task. Workers are plain
``python -c`` subprocesses talking over a socket pair, not ``multiprocessing`` spawn children, so the
caller's ``__main__`` (an unguarded script, a notebook) is never re-imported in them, and a worker's stdout
goes to our stderr, so nothing an engine prints can reach the data on stdout.
"""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import signal
import socket
import subprocess
import sys
import time
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from pydantic import ValidationError

from docextract import errors
from docextract.errors import (
    BackendError,
    DocExtractError,
    EngineCrashError,
    ExtractionTimeoutError,
    ResourceLimitError,
    SchemaError,
)
from docextract.fingerprint import options_hash
from docextract.options import ExtractOptions
from docextract.result import ExtractionResult
from docextract.schema import SchemaSpec, relaxed_model

RECYCLE_AFTER = 200  # files per worker before it is replaced (bounds slow leaks in native engines)
STARTUP_TIMEOUT_S = 120.0  # spawn + importing pymupdf takes 1-3 s; a loaded CI box can be far slower
MAX_START_FAILURES = 3  # workers dying before they are ready: give up on the rest of the batch after this
_POLL_S = 0.2  # how often busy workers' RSS is read


class WorkerPoolExecutor:
    """The ``Executor`` that runs each file in a worker subprocess (``batch.Executor``; ``isolate=True``).

    Args:
        spec: the resolved schema.
        schema: the schema as the caller gave it; sent to the workers, which resolve it again.
        options: extraction options; ``options.limits`` sets the deadline and the worker memory cap.
        workers: worker processes (0 = one per CPU), never more than there are files.

    Raises:
        SchemaError: ``schema`` cannot be sent to worker processes (define it in an importable module,
            pass it as "pkg.mod:Class" or "file.py:Class", or use ``isolate=False``).
    """

    def __init__(self, spec: SchemaSpec, schema: Any, options: ExtractOptions, workers: int = 1) -> None:
        self.spec = spec
        self.payload = _picklable_schema(schema, spec)
        self.options = options
        self.workers = workers if workers > 0 else (os.cpu_count() or 1)

    def map(self, paths: Sequence[str]) -> Iterator[ExtractionResult]:
        """One result per path, in input order; a file that fails is a ``failed`` result with its typed error."""
        if not paths:
            return iter(())
        return _Supervisor(list(paths), self.spec, self.payload, self.options, min(self.workers, len(paths))).run()


def _picklable_schema(schema: Any, spec: SchemaSpec) -> Any:
    payload = spec.name if isinstance(schema, SchemaSpec) and spec.json_schema is None else schema
    if isinstance(schema, SchemaSpec) and not isinstance(payload, str):
        payload = spec.model
    if isinstance(payload, type) and payload.__module__ in ("__main__", "__mp_main__"):
        # Workers never import the caller's __main__ (a script or a notebook), so they could not find it.
        raise SchemaError(
            f"schema {spec.name!r} is defined in __main__ and cannot be sent to worker processes",
            hint="move it to an importable module, pass 'file.py:Class', or use isolate=False",
        )
    try:
        pickle.dumps(payload)
    except Exception as exc:
        raise SchemaError(
            f"schema {spec.name!r} cannot be sent to worker processes ({type(exc).__name__})",
            hint="define it at module level of an importable module, pass 'file.py:Class', or use isolate=False",
        ) from exc
    return payload


def error_from_dict(info: dict[str, Any], path: str) -> DocExtractError:
    """Rebuild a typed error from its ``to_dict()`` form (for errors raised inside a worker)."""
    cls = getattr(errors, str(info.get("type")), None)
    if not (isinstance(cls, type) and issubclass(cls, DocExtractError)) or cls is EngineCrashError:
        cls = BackendError
    message = str(info.get("message") or "worker failed")
    prefix = f"{info.get('path')}: " if info.get("path") else ""
    return cls(message.removeprefix(prefix), path=path)


@dataclass
class _Worker:
    proc: subprocess.Popen[bytes]
    conn: Connection
    started: float
    ready: bool = False
    task: tuple[int, str] | None = None
    task_started: float = 0.0
    files: int = 0
    peak_rss: float = 0.0
    kill_reason: str | None = None
    retire: bool = False


class _Supervisor:
    def __init__(self, paths: list[str], spec: SchemaSpec, schema: Any, options: ExtractOptions, count: int) -> None:
        from docextract import registry

        self.paths = paths
        self.spec = spec
        self.schema = schema
        self.options = options
        self.count = count
        self.timeout = options.limits.timeout_s
        self.cap_mb = options.limits.max_worker_rss_mb
        self.registry = {k: dict(v) for k, v in registry.BUILTIN.items()}
        self.pending: deque[int] = deque(range(len(paths)))
        self.results: dict[int, ExtractionResult] = {}
        self.workers: list[_Worker] = []
        self.start_failures = 0

    # -- lifecycle -------------------------------------------------------------------------------------

    def run(self) -> Iterator[ExtractionResult]:
        next_out = 0
        try:
            for _ in range(self.count):
                self._start()
            while next_out < len(self.paths):
                self._step()
                while next_out in self.results:
                    yield self.results.pop(next_out)
                    next_out += 1
        finally:
            self._shutdown()

    def _start(self) -> None:
        from docextract.workers import BOOT

        ours, theirs = socket.socketpair()
        env = {**os.environ, "_DOCEXTRACT_SYS_PATH": json.dumps([p for p in sys.path if p])}
        with ours, theirs:
            proc = subprocess.Popen(
                [sys.executable, "-c", BOOT, str(theirs.fileno())], pass_fds=(theirs.fileno(),),
                stdin=subprocess.DEVNULL, stdout=sys.__stderr__.fileno() if sys.__stderr__ else subprocess.DEVNULL,
                env=env, start_new_session=True,
            )
            conn = Connection(os.dup(ours.fileno()))
        worker = _Worker(proc=proc, conn=conn, started=time.monotonic())
        self.workers.append(worker)
        with contextlib.suppress(OSError):  # if it died at once, _service reports it
            conn.send((self.schema, self.options, self.registry, self.cap_mb))

    def _shutdown(self) -> None:
        for w in self.workers:
            if w.task is None and w.proc.poll() is None:
                with contextlib.suppress(OSError):
                    w.conn.send(None)
            else:
                _kill(w)
        deadline = time.monotonic() + 2.0
        for w in self.workers:
            if not _join(w, max(0.0, deadline - time.monotonic())):
                _kill(w)
                _join(w, 2.0)
            w.conn.close()
        self.workers.clear()

    # -- one turn of the loop --------------------------------------------------------------------------

    def _step(self) -> None:
        self._dispatch()
        now = time.monotonic()
        waits: list[Any] = []
        timeout = _POLL_S
        for w in self.workers:
            waits.append(w.conn)
            if w.task is not None:
                timeout = min(timeout, max(0.0, w.task_started + self.timeout - now))
        if waits:
            wait(waits, timeout)
        for w in list(self.workers):
            self._service(w)
        self._replenish()

    def _dispatch(self) -> None:
        for w in self.workers:
            if w.ready and w.task is None and not w.retire and self.pending:
                index = self.pending.popleft()
                try:
                    w.conn.send((index, self.paths[index]))
                except OSError:
                    self.pending.appendleft(index)  # the worker is gone; _service sees it next turn
                    continue
                w.task = (index, self.paths[index])
                w.task_started = time.monotonic()

    def _service(self, w: _Worker) -> None:
        closed = False
        try:
            while w.conn.poll():
                self._receive(w, w.conn.recv())
        except (EOFError, OSError):
            closed = True  # the worker is exiting; let it finish or make it
        now = time.monotonic()
        if closed:
            if not _join(w, 1.0):
                _kill(w)
        elif w.proc.poll() is None:
            if w.task is not None and now - w.task_started > self.timeout:
                w.kill_reason = "timeout"
                _kill(w)
            elif w.task is not None and (rss := _rss(w)) is not None and rss > self.cap_mb:
                w.peak_rss = rss
                w.kill_reason = "memory"
                _kill(w)
            elif not w.ready and now - w.started > STARTUP_TIMEOUT_S:
                w.kill_reason = "startup"
                _kill(w)
            elif w.retire and w.task is None:
                with contextlib.suppress(OSError):
                    w.conn.send(None)
                if not _join(w, 2.0):
                    _kill(w)
            else:
                return
        _join(w, 2.0)
        self._on_exit(w)

    def _receive(self, w: _Worker, msg: tuple[Any, ...]) -> None:
        kind = msg[0]
        if kind == "ready":
            w.ready = True
            self.start_failures = 0
        elif kind == "init_error":
            # Deterministic (the schema or a backend cannot load): every worker would fail the same way.
            while self.pending:
                index = self.pending.popleft()
                self._fail(index, error_from_dict(msg[1], self.paths[index]))
            w.retire = True
        elif kind == "result":
            _, index, wire, rss, leaving = msg
            self.results[index] = self._from_wire(wire)
            w.task = None
            w.files += 1
            if leaving or w.files >= RECYCLE_AFTER or (rss is not None and rss > self.cap_mb):
                w.retire = True

    def _on_exit(self, w: _Worker) -> None:
        self.workers.remove(w)
        w.conn.close()
        if w.task is not None:
            index, path = w.task
            self._fail(index, self._death_error(w, path))
        elif not w.ready and not w.retire:
            self.start_failures += 1
            if self.start_failures >= MAX_START_FAILURES:
                code = w.proc.returncode
                while self.pending:
                    index = self.pending.popleft()
                    self._fail(index, BackendError(f"worker processes fail to start (exit status {code})",
                                                   path=self.paths[index]))

    def _death_error(self, w: _Worker, path: str) -> DocExtractError:
        if w.kill_reason == "timeout":
            return ExtractionTimeoutError(
                f"did not finish within {self.timeout:g} s and was stopped",
                path=path, hint="raise limits.timeout_s if the file is legitimately slow",
            )
        if w.kill_reason == "memory":
            return ResourceLimitError(
                f"worker used {w.peak_rss:.0f} MiB, over the cap of {self.cap_mb} MiB, and was stopped",
                path=path, hint="raise limits.max_worker_rss_mb if the file is legitimately large",
            )
        code = w.proc.returncode
        if code is not None and code < 0:
            sig = -code
            if sig == signal.SIGKILL:
                return ResourceLimitError("the worker was killed by SIGKILL (most likely out of memory)", path=path)
            return EngineCrashError(f"the engine crashed with {_signame(sig)} while reading this file",
                                    path=path, signal=sig)
        return BackendError(f"the worker exited unexpectedly (exit status {code}) while reading this file", path=path)

    def _replenish(self) -> None:
        busy_or_ready = len(self.workers)
        wanted = min(self.count, len(self.pending) + sum(1 for w in self.workers if w.task is not None))
        for _ in range(max(0, wanted - busy_or_ready)):
            self._start()
        if not self.workers and self.pending:
            self._start()

    # -- results ---------------------------------------------------------------------------------------

    def _fail(self, index: int, error: DocExtractError) -> None:
        from docextract.inputs import file_sha256

        path = self.paths[index]
        self.results[index] = ExtractionResult.failed(
            path, self.spec.name, error, self.options.threshold, sha256=file_sha256(path),
            options_hash=options_hash(self.options),
        )

    def _from_wire(self, wire: dict[str, Any]) -> ExtractionResult:
        data = wire.pop("data", None)
        result = ExtractionResult.model_validate(wire)
        if data is not None and self.spec.json_schema is None:
            data = _instance(self.spec, data)
        result.data = data
        return result


def _instance(spec: SchemaSpec, data: dict[str, Any]) -> Any:
    """The schema instance the worker built, rebuilt here: of the model, or (a required field missing) of its
    relaxed subclass, as an in-process run gives it; plain data only if neither validates."""
    for model in (spec.model, relaxed_model(spec.model)):
        try:
            return model.model_validate(data)
        except ValidationError:
            continue
    return data


def _rss(w: _Worker) -> float | None:
    from docextract.workers import rss_mb

    return rss_mb(w.proc.pid)


def _join(w: _Worker, timeout: float) -> bool:
    """Wait up to ``timeout`` for the worker to exit; True when it has."""
    try:
        w.proc.wait(timeout)
    except subprocess.TimeoutExpired:
        return False
    return True


def _kill(w: _Worker) -> None:
    """SIGKILL the worker's whole process group (it leads its own session; helpers it started go with it)."""
    try:
        os.killpg(w.proc.pid, signal.SIGKILL)
    except OSError:
        with contextlib.suppress(OSError):
            w.proc.kill()


def _signame(sig: int) -> str:
    try:
        return signal.Signals(sig).name
    except ValueError:
        return f"signal {sig}"
