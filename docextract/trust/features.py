"""A candidate and its context → a flat dict of floats, the learned model's input.

Used identically when the training rows are harvested (benchmarks/trust_data.py) and at run time
(``scoring.rescore`` and ``scoring.final_confidence``). Every signal a tier reports becomes a feature under
its own name, so a signal added to a tier is picked up by the next refit without a change here; the model
ignores features it was not fitted with.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from docextract.result import Candidate, Issue
from docextract.trust import plausible

# Feature names this module adds; tier signals keep their own names.
RANK, MARGIN, BASE, N_CANDS, NESTED = "x_rank", "x_margin", "x_base", "x_candidates", "x_nested"
PAGE_OCR, PAGE_CONF = "x_page_ocr", "x_page_conf"
CONFIRMED, WARNED, CONTRADICTED, AGREED = "v_confirmed", "v_warning", "v_error", "v_agree"


@dataclass(frozen=True, slots=True)
class PageRead:
    """How one page was read: by OCR or from a text layer, and the mean confidence of its words."""

    ocr: bool
    mean_conf: float

    @classmethod
    def of(cls, page: Any) -> PageRead:
        words = page.words
        mean = sum(w.confidence for w in words) / len(words) if words else 0.0
        return cls(ocr=str(page.text_source).startswith("ocr"), mean_conf=round(mean, 4))


def group_key(name: str) -> str:
    """A vendor name compared case- and punctuation-insensitively ("MR. D.I.Y." == "mr diy")."""
    return "".join(ch for ch in name.casefold() if ch.isalnum())


def kind_group(path: str, kind: str) -> str:
    """The field-kind group a path is scored in: one model per group."""
    if "[" in path:
        return "line_cell"
    name = path.rsplit(".", 1)[-1]
    if kind in ("iban", "vat_id") or name.endswith(("_number", "_id", "number")):
        return "identifier"
    if kind == "date":
        return "date"
    if kind in ("amount", "number", "integer", "percent"):
        return "amount"
    if kind == "currency":
        return "currency"
    if name in ("name", "company", "vendor", "merchant", "store"):
        return "party_name"
    if "address" in name:
        return "address"
    return "other"


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def context_features(
    cands: Sequence[Candidate], kinds: dict[str, str], pages: Sequence[PageRead]
) -> list[dict[str, float]]:
    """Per candidate (same order): rank and margin among its path's candidates, how its page was read, and the
    plausibility of its value against the document's other candidates.

    ``kinds`` maps a path to its field kind (``"date"``…); a table cell's path maps through its item field.
    """
    by_path: dict[str, list[float]] = {}
    for c in cands:
        by_path.setdefault(c.path, []).append(c.score)
    doc = plausible.DocValues.of(cands, kinds)
    out = []
    for c in cands:
        scores = sorted(by_path[c.path], reverse=True)
        rank = scores.index(c.score)
        runner = scores[1] if rank == 0 and len(scores) > 1 else scores[0]
        f: dict[str, float] = {
            BASE: _logit(c.score),
            RANK: float(min(rank, 3)),
            MARGIN: c.score - runner if rank == 0 else c.score - scores[0],
            N_CANDS: float(min(len(scores), 5)),
            # A field of a nested model (``seller.name``) is read within its party's block; a top-level one is not.
            NESTED: 1.0 if "." in c.path.split("[", 1)[0] else 0.0,
        }
        page = c.evidence[0].page if c.evidence else None
        if page is not None and 0 <= page < len(pages):
            f[PAGE_OCR] = 1.0 if pages[page].ocr else 0.0
            f[PAGE_CONF] = pages[page].mean_conf - 1.0 if pages[page].ocr else 0.0
        f.update(plausible.checks(c, kinds.get(c.path, "string"), doc))
        out.append(f)
    return out


def validator_features(path: str, issues: Iterable[Issue], source: str) -> dict[str, float]:
    """Validator outcomes on a field (confirmations, warnings, contradictions) and agreement between tiers."""
    f = {CONFIRMED: 0.0, WARNED: 0.0, CONTRADICTED: 0.0, AGREED: 1.0 if "+" in source else 0.0}
    for issue in issues:
        if issue.severity == "info" and issue.code.endswith("_confirmed"):
            f[CONFIRMED] = min(f[CONFIRMED] + 1.0, 2.0)
        elif issue.severity == "warning":
            f[WARNED] = min(f[WARNED] + 1.0, 2.0)
        elif issue.severity == "error":
            f[CONTRADICTED] = 1.0
    return f


def row(signals: dict[str, float], context: dict[str, float], validators: dict[str, float]) -> dict[str, float]:
    """The model's input: the tier's signals, the context features, the validator features."""
    return {**signals, **context, **validators}
