"""The cascade: the one place that knows the order of stages.

load → OCR where the text layer is unusable → layout → tiers (each asked only for fields still
below the threshold) → validation rules → scoring → schema instance → ExtractionResult
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from docextract import backends, scoring, status
from docextract.backend import Runtime, TierOutput
from docextract.document import Box, Document
from docextract.errors import (
    BackendError,
    CorruptDocumentError,
    DocExtractError,
    ResourceLimitError,
    SchemaError,
)
from docextract.evidence import PageText, ground
from docextract.fingerprint import options_hash
from docextract.options import ExtractOptions
from docextract.result import Candidate, Cost, Evidence, ExtractionResult, FieldResult, Issue, PageInfo
from docextract.schema import SchemaSpec, loc_path, resolve_schema
from docextract.trust.features import PageRead

if TYPE_CHECKING:
    from docextract.protocols import LayoutModel, Loader, Tier

SchemaLike = type[BaseModel] | str | Path | SchemaSpec

# pymupdf and pypdfium2 are not thread-safe; in-process calls from several threads take turns at loading,
# rendering and OCR. Layout and tiers run outside it: a model or API tier must not wait on a PDF engine.
_NATIVE_LOCK = threading.RLock()


@contextmanager
def stage_errors(stage: str, path: Path) -> Iterator[None]:
    """The last resort: an exception a stage let escape becomes a typed error naming the file and the stage.

    Engines' own errors are wrapped where they are called; what reaches here is a bug in a stage (ours or an
    engine's), and it must not escape untyped. MemoryError is the worker's memory cap (ResourceLimitError).
    RecursionError is input-driven (a structure nested deeper than the interpreter's stack, as in a deep page
    tree or nested XML), so it says the document is corrupt; the stage and the original type stay in the
    message, and the traceback in ``__cause__``, so a genuine bug is still diagnosable. The message names the
    exception's type and where it was raised, not its text, which may quote document text (R10: no page text
    in error messages).
    """
    try:
        yield
    except DocExtractError:
        raise
    except MemoryError as exc:
        raise ResourceLimitError(
            f"out of memory in {stage}", path=path, hint="raise limits.max_worker_rss_mb if the file is trusted"
        ) from exc
    except RecursionError as exc:
        raise CorruptDocumentError(f"structure nested too deeply for {stage} (RecursionError)", path=path) from exc
    except Exception as exc:
        raise BackendError(
            f"internal error in {stage}: {type(exc).__name__} at {_raised_at(exc)}",
            path=path,
            hint="a bug in docextract or an engine; please report it with the file if you can share it",
        ) from exc


def _raised_at(exc: BaseException) -> str:
    """``module.py:line`` of the innermost frame of ``exc``'s traceback."""
    tb = exc.__traceback__
    if tb is None:
        return "unknown location"
    while tb.tb_next is not None:
        tb = tb.tb_next
    return f"{Path(tb.tb_frame.f_code.co_filename).name}:{tb.tb_lineno}"


class Extractor:
    """Runs the cascade with one set of options. Reuse it for many files: its loaders, layout model and
    tiers are built once, here, and OCR engines come from the process-wide pool.

    Raises:
        ConfigError: an unknown tier, OCR engine, layout model, backend, or backend option.

    Example:
        >>> ex = Extractor(ExtractOptions(threshold=0.9, backends={"tesseract": {"psm": 6}}))
        >>> result = ex.extract("invoice.pdf", schema="Invoice")
    """

    def __init__(self, options: ExtractOptions | None = None) -> None:
        self.options = options or ExtractOptions()
        self.runtime = Runtime.from_options(self.options)
        self._plan = backends.plan(self.options)
        self._loaders: dict[str, Loader] = {n: c.build(self.runtime) for n, c in self._plan.loaders.items()}
        self._layout: LayoutModel = self._plan.layout.build(self.runtime)
        self._tiers: dict[str, Tier] = {c.name: c.build(self.runtime) for c in self._plan.tiers}
        self._options_hash = options_hash(self.options)  # options are frozen: one hash for every record

    def close(self) -> None:
        """Close the tiers, layout model and loaders (pooled OCR engines stay for other Extractors)."""
        for backend in [*self._tiers.values(), self._layout, *self._loaders.values()]:
            backend.close()

    def __enter__(self) -> Extractor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def extract(self, source: str | Path, schema: SchemaLike) -> ExtractionResult:
        """Extract one file into ``schema``.

        Raises:
            DocExtractError: a typed error naming the file (bad input, unknown schema, ...).
        """
        spec = resolve_schema(schema)
        return self._extract(Path(source), spec)

    def _extract(self, path: Path, spec: SchemaSpec) -> ExtractionResult:
        from docextract.load import open_document
        from docextract.ocr import apply_ocr, pages_to_ocr

        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        with _NATIVE_LOCK:
            with stage_errors("load", path):
                doc = open_document(path, self.options, self._loaders)
            timings["load"] = time.perf_counter() - t0

            t = time.perf_counter()
            issues: list[Issue] = [status.repaired_issue()] if doc.repaired else []
            with stage_errors("ocr", path):
                needs_ocr = bool(pages_to_ocr(doc, self.options.ocr))
                engine = backends.ocr_engine(self._plan.ocr, self.runtime) if needs_ocr else None
                issues.extend(apply_ocr(doc, self.options, engine))
            timings["ocr"] = time.perf_counter() - t

        t = time.perf_counter()
        with stage_errors("layout", path):
            for page in doc.pages:
                self._layout.analyze(page, doc)
        timings["layout"] = time.perf_counter() - t

        costs: dict[str, Cost] = {}
        fields, more_issues = self._run_tiers(doc, spec, timings, costs)
        issues.extend(more_issues)
        with stage_errors("validation", path):
            result = self._finish(doc, spec, fields, issues, timings, t0)
        result.cost = costs
        return result

    def _run_tiers(
        self, doc: Document, spec: SchemaSpec, timings: dict[str, float], costs: dict[str, Cost]
    ) -> tuple[dict[str, Candidate], list[Issue]]:
        threshold = self.options.threshold
        chosen: dict[str, Candidate] = {}
        issues: list[Issue] = []
        page_text: PageText | None = None
        all_paths = {f.path for f in spec.fields} | {t.path for t in spec.tables}
        for name in self.options.tiers:
            scores = {p: c.score for p, c in chosen.items()}
            wanted = {p for p in all_paths if _confidence_of(p, scores) < threshold}
            if not wanted:
                break
            with stage_errors(f"tier {name}", doc.path):
                tier = self._tiers[name]
                reason = tier.available()
                if reason:
                    issues.append(Issue(code="tier_skipped", message=f"tier {name} skipped: {reason}", severity="info"))
                    continue
                t = time.perf_counter()
                out = tier.extract(doc, spec, frozenset(wanted), self.options)
                if not isinstance(out, TierOutput):
                    raise BackendError(f"tier {name} returned {type(out).__name__}, not TierOutput", path=doc.path,
                                       hint="a tier's extract() returns docextract.TierOutput (backend contract v2)")
                timings[f"tier.{name}"] = time.perf_counter() - t
                if out.cost != Cost():  # a CPU tier's time is in timings; cost is what a tier reports it spent
                    costs[name] = costs[name] + out.cost if name in costs else out.cost
                candidates, unplaced, page_text = ground(doc, spec, out.candidates, page_text)
                issues.extend(out.issues)
                candidates = scoring.rescore(candidates, spec, [PageRead.of(p) for p in doc.pages])
                _merge(chosen, candidates, spec, wanted)
                # Only a value that was kept is worth the flag; one that lost to a located value is moot.
                issues.extend(i for i in unplaced if not _placed(chosen.get(i.fields[0])) and i not in issues)
        return chosen, issues

    def _finish(
        self,
        doc: Document,
        spec: SchemaSpec,
        chosen: dict[str, Candidate],
        issues: list[Issue],
        timings: dict[str, float],
        t0: float,
    ) -> ExtractionResult:
        from docextract.validators import run_rules

        threshold = self.options.threshold
        values = {p: c.value for p, c in chosen.items() if c.value is not None}
        rule_issues = run_rules(spec, values)
        fields: dict[str, FieldResult] = {}
        for path, cand in chosen.items():
            field_issues = [i for i in issues + rule_issues if path in i.fields or _parent_in(path, i.fields)]
            conf = scoring.final_confidence(cand, field_issues, spec)
            fields[path] = FieldResult(
                value=cand.value,
                raw=cand.raw,
                confidence=round(conf, 4),
                source=cand.source,
                evidence=[_displayed(doc, e) for e in cand.evidence],
                issues=field_issues,
            )
        # Confirmations (severity "info" from rules) live on the fields, not in the document's issue list.
        issues = issues + [i for i in rule_issues if i.severity != "info"]

        unsure = status.unsure(spec, fields, threshold)
        keep = self.options.keep_unsure
        data, rejected = spec.build(
            {p: f.value for p, f in fields.items() if f.value is not None and (keep or p not in unsure.withheld)}
        )
        for path in rejected:
            if path in fields:
                fields[path].confidence = 0.0
            issues.append(Issue(code="schema_rejected", message=f"{path} does not fit the schema", fields=(path,)))
        if spec.json_schema is not None and data is not None:
            issues.extend(_json_schema_issues(spec.json_schema, data))

        missing = status.missing_required(spec, fields, threshold)
        low = sorted(p for p, f in fields.items() if f.value is not None and f.confidence < threshold)
        if missing:
            issues.append(
                Issue(
                    code="required_missing",
                    message="required fields not found with enough confidence: " + ", ".join(missing),
                    severity="warning",
                    fields=tuple(missing),
                )
            )
        if low:
            issues.append(
                Issue(
                    code="low_confidence",
                    message=f"{len(low)} field(s) below the threshold {threshold}",
                    severity="info",
                    fields=tuple(low),
                )
            )
        ok = status.is_ok(data, missing, issues)
        timings["total"] = time.perf_counter() - t0
        return ExtractionResult(
            file=str(doc.path),
            sha256=doc.sha256,
            schema_name=spec.name,
            status="ok" if ok else "review",
            threshold=threshold,
            data=data,
            fields=dict(sorted(fields.items(), key=lambda kv: status.path_key(kv[0]))),
            unsure=list(unsure.paths),
            issues=issues,
            pages=[
                PageInfo(
                    index=p.index,
                    text_source=p.text_source,
                    words=len(p.words),
                    text_layer_usable=p.text_layer_usable,
                    text_layer_reason=p.text_layer_reason,
                )
                for p in doc.pages
            ],
            timings={k: round(v, 4) for k, v in timings.items()},
            options_hash=self._options_hash,
        )


def _displayed(doc: Document, ev: Evidence) -> Evidence:
    """Evidence in the frame of the page as displayed (OCR reads a turned page in its own frame)."""
    if ev.page is None or ev.box is None or not 0 <= ev.page < len(doc.pages):
        return ev
    page = doc.pages[ev.page]
    if not page.ocr_rotation:
        return ev
    box = page.displayed_box(Box(*ev.box))
    return ev.model_copy(update={"box": (box.x0, box.y0, box.x1, box.y1)})


def _placed(cand: Candidate | None) -> bool:
    return cand is None or any(e.page is not None or e.xpath is not None for e in cand.evidence)


def _parent_in(path: str, fields: Iterable[str]) -> bool:
    """A table-level issue ("line_items") concerns every cell under it."""
    return any(path.startswith((f + "[", f + ".")) for f in fields)


def _table_of(path: str) -> str | None:
    return path.split("[", 1)[0] if "[" in path else None


def _confidence_of(path: str, scores: Mapping[str, float]) -> float:
    """A scalar path's confidence, or a table's: its least sure cell (0 when nothing was found)."""
    if path in scores:
        return scores[path]
    cells = [s for p, s in scores.items() if _table_of(p) == path]
    return min(cells) if cells else 0.0


def _merge(chosen: dict[str, Candidate], candidates: list[Candidate], spec: SchemaSpec, wanted: set[str]) -> None:
    """Keep the best candidate per path. A table is taken whole from one tier, never row by row."""
    by_table: dict[str, list[Candidate]] = defaultdict(list)
    for cand in candidates:
        table = _table_of(cand.path)
        if table is not None:
            by_table[table].append(cand)
            continue
        if cand.path not in wanted:
            continue
        old = chosen.get(cand.path)
        if old is None or cand.score > old.score:
            if old is not None and scoring.same_value(old.value, cand.value):
                cand = scoring.agree(cand, old)
            chosen[cand.path] = cand
        elif scoring.same_value(old.value, cand.value):
            chosen[cand.path] = scoring.agree(old, cand)
    for table, cells in by_table.items():
        if table not in wanted:
            continue
        old_cells = [p for p in chosen if _table_of(p) == table]
        new_conf = min(c.score for c in cells)
        if old_cells and min(chosen[p].score for p in old_cells) >= new_conf:
            continue
        for p in old_cells:
            del chosen[p]
        for cand in cells:
            chosen[cand.path] = cand


def _json_schema_issues(schema: dict[str, Any], data: Any) -> list[Issue]:
    import jsonschema

    validator = jsonschema.validators.validator_for(schema)(schema)
    out = []
    for err in validator.iter_errors(data):
        path = loc_path(tuple(err.absolute_path))
        if err.validator == "required":
            continue  # missing required fields are already reported with their confidence
        # The user's JSON Schema is a hard constraint: a value that breaks it must not pass as "ok".
        where = (path,) if path else ()
        out.append(
            Issue(code="json_schema", message=f"{path or '(root)'}: {err.message}", severity="error", fields=where)
        )
    return out


def extract(
    source: str | Path, schema: SchemaLike, options: ExtractOptions | None = None, **kwargs: Any
) -> ExtractionResult:
    """Extract one document into ``schema``.

    Args:
        source: a PDF, an image (PNG, JPEG, TIFF, WebP) or an e-invoice XML file.
        schema: a pydantic model class, a built-in name ("Invoice"), "pkg.mod:Class", "file.py:Class" or a
            JSON Schema file.
        options: ExtractOptions; keyword arguments (``threshold=0.9``) build one instead.

    Returns:
        ExtractionResult with ``data`` (the schema instance), per-field ``fields`` and ``status``.

    Raises:
        DocExtractError: a typed error naming the file and what to do.

    Example:
        >>> from docextract.schemas import Invoice
        >>> result = extract("invoice.pdf", schema=Invoice)
        >>> result.data.total_gross, result.fields["total_gross"].confidence
    """
    return Extractor(merged_options(options, kwargs)).extract(source, schema)


def merged_options(options: ExtractOptions | None, overrides: Mapping[str, Any]) -> ExtractOptions:
    """``options`` (or the defaults) with keyword ``overrides`` on top, as ``extract`` and ``extract_many`` take them.

    Raises:
        ConfigError: an unknown (misspelt) or invalid option, naming it.
    """
    if options is None:
        return ExtractOptions.create(**overrides)
    if not overrides:
        return options
    return ExtractOptions.create(**{**options.model_dump(), **overrides})


__all__ = ["Extractor", "SchemaError", "extract", "merged_options"]
