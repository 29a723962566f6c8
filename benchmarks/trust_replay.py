"""Replay the pipeline on harvested documents: rescoring, choice, validation, final confidence, verdicts.

Shared by ``trust_fit.py`` and ``trust_cv.py``. The replay calls the package's own code (``scoring.rescore``,
``pipeline._merge``, ``validators.run_rules``, ``scoring.final_confidence``, ``eval.compare``), so a figure
measured here is the figure the pipeline would give with the same model. ``model=None`` replays the hand-set
scores of before (the rules tier's logistic map and the fixed factors for validator outcomes).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from trust_data import SCHEMAS, DocRecord

from docextract import scoring
from docextract.eval import DocScore, compare, gold_value, match_kind, values_match
from docextract.pipeline import _merge, _parent_in, _table_of
from docextract.result import Candidate, ExtractionResult, FieldResult, Issue
from docextract.schema import SchemaSpec, resolve_schema
from docextract.trust import features as tf
from docextract.trust.model import TrustModel
from docextract.validators import run_rules

# What booking needs: a document is `ok` when these are accepted and no issue is an error (issue 9 part 5).
REQUIRED = {
    "invoice": ("invoice_number", "issue_date", "seller.name", "total_gross", "currency"),
    "receipt": ("company", "date", "total"),
}


@dataclass
class Row:
    """One training example: a candidate's features, whether its value is right, and where it came from."""

    group: str  # field-kind group
    features: dict[str, float]
    label: bool
    doc_group: str  # cross-validation group (family / vendor)
    doc_kind: str
    path: str
    chosen: bool
    schema: str = ""


@dataclass
class Replay:
    """A document replayed: the per-field results, the verdicts, and the candidates as training rows."""

    record: DocRecord
    fields: dict[str, FieldResult]
    status: str
    score: DocScore
    rows: list[Row] = field(default_factory=list)


@lru_cache(maxsize=4)
def spec_of(kind: str) -> SchemaSpec:
    return resolve_schema(SCHEMAS[kind])


def replay(rec: DocRecord, model: TrustModel | None, threshold: float = 0.8, rows: bool = False) -> Replay:
    """The pipeline's result for ``rec`` with ``model`` (None: the hand-set scores of before)."""
    spec = spec_of(rec.kind)
    # An empty model leaves the tier's scores as they are and only adds the context features.
    cands = scoring.rescore(list(rec.candidates), spec, rec.pages, model or TrustModel({}))
    chosen: dict[str, Candidate] = {}
    wanted = {f.path for f in spec.fields} | {t.path for t in spec.tables}
    _merge(chosen, cands, spec, wanted)
    values = {p: c.value for p, c in chosen.items() if c.value is not None}
    all_issues = list(rec.issues) + run_rules(spec, values)
    fields: dict[str, FieldResult] = {}
    for path, cand in chosen.items():
        fi = _issues_of(path, all_issues)
        conf = scoring.final_confidence(cand, fi, spec, model) if model is not None else scoring.fold_issues(cand, fi)
        fields[path] = FieldResult(value=cand.value, raw=cand.raw, confidence=round(conf, 4), source=cand.source,
                                   issues=fi)
    status = _status(rec.kind, fields, all_issues, threshold)
    result = ExtractionResult(file=rec.doc_id, schema=spec.name, status=status, threshold=threshold,
                              fields=fields, issues=all_issues)
    score = compare(result, rec.entry, spec, doc_id=rec.doc_id, family=rec.group)
    out = Replay(rec, fields, status, score)
    if rows:
        out.rows = training_rows(rec, spec, cands, chosen, values, score)
    return out


def _issues_of(path: str, issues: Iterable[Issue]) -> list[Issue]:
    return [i for i in issues if path in i.fields or _parent_in(path, i.fields)]


def _status(kind: str, fields: dict[str, FieldResult], issues: list[Issue], threshold: float) -> str:
    if any(i.severity == "error" or i.code == "repaired" for i in issues):
        return "review"
    for path in REQUIRED[kind]:
        f = fields.get(path)
        if f is None or f.value is None or f.confidence < threshold:
            return "review"
    return "ok"


def training_rows(rec: DocRecord, spec: SchemaSpec, cands: list[Candidate], chosen: dict[str, Candidate],
                  values: dict[str, Any], score: DocScore) -> list[Row]:
    """Every labelled candidate as a row; validator features as if that candidate had been chosen."""
    gold, full = rec.entry.get("gold") or {}, rec.entry.get("gold_full") or {}
    kinds = {f.path: match_kind(f) for f in spec.fields}
    cell_verdicts = {f.path: f.verdict for f in score.fields if "[" in f.path}
    out = []
    for c in cands:
        if not scoring.learned(c, TrustModel({})):
            continue
        table = _table_of(c.path)
        if table is not None:
            if chosen.get(c.path) is not c or cell_verdicts.get(c.path) not in ("correct", "wrong", "extra",
                                                                               "contradicted"):
                continue
            label = cell_verdicts[c.path] in ("correct", "extra")
            issues = _issues_of(c.path, rec.issues) + _issues_of(c.path, run_rules(spec, values))
        else:
            g = gold_value(gold, c.path)
            if g is None:
                g = gold_value(full, c.path)
            if g is None:
                continue  # nobody knows the right value: no verdict
            label = values_match(kinds[c.path], g, c.value)
            trial = {**values, c.path: c.value}
            issues = _issues_of(c.path, list(rec.issues) + run_rules(spec, trial))
        feats = tf.row(c.signals, {}, tf.validator_features(c.path, issues, c.source))
        out.append(Row(tf.kind_group(c.path, scoring.path_kind(spec, c.path)), feats, label, rec.group,
                       rec.doc_kind, c.path, chosen.get(c.path) is c, spec.name))
    return out
