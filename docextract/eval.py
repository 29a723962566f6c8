"""Predictions against gold data: per-field correctness, coverage at a threshold, calibration.

A gold record is a mapping of the schema's fields (nested ``seller: {name}`` or flat ``seller_name``,
dates ISO, amounts numbers, ``line_items`` a list of row mappings). ``gold_full`` is what the source says
beyond the visible page; it can contradict a prediction where the gold is silent, never confirm a
missing one.

Every (field, document) pair gets one verdict:

- ``correct`` / ``wrong``: the gold has a value and we predicted one that matches / does not;
- ``missing``: the gold has a value and we predicted nothing;
- ``extra``: the gold is silent, ``gold_full`` agrees with the prediction;
- ``contradicted``: the gold is silent, ``gold_full`` disagrees (a wrong field all the same);
- ``unverifiable``: the gold is silent and ``gold_full`` says nothing either.

Definitions used in reports (``accepted`` = confidence >= threshold):

- accuracy  = correct / gold present
- coverage  = accepted predictions where gold is present / gold present
- precision = correct accepted / accepted, over verifiable verdicts (correct, wrong, extra, contradicted)
"""

from __future__ import annotations

import datetime as dt
import difflib
import itertools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from docextract.result import ExtractionResult
from docextract.schema import FieldSpec, SchemaSpec, TableSpec

Verdict = Literal["correct", "wrong", "missing", "extra", "contradicted", "unverifiable"]
MatchKind = Literal["date", "amount", "identifier", "text", "code"]

DEFAULT_BINS = (0.0, 0.5, 0.8, 0.9, 0.95, 0.99, 1.0)
AMOUNT_TOLERANCE = Decimal("0.005")
# Two rows are aligned only when at least this similar; below it they are a missing and an extra row.
MIN_ROW_SIMILARITY = 0.5

_IDENTIFIER_NAME = re.compile(r"(number|_no|_nr|_id|^id|iban|bic|reference)$")
_ROW_PATH = re.compile(r"^([^\[\].]+)\[(\d+)\]\.(.+)$")
_VERIFIABLE = frozenset({"correct", "wrong", "extra", "contradicted"})


@dataclass(frozen=True, slots=True)
class FieldScore:
    """One field of one document. ``field`` is the path without row numbers (``line_items[].quantity``),
    for aggregation; ``path`` names the predicted row (``line_items[2].quantity``), or for a gold row
    nothing was aligned to, the gold row (``line_items[gold 3].quantity``)."""

    path: str
    field: str
    match: MatchKind
    verdict: Verdict
    gold: Any = None
    predicted: Any = None
    confidence: float = 0.0
    similarity: float = 0.0

    @property
    def gold_present(self) -> bool:
        return self.verdict in ("correct", "wrong", "missing")

    @property
    def is_predicted(self) -> bool:
        return self.verdict != "missing"

    @property
    def correct(self) -> bool:
        return self.verdict in ("correct", "extra")

    @property
    def is_wrong(self) -> bool:
        return self.verdict in ("wrong", "contradicted")

    def accepted(self, threshold: float) -> bool:
        return self.is_predicted and self.confidence >= threshold


@dataclass(frozen=True, slots=True)
class TableScore:
    """Row alignment of one table: gold rows, predicted rows, rows aligned to a gold row."""

    path: str
    gold_rows: int
    predicted_rows: int
    matched_rows: int


@dataclass(slots=True)
class DocScore:
    """All field scores of one document, with its status and, where known, id and family."""

    doc_id: str
    family: str
    file: str
    status: str
    threshold: float
    fields: list[FieldScore] = field(default_factory=list)
    tables: list[TableScore] = field(default_factory=list)
    error: str | None = None

    def wrong_fields(self, threshold: float | None = None) -> list[FieldScore]:
        """Wrong fields present in the data; with a threshold, only those accepted at it."""
        return [f for f in self.fields if f.is_wrong and (threshold is None or f.accepted(threshold))]

    def to_dict(self, include_values: bool = False) -> dict[str, Any]:
        """JSON-able. Document values (gold, predicted) only with ``include_values``: they can be personal."""
        fields = []
        for f in self.fields:
            item: dict[str, Any] = {"path": f.path, "verdict": f.verdict, "confidence": f.confidence}
            if include_values:
                item.update(gold=_jsonable(f.gold), predicted=_jsonable(f.predicted))
            fields.append(item)
        return {"id": self.doc_id, "family": self.family, "file": self.file, "status": self.status,
                "error": self.error, "fields": fields, "tables": [asdict(t) for t in self.tables]}

    @property
    def ok_with_wrong(self) -> bool:
        return self.status == "ok" and bool(self.wrong_fields())

    @property
    def ok_with_wrong_accepted(self) -> bool:
        return self.status == "ok" and bool(self.wrong_fields(self.threshold))


# ---------------------------------------------------------------------------------------------------------
# Normalisation and matching


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def normalise_text(value: Any) -> str:
    """Casefold, punctuation to spaces, whitespace collapsed: ``"ACME  GmbH & Co."`` → ``"acme gmbh co"``."""
    text = unicodedata.normalize("NFKC", str(value)).casefold()
    text = "".join(" " if unicodedata.category(c)[0] in "PS" else c for c in text)
    return " ".join(text.split())


def normalise_identifier(value: Any) -> str:
    """Letters and digits only, casefolded: ``"DE 123.456-789"`` → ``"de123456789"``."""
    return "".join(c for c in unicodedata.normalize("NFKC", str(value)).casefold() if c.isalnum())


def to_decimal(value: Any) -> Decimal | None:
    """A number from a number or a plain numeric string; None when it is not one."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        return Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None


def to_iso_date(value: Any) -> str | None:
    """``YYYY-MM-DD`` from a date, a datetime or an ISO string."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value).strip()[:10]).isoformat()
    except ValueError:
        return None


def similarity(a: Any, b: Any) -> float:
    """Lenient 0..1 similarity of two texts after normalisation."""
    na, nb = normalise_text(a), normalise_text(b)
    if na == nb:
        return 1.0
    return difflib.SequenceMatcher(None, na, nb, autojunk=False).ratio()


def match_kind(spec: FieldSpec) -> MatchKind:
    """How a field is compared, from its kind and name."""
    if spec.kind == "date":
        return "date"
    if spec.kind in ("amount", "number", "integer", "percent"):
        return "amount"
    if spec.kind in ("iban", "vat_id") or _IDENTIFIER_NAME.search(spec.name.lower()):
        return "identifier"
    if spec.kind in ("currency", "enum", "boolean"):
        return "code"
    return "text"


def values_match(kind: MatchKind, gold: Any, predicted: Any) -> bool:
    """Strict equality of a predicted value with the gold one, for the given kind of field."""
    if kind == "date":
        g = to_iso_date(gold)
        return g is not None and g == to_iso_date(predicted)
    if kind == "amount":
        gd, pd = to_decimal(gold), to_decimal(predicted)
        return gd is not None and pd is not None and abs(gd - pd) < AMOUNT_TOLERANCE
    if kind == "identifier":
        return normalise_identifier(gold) == normalise_identifier(predicted) != ""
    if kind == "code":
        return str(gold).strip().casefold() == str(predicted).strip().casefold()
    return normalise_text(gold) == normalise_text(predicted)


# ---------------------------------------------------------------------------------------------------------
# Gold lookup


def gold_value(gold: Mapping[str, Any] | None, path: str) -> Any:
    """The gold value at a dotted path (``seller.name``), or its flat twin (``seller_name``); None if absent."""
    if not gold:
        return None
    node: Any = gold
    for part in path.split("."):
        node = node.get(part) if isinstance(node, Mapping) else None
        if node is None:
            break
    if node is None and "." in path:
        node = gold.get(path.replace(".", "_"))
    if isinstance(node, str) and not node.strip():
        return None
    return node


def _score_value(
    path: str, generic: str, kind: MatchKind, *, gold: Any, full: Any, pred: Any, conf: float
) -> FieldScore:
    if gold is not None:
        if pred is None:
            return FieldScore(path, generic, kind, "missing", gold=gold)
        ok = values_match(kind, gold, pred)
        sim = similarity(gold, pred) if kind == "text" else float(ok)
        return FieldScore(path, generic, kind, "correct" if ok else "wrong", gold, pred, conf, sim)
    if pred is None:
        raise ValueError("nothing to score")  # callers skip fields with neither gold nor prediction
    if full is None:
        return FieldScore(path, generic, kind, "unverifiable", None, pred, conf)
    ok = values_match(kind, full, pred)
    sim = similarity(full, pred) if kind == "text" else float(ok)
    return FieldScore(path, generic, kind, "extra" if ok else "contradicted", full, pred, conf, sim)


# ---------------------------------------------------------------------------------------------------------
# Tables


def _predicted_rows(result: ExtractionResult, table: str) -> list[dict[str, tuple[Any, float]]]:
    rows: dict[int, dict[str, tuple[Any, float]]] = {}
    for path, fr in result.fields.items():
        m = _ROW_PATH.match(path)
        if m and m.group(1) == table and fr.value is not None:
            rows.setdefault(int(m.group(2)), {})[m.group(3)] = (fr.value, fr.confidence)
    return [rows[i] for i in sorted(rows)]


def row_similarity(table: TableSpec, gold_row: Mapping[str, Any], pred_row: Mapping[str, Any]) -> float:
    """How alike a predicted row is to a gold row, 0..1: half the text similarity of their descriptions,
    half the share of other fields both have that match (either alone when the other is absent)."""
    texts, others = [], []
    for spec in table.item_fields:
        g = gold_value(gold_row, spec.path)
        p = pred_row.get(spec.path)
        if g is None or p is None:
            continue
        kind = match_kind(spec)
        if kind == "text":
            texts.append(similarity(g, p))
        else:
            others.append(float(values_match(kind, g, p)))
    parts = [sum(x) / len(x) for x in (texts, others) if x]
    return sum(parts) / len(parts) if parts else 0.0


def align_rows(
    table: TableSpec, gold_rows: Sequence[Mapping[str, Any]], pred_rows: Sequence[Mapping[str, Any]]
) -> list[tuple[int, int]]:
    """Order-preserving alignment of predicted rows to gold rows maximising the summed row similarity
    (pairs below MIN_ROW_SIMILARITY are never aligned). Returns ``(gold_index, pred_index)`` pairs."""
    n, m = len(gold_rows), len(pred_rows)
    sim = [[row_similarity(table, g, p) for p in pred_rows] for g in gold_rows]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            take = sim[i][j] + best[i + 1][j + 1] if sim[i][j] >= MIN_ROW_SIMILARITY else -1.0
            best[i][j] = max(take, best[i + 1][j], best[i][j + 1])
    pairs, i, j = [], 0, 0
    while i < n and j < m:
        if sim[i][j] >= MIN_ROW_SIMILARITY and best[i][j] == sim[i][j] + best[i + 1][j + 1]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


def _rows(value: Any) -> list[Mapping[str, Any]]:
    return [r for r in value if isinstance(r, Mapping)] if isinstance(value, list) else []


def _score_table(
    table: TableSpec, result: ExtractionResult, gold: Mapping[str, Any], full: Mapping[str, Any] | None
) -> tuple[list[FieldScore], TableScore | None]:
    gold_rows = _rows(gold_value(gold, table.path))
    full_rows = _rows(gold_value(full, table.path))
    pred = _predicted_rows(result, table.path)
    has_gold = gold_value(gold, table.path) is not None
    if not has_gold and not pred:
        return [], None
    pred_values = [{k: v for k, (v, _) in row.items()} for row in pred]
    pairs = align_rows(table, gold_rows, pred_values) if has_gold else []
    # Cells the gold row leaves out, and predicted rows with no gold row, are checked against gold_full.
    gold_to_full = dict(align_rows(table, gold_rows, full_rows))
    used_full = set(gold_to_full.values())
    free_full = [k for k in range(len(full_rows)) if k not in used_full]
    matched_pred = {j for _, j in pairs}
    extra_pred = [j for j in range(len(pred)) if j not in matched_pred]
    extra_to_full = {extra_pred[b]: free_full[a] for a, b in
                     align_rows(table, [full_rows[k] for k in free_full], [pred_values[j] for j in extra_pred])}
    scores: list[FieldScore] = []
    by_pred = {j: i for i, j in pairs}
    for j, row in enumerate(pred):
        g_row = gold_rows[by_pred[j]] if j in by_pred else {}
        f_idx = gold_to_full.get(by_pred[j]) if j in by_pred else extra_to_full.get(j)
        f_row: Mapping[str, Any] | None = full_rows[f_idx] if f_idx is not None else None
        for spec in table.item_fields:
            g = gold_value(g_row, spec.path)
            value, conf = row.get(spec.path, (None, 0.0))
            if g is None and value is None:
                continue
            path, generic = f"{table.path}[{j}].{spec.path}", f"{table.path}[].{spec.path}"
            if j not in by_pred and f_row is None and full_rows:
                # gold_full lists every line of the source, and this predicted row is not among them.
                scores.append(FieldScore(path, generic, match_kind(spec), "contradicted", None, value, conf))
                continue
            scores.append(_score_value(path, generic, match_kind(spec), gold=g, full=gold_value(f_row, spec.path),
                                       pred=value, conf=conf))
    for i, g_row in enumerate(gold_rows):
        if i in {gi for gi, _ in pairs}:
            continue
        for spec in table.item_fields:
            g = gold_value(g_row, spec.path)
            if g is not None:
                scores.append(FieldScore(f"{table.path}[gold {i}].{spec.path}", f"{table.path}[].{spec.path}",
                                         match_kind(spec), "missing", gold=g))
    return scores, TableScore(table.path, len(gold_rows), len(pred), len(pairs))


# ---------------------------------------------------------------------------------------------------------
# One document


def compare(
    result: ExtractionResult,
    gold: Mapping[str, Any],
    spec: SchemaSpec,
    *,
    gold_full: Mapping[str, Any] | None = None,
    doc_id: str | None = None,
    family: str | None = None,
) -> DocScore:
    """Score one extraction result against its gold record.

    Args:
        result: what ``docextract.extract`` returned (a failed result scores every gold field missing).
        gold: the gold values; or a manifest entry / gold file (``{"id", "family", "gold", "gold_full"}``),
            whose parts then fill ``gold_full``, ``doc_id`` and ``family``.
        spec: the schema the result was extracted into (``resolve_schema("Invoice")``).
        gold_full: everything the source says, used only where ``gold`` is silent.
        doc_id: a name for reports; default: the result's file name.
        family: a group for reports (the manifest's ``family``); default: ``"-"``.

    Returns:
        DocScore with one FieldScore per field that has a gold value or a prediction.
    """
    if isinstance(gold.get("gold"), Mapping):
        gold_full = gold_full if gold_full is not None else gold.get("gold_full")
        doc_id = doc_id or gold.get("id")
        family = family or gold.get("family")
        gold = gold["gold"]
    scores: list[FieldScore] = []
    for fspec in spec.fields:
        fr = result.fields.get(fspec.path)
        pred = fr.value if fr is not None else None
        g = gold_value(gold, fspec.path)
        if g is None and pred is None:
            continue
        conf = fr.confidence if fr is not None else 0.0
        scores.append(_score_value(fspec.path, fspec.path, match_kind(fspec), gold=g,
                                   full=gold_value(gold_full, fspec.path), pred=pred, conf=conf))
    tables: list[TableScore] = []
    for tspec in spec.tables:
        cells, table = _score_table(tspec, result, gold, gold_full)
        scores.extend(cells)
        if table is not None:
            tables.append(table)
    name = result.file.replace("\\", "/").rsplit("/", 1)[-1]
    return DocScore(
        doc_id=str(doc_id or name), family=str(family or "-"), file=name, status=result.status,
        threshold=result.threshold, fields=scores, tables=tables,
        error=result.error.type if result.error is not None else None,
    )


# ---------------------------------------------------------------------------------------------------------
# Many documents


@dataclass(slots=True)
class Aggregate:
    """Counts over a set of field scores at one threshold; see the module docstring for the ratios."""

    gold: int = 0
    predicted: int = 0
    correct: int = 0
    accepted: int = 0
    accepted_verifiable: int = 0
    accepted_correct: int = 0
    wrong: int = 0
    extra: int = 0
    contradicted: int = 0
    unverifiable: int = 0
    similarity_sum: float = 0.0
    similarity_n: int = 0

    def add(self, f: FieldScore, threshold: float) -> None:
        accepted = f.accepted(threshold)
        if f.gold_present:
            self.gold += 1
            self.predicted += f.is_predicted
            self.correct += f.verdict == "correct"
            self.accepted += accepted
            if f.match == "text" and f.is_predicted:
                self.similarity_sum += f.similarity
                self.similarity_n += 1
        self.wrong += f.is_wrong
        self.extra += f.verdict == "extra"
        self.contradicted += f.verdict == "contradicted"
        self.unverifiable += f.verdict == "unverifiable"
        if accepted and f.verdict in _VERIFIABLE:
            self.accepted_verifiable += 1
            self.accepted_correct += f.correct

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.gold if self.gold else None

    @property
    def coverage(self) -> float | None:
        return self.accepted / self.gold if self.gold else None

    @property
    def precision(self) -> float | None:
        return self.accepted_correct / self.accepted_verifiable if self.accepted_verifiable else None

    @property
    def mean_similarity(self) -> float | None:
        return self.similarity_sum / self.similarity_n if self.similarity_n else None

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out.update(accuracy=self.accuracy, coverage=self.coverage, precision=self.precision,
                   mean_similarity=self.mean_similarity)
        del out["similarity_sum"], out["similarity_n"]
        return out


@dataclass(frozen=True, slots=True)
class CalibrationBin:
    """Predictions with confidence in [lo, hi) (the last bin includes hi) and how many were right."""

    lo: float
    hi: float
    n: int
    correct: int
    mean_confidence: float | None

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.n if self.n else None


def calibration_table(scores: Iterable[DocScore], bins: Sequence[float] = DEFAULT_BINS) -> list[CalibrationBin]:
    """Empirical accuracy of the verifiable predictions per confidence bin.

    Args:
        scores: document scores from ``compare``.
        bins: increasing bin edges; a confidence equal to the last edge falls in the last bin.

    Returns:
        One CalibrationBin per consecutive pair of edges.
    """
    edges = list(bins)
    if len(edges) < 2 or any(b <= a for a, b in itertools.pairwise(edges)):
        raise ValueError(f"bins must be at least two increasing edges, not {bins!r}")
    buckets: list[list[FieldScore]] = [[] for _ in edges[1:]]
    for doc in scores:
        for f in doc.fields:
            if f.verdict not in _VERIFIABLE:
                continue
            for k in range(len(buckets)):
                last = k == len(buckets) - 1
                if edges[k] <= f.confidence < edges[k + 1] or (last and f.confidence == edges[k + 1]):
                    buckets[k].append(f)
                    break
    return [
        CalibrationBin(edges[k], edges[k + 1], len(b), sum(f.correct for f in b),
                       sum(f.confidence for f in b) / len(b) if b else None)
        for k, b in enumerate(buckets)
    ]


def expected_calibration_error(table: Sequence[CalibrationBin]) -> float | None:
    """Mean |accuracy - confidence| over the bins, weighted by their counts."""
    total = sum(b.n for b in table)
    if not total:
        return None
    return sum(b.n * abs((b.accuracy or 0.0) - (b.mean_confidence or 0.0)) for b in table) / total


@dataclass(slots=True)
class Report:
    """Everything ``summarise`` measures. ``ok_with_wrong*`` map document ids to wrong field paths."""

    threshold: float
    status: dict[str, int]
    overall: Aggregate
    fields: dict[str, Aggregate]
    families: dict[str, Aggregate]
    ok_with_wrong: dict[str, list[str]]
    ok_with_wrong_accepted: dict[str, list[str]]
    unverifiable: dict[str, list[str]]
    calibration: list[CalibrationBin]
    tables: dict[str, TableScore]

    @property
    def documents(self) -> int:
        return sum(self.status.values())

    def to_dict(self) -> dict[str, Any]:
        """JSON-able; no document values, only ids, paths and counts."""
        return {
            "threshold": self.threshold, "documents": self.documents, "status": self.status,
            "overall": self.overall.to_dict(),
            "fields": {k: v.to_dict() for k, v in self.fields.items()},
            "families": {k: v.to_dict() for k, v in self.families.items()},
            "ok_with_wrong": self.ok_with_wrong, "ok_with_wrong_accepted": self.ok_with_wrong_accepted,
            "unverifiable": self.unverifiable,
            "calibration": [{**asdict(b), "accuracy": b.accuracy} for b in self.calibration],
            "expected_calibration_error": expected_calibration_error(self.calibration),
            "tables": {k: asdict(v) for k, v in self.tables.items()},
        }


def summarise(scores: Sequence[DocScore], threshold: float) -> Report:
    """Aggregate document scores per field, per family and overall, at ``threshold``.

    Args:
        scores: document scores from ``compare``.
        threshold: the confidence at which a field counts as accepted.

    Returns:
        Report; ``to_dict()`` gives its JSON form.
    """
    overall = Aggregate()
    fields: dict[str, Aggregate] = {}
    families: dict[str, Aggregate] = {}
    status: dict[str, int] = {}
    ok_wrong: dict[str, list[str]] = {}
    ok_wrong_acc: dict[str, list[str]] = {}
    unverifiable: dict[str, list[str]] = {}
    tables: dict[str, TableScore] = {}
    for doc in scores:
        status[doc.status] = status.get(doc.status, 0) + 1
        for f in doc.fields:
            for agg in (overall, fields.setdefault(f.field, Aggregate()), families.setdefault(doc.family, Aggregate())):
                agg.add(f, threshold)
            if f.verdict == "unverifiable":
                unverifiable.setdefault(doc.doc_id, []).append(f.path)
        if doc.status == "ok":
            if wrong := doc.wrong_fields():
                ok_wrong[doc.doc_id] = [f.path for f in wrong]
            if wrong := doc.wrong_fields(threshold):
                ok_wrong_acc[doc.doc_id] = [f.path for f in wrong]
        for t in doc.tables:
            old = tables.get(t.path, TableScore(t.path, 0, 0, 0))
            tables[t.path] = TableScore(t.path, old.gold_rows + t.gold_rows, old.predicted_rows + t.predicted_rows,
                                        old.matched_rows + t.matched_rows)
    return Report(
        threshold=threshold, status=dict(sorted(status.items())), overall=overall,
        fields=dict(sorted(fields.items(), key=lambda kv: _field_order(kv[0]))),
        families=dict(sorted(families.items())), ok_with_wrong=ok_wrong, ok_with_wrong_accepted=ok_wrong_acc,
        unverifiable=unverifiable, calibration=calibration_table(scores), tables=tables,
    )


def _field_order(path: str) -> tuple[bool, str]:
    return ("[" in path, path)
