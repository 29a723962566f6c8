"""The shipped confidence model: per field-kind group a logistic regression and a calibration map, read from
``model.json`` and evaluated in pure Python (no numpy or scikit-learn at run time).

``model.json`` is written by ``benchmarks/trust_fit.py``. Its shape::

    {"version": 1, "sources": ["rules"], "groups": {"<group>": {
        "features": [...], "mean": [...], "scale": [...], "coef": [...], "intercept": z0, "fixed": {...},
        "lo": [...], "hi": [...],
        "calibration": {"x": [raw probabilities, increasing], "y": [calibrated, non-decreasing]}}}}

``fixed`` holds weights on raw (unstandardised) features that were not fitted: a tier signal too rare in the
labelled documents to be weighed (a label naming another field, a day/month order guessed) keeps the weight
the tier gave it by hand. A feature the model was not fitted with is ignored; one it was fitted with and the
row lacks counts as 0.
Groups are looked up as ``"<schema>:<group>"`` first (a built-in schema's own fit, e.g. ``"Invoice:amount"``),
then ``"<group>"`` (pooled over every schema: what a user's own schema gets), then ``"all"``; the fit leaves out
a group with too few right or wrong candidates to learn from, so its fields fall through to the pooled one.
"""

from __future__ import annotations

import json
import math
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

MODEL_PATH = Path(__file__).with_name("model.json")


@dataclass(frozen=True, slots=True)
class Calibration:
    """A monotone map raw probability → calibrated probability, linear between breakpoints, flat above the last."""

    x: tuple[float, ...]
    y: tuple[float, ...]

    def __call__(self, p: float) -> float:
        if not self.x:
            return p
        if p < self.x[0]:
            # Below every score the map was fitted on, the regression's own (lower) estimate stands: a value the
            # model all but rules out is not lifted to the rate of the lowest fitted block.
            return min(self.y[0], p)
        if p >= self.x[-1]:
            return self.y[-1]
        i = bisect_right(self.x, p)
        x0, x1, y0, y1 = self.x[i - 1], self.x[i], self.y[i - 1], self.y[i]
        return y0 if x1 == x0 else y0 + (y1 - y0) * (p - x0) / (x1 - x0)


@dataclass(frozen=True, slots=True)
class GroupModel:
    """One field-kind group's logistic regression over standardised features, then its calibration map."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    calibration: Calibration
    fixed: Mapping[str, float] = field(default_factory=dict)
    # The range each feature took in the fit: a value outside it (a born-digital page where every fitted page
    # was a scan) is clipped into it, so the regression never extrapolates.
    lo: tuple[float, ...] = ()
    hi: tuple[float, ...] = ()

    def raw(self, row: Mapping[str, float]) -> float:
        """The regression's probability, before calibration."""
        z = self.intercept + sum(w * float(row.get(name, 0.0)) for name, w in self.fixed.items())
        lo = self.lo or (-math.inf,) * len(self.features)
        hi = self.hi or (math.inf,) * len(self.features)
        for name, m, s, w, a, b in zip(self.features, self.mean, self.scale, self.coef, lo, hi, strict=True):
            z += w * (min(max(float(row.get(name, 0.0)), a), b) - m) / s
        z = max(-30.0, min(30.0, z))
        return 1.0 / (1.0 + math.exp(-z))

    def probability(self, row: Mapping[str, float]) -> float:
        return min(1.0, max(0.0, self.calibration(self.raw(row))))

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> GroupModel:
        cal = d.get("calibration") or {}
        return cls(
            features=tuple(d["features"]),
            mean=tuple(float(v) for v in d["mean"]),
            scale=tuple(float(v) if float(v) > 0 else 1.0 for v in d["scale"]),
            coef=tuple(float(v) for v in d["coef"]),
            intercept=float(d["intercept"]),
            calibration=Calibration(
                tuple(float(v) for v in cal.get("x", ())), tuple(float(v) for v in cal.get("y", ()))
            ),
            fixed={str(k): float(v) for k, v in (d.get("fixed") or {}).items()},
            lo=tuple(float(v) for v in d.get("lo", ())),
            hi=tuple(float(v) for v in d.get("hi", ())),
        )


@dataclass(frozen=True, slots=True)
class TrustModel:
    """Every group's model; ``probability`` is the calibrated probability that a candidate is right."""

    groups: Mapping[str, GroupModel]
    # The tiers whose candidates the model was fitted on; others (a model tier reporting its own calibrated
    # probability, a third party's) keep their scores until labelled data for them exist.
    sources: frozenset[str] = frozenset({"rules"})

    def probability(self, group: str, row: Mapping[str, float], schema: str | None = None) -> float | None:
        """The calibrated probability, or None when no model fits (no ``"all"`` group either)."""
        model = (self.groups.get(f"{schema}:{group}") if schema else None) or self.groups.get(group) or self.groups.get(
            "all"
        )
        return None if model is None else model.probability(row)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> TrustModel:
        groups = {name: GroupModel.from_dict(g) for name, g in d.get("groups", {}).items()}
        return cls(groups, frozenset(d.get("sources") or ("rules",)))

    def scores(self, source: str) -> bool:
        """Whether candidates of this tier (``"rules"``, or ``"rules+einvoice"`` after agreement) are scored."""
        return source.split("+", 1)[0] in self.sources

    def to_features(self) -> Sequence[str]:
        return sorted({f for g in self.groups.values() for f in g.features})


@lru_cache(maxsize=4)
def load_model(path: Path = MODEL_PATH) -> TrustModel:
    """The model shipped with the package (or another model file); an absent file is an empty model."""
    if not path.is_file():
        return TrustModel({})
    return TrustModel.from_dict(json.loads(path.read_text(encoding="utf-8")))
