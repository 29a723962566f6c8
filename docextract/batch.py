"""Many files: ``extract_many`` and the seam where a batch meets the machinery that runs it.

An ``Executor`` takes files and gives back one ExtractionResult per file, in input order; a file that fails
is a ``failed`` result carrying its typed error, and the batch goes on. Two today, chosen by ``isolate``:

    InProcessExecutor    (isolate=False) one file after another in this process: fast start, no containment
    WorkerPoolExecutor   (isolate=True, docextract.workerpool) worker subprocesses, deadline and memory cap

The cascade (``docextract.pipeline``) knows nothing of batches; this module sits above it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from docextract.options import ExtractOptions
from docextract.pipeline import merged_options
from docextract.result import ExtractionResult
from docextract.schema import SchemaSpec, resolve_schema

if TYPE_CHECKING:
    from pydantic import BaseModel

    SchemaLike = type[BaseModel] | str | Path | SchemaSpec


class Executor(Protocol):
    """Runs files through the cascade, built with a schema and options (and how many workers)."""

    def map(self, paths: Sequence[str]) -> Iterator[ExtractionResult]:
        """One result per path, in input order; an exception never escapes for one file."""
        ...


class InProcessExecutor:
    """The ``Executor`` that runs every file in this process, one after another (``isolate=False``).

    A crash or hang in a native engine takes the caller down with it, and there is no per-file deadline.
    """

    def __init__(self, spec: SchemaSpec, options: ExtractOptions) -> None:
        self.spec = spec
        self.options = options

    def map(self, paths: Sequence[str]) -> Iterator[ExtractionResult]:
        from docextract.pipeline import Extractor
        from docextract.workers import extract_one

        extractor = Extractor(self.options)
        for path in paths:
            yield extract_one(extractor, path, self.spec)[0]


def executor_for(
    spec: SchemaSpec, schema: Any, options: ExtractOptions, *, workers: int = 1, isolate: bool = True
) -> Executor:
    """The executor ``isolate`` asks for.

    Raises:
        SchemaError: with ``isolate``, a schema that cannot be sent to worker processes.
    """
    if not isolate:
        return InProcessExecutor(spec, options)
    from docextract.workerpool import WorkerPoolExecutor

    return WorkerPoolExecutor(spec, schema, options, workers)


def run_batch(
    sources: Sequence[str | Path],
    spec: SchemaSpec,
    schema: Any,
    options: ExtractOptions,
    *,
    workers: int = 1,
    isolate: bool = True,
) -> Iterator[ExtractionResult]:
    """Extract every source, yielding one result per source in input order.

    Args:
        sources: files to extract (already expanded; see ``docextract.inputs.expand_inputs``).
        spec: the resolved schema.
        schema: the schema as the caller gave it; sent to the workers, which resolve it again.
        options: extraction options; ``options.limits`` sets the deadline and the worker memory cap.
        workers: worker processes (0 = one per CPU).
        isolate: False runs every file in this process, one after another: faster to start, but a crash
            or hang in a native engine then takes the caller down with it.

    Raises:
        SchemaError: ``schema`` cannot be sent to worker processes (define it in an importable module,
            pass it as "pkg.mod:Class" or "file.py:Class", or use ``isolate=False``).
    """
    paths = [str(s) for s in sources]
    if not paths:
        return iter(())
    return executor_for(spec, schema, options, workers=workers, isolate=isolate).map(paths)


def extract_many(
    sources: Iterable[str | Path],
    schema: SchemaLike,
    options: ExtractOptions | None = None,
    *,
    workers: int = 1,
    isolate: bool = True,
    **kwargs: Any,
) -> Iterator[ExtractionResult]:
    """Extract many documents, yielding one result per source in input order.

    A file that fails becomes a ``failed`` result carrying its typed error; the batch goes on. Files run
    in ``workers`` worker processes that are killed at the deadline (``options.limits.timeout_s``) or the
    memory cap; ``isolate=False`` runs them in this process instead (faster start, no containment).
    Keyword options (``threshold=0.9``) go on top of ``options``, as for ``extract``.

    Raises (at the call, before any file is read):
        ConfigError: an unknown (misspelt) or invalid keyword option, or an unknown backend or backend option.
        SchemaError: the schema cannot be resolved, or (with ``isolate``) sent to worker processes.
    """
    from docextract.backends import plan

    options = merged_options(options, kwargs)
    plan(options)  # a bad backend or option fails here, at the call, not in every worker
    spec = resolve_schema(schema)
    return run_batch(list(sources), spec, schema, options, workers=workers, isolate=isolate)
