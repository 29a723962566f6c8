"""The visible page against the e-invoice XML: whether the page prints a *different* value for a field
than the XML (the fraud pattern of a swapped IBAN or total). Where a value is printed is ``evidence``'s.

Labels are matched per visual row, where a label and its value sit in different segments.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from docextract.evidence import PageText, compact, same_typed
from docextract.result import Evidence

# Fields whose page value is checked against the XML, and with which scan kind.
CHECKED = {"iban": "iban", "seller.vat_id": "vat_id", "buyer.vat_id": "vat_id", "total_gross": "amount",
           "amount_due": "amount", "total_net": "amount", "total_tax": "amount"}


@dataclass(slots=True)
class Conflict:
    """A value printed on the page for a field, different from the XML's."""

    evidence: Evidence
    printed: Any


def conflict(page: PageText, key: str, value: Any, labels: Mapping[str, Sequence[str]]) -> Conflict | None:
    """A differing value printed for ``key``, or None. Call only when ``value`` is not printed.

    An IBAN or VAT id: any valid one on the page that the XML does not know. An amount: one printed on
    a row whose best-matching label belongs to ``key`` (``labels`` maps every checked amount key to
    its label wordings, so "Total HT" goes to the net total and not to "Total").
    """
    kind = CHECKED[key]
    if kind in ("iban", "vat_id"):
        known = {compact(str(v)) for v in labels.get("_known_" + kind, ())}
        for seg, p in page.printed(kind):
            if p.quality >= 0.9 and compact(str(p.value)) not in known:
                return Conflict(seg.evidence(p.start, p.end), p.value)
        return None
    from docextract.tiers.einvoice.mapping import words_of

    wordings = {k: [words_of(x) for x in v if words_of(x)] for k, v in labels.items() if not k.startswith("_")}
    for row in page.rows:
        row_words = " " + words_of(" ".join(s.text for s in row)) + " "
        best = max(((len(w), k) for k, ws in wordings.items() for w in ws if f" {w} " in row_words), default=None)
        if best is None or best[1] != key:
            continue
        for seg in row:
            for p in page.typed(seg, "amount"):
                if not same_typed(p.value, value, "amount") and p.quality >= 0.5:
                    return Conflict(seg.evidence(p.start, p.end), p.value)
    return None
