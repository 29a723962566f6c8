"""Aggregates over many documents: per field and family, documents ok with a wrong field, calibration."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from docextract.eval.scores import DEFAULT_BINS, VERIFIABLE, DocScore, FieldScore, TableScore


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
        if accepted and f.verdict in VERIFIABLE:
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
            if f.verdict not in VERIFIABLE:
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
