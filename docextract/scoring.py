"""Confidence: a tier's candidates and the issues on a field → one probability that the value is right.

The learned model (``docextract/trust``, fitted on labelled real documents by ``benchmarks/trust_fit.py``)
sees candidates twice: ``rescore`` when a tier returns them (their context features: rank, margin, page,
plausibility; with ``RANK_BY_MODEL`` the choice would rank by the model), and ``final_confidence`` once the
validators have run (their confirmations, warnings and contradictions, and agreement between tiers, are
features of the model, not fixed factors).
Only tiers the model was fitted on are rescored (the rules tier). Tier 0 (an embedded e-invoice) is not: its
values are the issuer's own data and hold at 99–100 % on unseen e-invoices; its issues, and those of any tier
the model does not know, are folded in by fixed factors as before (``fold_issues``).
"""

from __future__ import annotations

from collections.abc import Sequence

from docextract.compare import loose_text, same_value
from docextract.result import Candidate, Issue
from docextract.schema import SchemaSpec
from docextract.trust import features as tf
from docextract.trust.model import TrustModel, load_model

# Multipliers on the probability of being wrong (1 - p) for tiers the model does not score.
_ERROR_FACTOR = {"error": 8.0, "warning": 4.0}
_CONFIRM_FACTOR = 0.35
# Whether candidate choice ranks by the model's probability or by the tier's own score. Cross-validated
# (benchmarks/trust_cv.py) on receipts: by the model, accuracy 0.512 → 0.525 but precision of accepted values
# 0.944 → 0.938; invoices unchanged. Precision first: the tier's ranking stands, the model scores the winner.
RANK_BY_MODEL = False


def learned(cand: Candidate, model: TrustModel | None = None) -> bool:
    """Whether the learned model scores this candidate: a tier it was fitted on (the rules tier), never tier 0."""
    return (model if model is not None else load_model()).scores(cand.source)


def path_kind(spec: SchemaSpec, path: str) -> str:
    """The field kind of a scalar path or of a table cell (``line_items[2].quantity``)."""
    if "[" in path:
        table, _, rest = path.partition("[")
        item = rest.split("].", 1)[-1]
        for t in spec.tables:
            if t.path == table:
                for f in t.item_fields:
                    if f.path == item:
                        return f.kind
        return "string"
    for f in spec.fields:
        if f.path == path:
            return f.kind
    return "string"


def rescore(
    cands: Sequence[Candidate], spec: SchemaSpec, pages: Sequence[tf.PageRead], model: TrustModel | None = None
) -> list[Candidate]:
    """A tier's candidates with their context features added; with ``RANK_BY_MODEL`` the model's probability,
    before validation, also replaces the tier's score (so choice would rank by it).

    The context features (rank, margin, how the page was read, plausibility) are added to each candidate's
    signals, where ``final_confidence`` finds them again.
    """
    model = model if model is not None else load_model()
    kinds = {c.path: path_kind(spec, c.path) for c in cands}
    out = []
    for cand, ctx in zip(cands, tf.context_features(cands, kinds, pages), strict=True):
        if not learned(cand, model):
            out.append(cand)
            continue
        signals = {**cand.signals, **{k: round(v, 4) for k, v in ctx.items()}}
        score = cand.score
        if RANK_BY_MODEL:  # otherwise the model's first opinion would be computed only to be dropped
            row = tf.row(signals, {}, tf.validator_features(cand.path, (), cand.source))
            p = model.probability(tf.kind_group(cand.path, kinds[cand.path]), row, spec.name)
            score = cand.score if p is None else round(p, 4)
        out.append(cand.model_copy(update={"score": score, "signals": signals}))
    return out


def final_confidence(
    cand: Candidate, issues: Sequence[Issue], spec: SchemaSpec | None = None, model: TrustModel | None = None
) -> float:
    """The probability that the chosen value is right, given the issues that name its field."""
    model = model if model is not None else load_model()
    if spec is None or not learned(cand, model) or tf.BASE not in cand.signals:
        return fold_issues(cand, issues)
    row = tf.row(cand.signals, {}, tf.validator_features(cand.path, issues, cand.source))
    p = model.probability(tf.kind_group(cand.path, path_kind(spec, cand.path)), row, spec.name)
    if p is None:
        return fold_issues(cand, issues)
    return min(_cap(cand, issues), max(0.0, p))


def _cap(cand: Candidate, issues: Sequence[Issue]) -> float:
    """What no feature weight may lift a value above. Four outcomes are too rare in the labelled documents for
    the model to learn them, and each says the value is a guess: a validator's contradiction (net + tax ≠ gross:
    one of the values is wrong), a day/month order nothing on the page settles (a coin toss), a date far in
    the future (an OCR misread: 2078 for 2018), and a party name that is a legal form alone ("GmbH": the rest
    of the name was read elsewhere)."""
    sig = cand.signals
    if any(i.severity == "error" for i in issues) or sig.get("order_guess", 0.0) > 0:
        return 0.5
    if sig.get("p_date_future", 0.0) > 0 or sig.get("p_form_only", 0.0) > 0:
        return 0.5
    return 1.0


def fold_issues(cand: Candidate, issues: Sequence[Issue]) -> float:
    """The candidate's score adjusted by fixed factors for the issues that name its field (tier 0 only, and
    any candidate the model has no group for)."""
    wrong = 1.0 - cand.score
    # Confirmations first, contradictions last: a passed rule must never lift a field that another rule
    # contradicts back above the threshold.
    for issue in issues:
        if issue.severity == "info" and issue.code.endswith("_confirmed"):
            wrong *= _CONFIRM_FACTOR
    for issue in issues:
        if issue.severity in _ERROR_FACTOR:
            wrong = wrong * _ERROR_FACTOR[issue.severity]
            if issue.severity == "error":
                wrong = max(wrong, 0.5)  # a contradicted value is never more likely right than wrong
    return min(1.0, max(0.0, 1.0 - wrong))


def agree(winner: Candidate, other: Candidate) -> Candidate:
    """Two tiers read the same value independently: trust it more."""
    # Agreement is evidence, not proof: however sure the other tier is, it removes at most 80 % of the
    # winner's doubt.
    wrong = (1.0 - winner.score) * max(0.2, 1.0 - other.score)
    return winner.model_copy(update={"score": 1.0 - wrong, "source": f"{winner.source}+{other.source}"})


__all__ = ["agree", "final_confidence", "fold_issues", "learned", "loose_text", "path_kind", "rescore", "same_value"]
