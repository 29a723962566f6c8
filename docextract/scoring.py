"""Confidence: a tier's score and the issues on a field → one probability that the value is right.

Tiers report a score already mapped to a probability (the rules tier's map is ``tiers/rules/weights.py``).
Here the document-level evidence is folded in: a failed validation rule lowers the fields it involves, a
passed one (a confirmation) raises them, and agreement between tiers raises a value.
"""

from __future__ import annotations

from collections.abc import Sequence

from docextract.coerce.compare import loose_text, same_value
from docextract.result import Candidate, Issue

# Multipliers on the probability of being wrong (1 - p): >1 makes a field less trusted, <1 more.
_ERROR_FACTOR = {"error": 8.0, "warning": 4.0}
_CONFIRM_FACTOR = 0.35


def final_confidence(cand: Candidate, issues: Sequence[Issue]) -> float:
    """The candidate's score adjusted by the issues that name its field."""
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


__all__ = ["agree", "final_confidence", "loose_text", "same_value"]
