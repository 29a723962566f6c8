"""Plausibility of the rules tier's candidates against the rest of the document.

Each check adds a signal to the raw candidates it doubts; the score (provisional weights in ``weights``,
later the learned model) decides what it costs. None of them removes a candidate.

- ``date_far``: a date years away from every other date on the document, or in the far future (an OCR
  "1" read as "7": 2078 for 2018). A date printed alone has no neighbour to disagree with: only the
  future test applies to it.
- ``line_amount``: an invoice total read inside the line-item table (a line's amount, the first line's
  "Total" column), where the totals are printed under it.
- ``subtotal_early``: a sub-total as the net where a later net of another value is printed.
- ``tax_double``: a tax summed over a breakdown's rows that is twice one row's amount.
- ``total_inconsistent``: a receipt total that the receipt's own arithmetic contradicts (the cash handed
  over less the change given back, a confirmed total of another value), or under half of an item over it;
  ``total_no_cents``: printed without the cents that every other amount on the receipt has ("70" of a
  "29.70" split by OCR).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from docextract.compare import as_decimal
from docextract.tiers.rules.context import Context, Raw

if TYPE_CHECKING:
    from docextract.result import Candidate
    from docextract.schema import SchemaSpec

# Further from every other date of the document than this, a date is from another context or misread.
_FAR_DAYS = 2 * 366
# Years ahead of today beyond which no invoice or receipt is dated.
_FUTURE_YEARS = 2
_SUB = ("sub", "zwischen", "sous", "parcial", "subtot", "tussen")
_TOTALS = frozenset({"total_net", "total_tax", "total_gross", "amount_due", "total"})


def mark(ctx: Context, spec: SchemaSpec, raws: dict[str, list[Raw]], tables: Sequence[Candidate]) -> None:
    """Add the plausibility signals to ``raws`` (field path → raw candidates), in place."""
    from docextract.tiers import lexicon

    dates = [p for p, rs in raws.items() if any(isinstance(r.value, dt.date) for r in rs)]
    if dates:
        _far_dates(ctx, [r for p in dates for r in raws[p]])
    boxes = _item_boxes(tables)
    for f in spec.fields:
        if f.path not in raws or f.kind != "amount":
            continue
        concept = lexicon.concept_for(f.path)
        if concept is None or concept.key not in _TOTALS:
            continue
        if boxes:
            _inside_items(raws[f.path], boxes)
        if f.position == "payable":
            _receipt_total(ctx, raws[f.path])
        if concept.key == "total_tax":
            _doubled(raws[f.path])
        if concept.key == "total_net":
            _early_subtotal(raws[f.path])


def _far_dates(ctx: Context, raws: list[Raw]) -> None:
    every: list[dt.date] = []
    for idx in ctx.pages:
        for seg in idx.segs:
            every.extend(p.value for p in ctx.scan(seg.text, "date") if isinstance(p.value, dt.date))
    horizon = dt.date.today().year + _FUTURE_YEARS
    for r in raws:
        if not isinstance(r.value, dt.date):
            continue
        others = [d for d in every if d != r.value and d.year <= horizon]
        near = any(abs((d - r.value).days) <= _FAR_DAYS for d in others)
        # Far from the others only counts when they agree among themselves: of two dates years apart,
        # nothing says which is the odd one.
        agree = len(others) >= 2 and max(others) - min(others) <= dt.timedelta(days=_FAR_DAYS)
        if r.value.year > horizon or (agree and not near):
            r.signals["date_far"] = 1.0


def _item_boxes(tables: Sequence[Candidate]) -> list[tuple[int, tuple[float, float, float, float]]]:
    """Page and box of every amount cell of the line items."""
    out = []
    for c in tables:
        if not c.path.endswith((".line_total", ".unit_price")):
            continue
        for ev in c.evidence:
            if ev.box is not None and ev.page is not None:
                out.append((ev.page, ev.box))
    return out


def _inside_items(raws: list[Raw], boxes: list[tuple[int, tuple[float, float, float, float]]]) -> None:
    for r in raws:
        b = r.box
        if b is None:
            continue
        for page, (x0, y0, x1, y1) in boxes:
            if page != r.page:
                continue
            ix = min(b.x1, x1) - max(b.x0, x0)
            iy = min(b.y1, y1) - max(b.y0, y0)
            if ix > 0 and iy > 0 and ix * iy > 0.5 * max(b.width * b.height, 1e-9):
                r.signals["line_amount"] = 1.0
                break


def _early_subtotal(raws: list[Raw]) -> None:
    """``subtotal_early``: a sub-total read as the net where another net, not a sub-total, of a different
    value is printed after it (a discount, a fee or a second block of items came in between)."""
    def sub(r: Raw) -> bool:
        return any(w.startswith(_SUB) for w in r.label_words)

    def at(r: Raw) -> tuple[int, float]:
        return (r.page, r.box.y0 if r.box is not None else 0.0)

    for r in raws:
        if not sub(r) or r.box is None:
            continue
        v = as_decimal(r.value)
        if any(not sub(o) and o.box is not None and at(o) > at(r) and (w := as_decimal(o.value)) is not None and w != v
               for o in raws):
            r.signals["subtotal_early"] = 1.0


def _doubled(raws: list[Raw]) -> None:
    """``tax_double``: a tax summed over rows that is twice an amount printed on one of them: one row
    counted twice."""
    singles = {v for r in raws if not r.signals.get("grid_sum") and (v := as_decimal(r.value)) is not None and v}
    for r in raws:
        v = as_decimal(r.value)
        if r.signals.get("grid_sum") and v is not None and any(abs(v - 2 * u) < Decimal("0.011") for u in singles):
            r.signals["tax_double"] = 1.0


def _receipt_total(ctx: Context, raws: list[Raw]) -> None:
    from docextract.tiers.rules.positional_totals import largest_item_over, paid_amounts

    paid = paid_amounts(ctx)
    cents = _cents_everywhere(ctx)
    for r in raws:
        v = as_decimal(r.value)
        if v is None:
            continue
        if cents and r.words and not _CENTS.search(" ".join(w.text for w in r.words)):
            r.signals["total_no_cents"] = 1.0
        if paid and all(abs(v - p) >= Decimal("0.10") for p in paid):
            r.signals["total_inconsistent"] = 1.0
        elif r.box is not None and (item := largest_item_over(ctx, r.page, r.box.y0)) is not None and 2 * v < item:
            # Under half of one item printed over it (a misread item amount is rarely off by as much).
            r.signals["total_inconsistent"] = 1.0


_CENTS = re.compile(r"\d[.,]\d\d\b")


def _cents_everywhere(ctx: Context) -> bool:
    """Whether the receipt's amounts are printed with cents (three or more, all of them)."""
    found = [p.raw for idx in ctx.pages for seg in idx.segs for p in ctx.scan(seg.text, "amount")
             if p.quality >= 0.9]
    return len(found) >= 3 and all(_CENTS.search(x) for x in found)


__all__ = ["mark"]
