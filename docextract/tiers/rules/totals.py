"""Invoice totals read together: summary grids, and the net + tax = gross check across candidates.

A single "Total" label is ambiguous (line totals, subtotals, carried-forward sums, prepayments), but three
amounts read independently under the labels of net, tax and gross that add up are near-certain. So the
candidates of the four totals are decoded jointly: the consistent combination with the best labels wins
and its members get the ``joint`` signal; a gross total that only appears as the amount due is derived
from it. Summary grids ("TOTAL HT | TOTAL TVA | TOTAL TTC" over a row of amounts, or a tax breakdown
"Rate | Base | VAT amount" with one row per rate, summed) are read here too: ordinary label search skips
them, since a label over a column of amounts usually heads a line-item table.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from docextract.compare import as_decimal
from docextract.tiers import lexicon
from docextract.tiers.rules.context import Context, Raw
from docextract.tiers.rules.labels import LabelHit, Seg, words_in_span
from docextract.tiers.rules.values import read_value

if TYPE_CHECKING:
    from docextract.result import Candidate
    from docextract.schema import FieldSpec, SchemaSpec

ROLES = ("total_net", "total_tax", "total_gross", "amount_due")
_SUMMABLE = frozenset({"total_net", "total_tax"})  # per-rate rows of a tax breakdown add up to these
_CENT = Decimal("0.011")
_TOTAL_WORD = re.compile(r"(?i)^\s*(total|totaal|totale|summe|gesamt|somme|suma|sum)\b")


def roles(spec: SchemaSpec, raws: dict[str, list[Raw]]) -> dict[str, FieldSpec]:
    """The amount fields of ``spec`` that are one of the four totals and are being extracted."""
    out: dict[str, FieldSpec] = {}
    for f in spec.fields:
        c = lexicon.concept_for(f.path)
        if c is not None and c.key in ROLES and f.kind == "amount" and f.path in raws and "." not in f.path:
            out.setdefault(c.key, f)
    return out


def joint(ctx: Context, spec: SchemaSpec, raws: dict[str, list[Raw]], tables: Sequence[Candidate]) -> None:
    """Add grid candidates and the ``joint`` signal to the totals' raw candidates, in place."""
    fields = roles(spec, raws)
    if len(fields) < 2:
        return
    for key, found in grid_raws(ctx, spec, fields).items():
        raws[fields[key].path].extend(found)
    if "total_tax" in fields:
        raws[fields["total_tax"].path].extend(_rate_rows_sum(raws[fields["total_tax"].path]))
    vals = {key: _values(raws[f.path]) for key, f in fields.items()}
    best = _best_triple(vals)
    if best is not None:
        for key, value in best.items():
            if key in fields:
                _mark(raws[fields[key].path], value, 1.0)
        gross = best["total_gross"]
        if "total_gross" in fields and not any(_eq(r.value, gross) for r in raws[fields["total_gross"].path]):
            raws[fields["total_gross"].path].extend(_derived(raws.get(fields["amount_due"].path, []), gross)
                                                    if "amount_due" in fields else [])
    lines = _line_sum(tables)
    if lines is not None and "total_net" in fields:
        _mark(raws[fields["total_net"].path], lines, 0.7)


def _rate_rows_sum(raws: list[Raw]) -> list[Raw]:
    """The tax of a breakdown printed one row per rate ("BTW 21% over … 6.607,69 / BTW 9% over … 490,40"),
    summed: no single printed amount is the total tax then."""
    rows: dict[tuple[int, int], Raw] = {}
    for r in raws:
        if r.signals.get("rate_row") and as_decimal(r.value) is not None:
            key = (r.page, r.hit_key[1])
            if key not in rows or r.prob > rows[key].prob:
                rows[key] = r
    parts: list[Raw] = []
    for p in sorted(rows.values(), key=lambda r: -r.prob):
        if not any(_eq(q.value, as_decimal(p.value) or Decimal("0")) for q in parts):
            parts.append(p)  # one rate's row printed twice (a breakdown and a summary) counts once
    if len(parts) < 2 or len({p.page for p in parts}) > 1:
        return []
    total = sum((as_decimal(p.value) or Decimal("0") for p in parts), Decimal("0"))
    for r in raws:
        if r.signals.get("rate_row"):
            r.signals["partial"] = 1.0  # one rate's tax: a part of the total, not it
    sig = {"label": min(p.signals.get("label", 0.0) for p in parts), "parse": min(p.signals.get("parse", 0.0)
           for p in parts), "dir_right": 1.0, "grid_sum": 1.0, "label_start": 1.0,
           "ocr": min(p.signals.get("ocr", 0.0) for p in parts)}
    first = min(parts, key=lambda p: p.box.y0 if p.box else 0.0)
    raw = " + ".join(p.raw for p in parts)
    return [Raw(total, raw, first.page, [w for p in parts for w in p.words], sig, first.hit_key, first.label_words,
                first.label_box)]


def _values(raws: list[Raw]) -> dict[Decimal, float]:
    """Distinct values with the best probability each (the six best)."""
    out: dict[Decimal, float] = {}
    for r in raws:
        d = as_decimal(r.value)
        if d is not None:
            out[d] = max(out.get(d, 0.0), r.prob)
    return dict(sorted(out.items(), key=lambda kv: -kv[1])[:6])


def _best_triple(vals: dict[str, dict[Decimal, float]]) -> dict[str, Decimal] | None:
    """The best-labelled (net, tax, gross) with net + tax = gross; gross may be read as the amount due."""
    nets, taxes = vals.get("total_net", {}), vals.get("total_tax", {})
    grosses = dict(vals.get("total_gross", {}))
    for v, p in vals.get("amount_due", {}).items():
        grosses[v] = max(grosses.get(v, 0.0), 0.8 * p)
    best: tuple[float, dict[str, Decimal]] | None = None
    for (n, pn), (t, pt), (g, pg) in itertools.product(nets.items(), taxes.items(), grosses.items()):
        if abs(n + t - g) > _CENT or (n == 0 and t == 0):
            continue
        if t != 0 and abs(t) > abs(n):  # tax larger than the base: a coincidence of unrelated amounts
            continue
        score = pn + pt + pg
        if best is None or score > best[0]:
            best = (score, {"total_net": n, "total_tax": t, "total_gross": g})
    return best[1] if best else None


def _mark(raws: list[Raw], value: Decimal, strength: float) -> None:
    for r in raws:
        if _eq(r.value, value):
            r.signals["joint"] = max(r.signals.get("joint", 0.0), strength)


def _derived(due: list[Raw], gross: Decimal) -> list[Raw]:
    """The gross total printed only as the amount due ("Due payable: 571.04" after net and tax)."""
    src = [r for r in due if _eq(r.value, gross)]
    if not src:
        return []
    r = max(src, key=lambda x: x.prob)
    sig = {k: v for k, v in r.signals.items() if k in ("parse", "ocr", "colon", "dir_same", "dir_right")}
    sig.update({"label": 0.5, "joint": 1.0, "derived": 1.0})
    return [Raw(r.value, r.raw, r.page, r.words, sig, r.hit_key, r.label_words, r.label_box)]


def _line_sum(tables: Sequence[Candidate]) -> Decimal | None:
    totals = [as_decimal(c.value) for c in tables if c.path.endswith(".line_total")]
    if len(totals) < 2 or any(t is None for t in totals):
        return None
    return sum((t for t in totals if t is not None), Decimal("0"))


def _eq(a: Any, b: Decimal) -> bool:
    d = as_decimal(a)
    return d is not None and abs(d - b) < _CENT


# ---------------------------------------------------------------------------------------------------------
# Summary grids


def grid_raws(ctx: Context, spec: SchemaSpec, fields: dict[str, FieldSpec]) -> dict[str, list[Raw]]:
    """Amounts under the column labels of a totals grid, per role."""
    from docextract.tiers.rules.fields import best_hits, cues

    by_row: dict[tuple[int, int], list[tuple[str, LabelHit]]] = defaultdict(list)
    for key, f in fields.items():
        for hit in best_hits(ctx, cues(spec, f)):
            n = hit.end - hit.start
            if 2 * n < len([t for t in hit.seg.tokens if t.isalnum()]):
                continue  # the label is a small part of a longer caption
            idx = ctx.pages[hit.seg.page]
            by_row[(hit.seg.page, idx.row_of[id(hit.seg)])].append((key, hit))
    out: dict[str, list[Raw]] = defaultdict(list)
    for (page, r), hits in by_row.items():
        # One label per column: where two roles read the same caption, the longer label wins.
        cols: dict[int, tuple[str, LabelHit]] = {}
        for key, hit in hits:
            old = cols.get(id(hit.seg))
            if old is None or (hit.end - hit.start) > (old[1].end - old[1].start):
                cols[id(hit.seg)] = (key, hit)
        if len({k for k, _ in cols.values()}) < 2:
            continue
        _read_grid(ctx, page, r, list(cols.values()), fields, out)
    return out


def _read_grid(ctx: Context, page: int, r: int, cols: list[tuple[str, LabelHit]], fields: dict[str, FieldSpec],
               out: dict[str, list[Raw]]) -> None:
    idx = ctx.pages[page]
    head_box = idx.rows[r][0].box
    h = max(head_box.height, 1e-6)
    rows: list[tuple[int, dict[str, tuple[Any, Seg, int, int, float]]]] = []
    last_y = max(hit.seg.box.y1 for _, hit in cols)
    for ri in range(r + 1, len(idx.rows)):
        row = idx.rows[ri]
        y0 = min(s.box.y0 for s in row)
        if y0 - last_y > (1.6 if rows else 6.0) * h:
            break
        got: dict[str, tuple[Any, Seg, int, int, float]] = {}
        for key, hit in cols:
            under = [s for s in row if s.box.x0 < hit.box.x1 + 0.01 and hit.box.x0 - 0.01 < s.box.x1]
            for s in sorted(under, key=lambda s: abs(s.box.cx - hit.box.cx)):
                val = read_value(fields[key], s.text)
                if val is not None and "%" not in s.text:
                    got[key] = (val[0], s, val[2], val[3], val[4])
                    break
        if len(got) >= 2:
            rows.append((ri, got))
            last_y = max(s.box.y1 for s in row)
        elif rows:
            break
    if not rows:
        return
    # Item rows above a closing "Total" row: the total row alone holds the totals.
    closing = [(ri, got) for ri, got in rows if _TOTAL_WORD.match(idx.rows[ri][0].text)]
    if closing:
        rows = closing[-1:]
    unique: list[tuple[int, dict[str, tuple[Any, Seg, int, int, float]]]] = []
    for ri, got in rows:  # a row printed twice with the same amounts counts once
        sig = {k: v[0] for k, v in got.items()}
        if not any({k: v[0] for k, v in g.items()} == sig for _, g in unique):
            unique.append((ri, got))
    rows = unique
    for key, hit in cols:
        cells = [got[key] for _, got in rows if key in got]
        if not cells or (len(cells) > 1 and key not in _SUMMABLE):
            continue
        total = sum((as_decimal(c[0]) or Decimal("0") for c in cells), Decimal("0"))
        value = cells[0][0] if len(cells) == 1 else total
        words = [w for _, s, a, b, _ in cells for w in words_in_span(s, a, b)]
        sig = {"label": hit.quality, "parse": min(c[4] for c in cells), "dir_below": 1.0, "grid": 1.0,
               "label_start": 1.0, "gap": 1.0, "ocr": min((w.confidence for w in words), default=1.0) - 1.0}
        if len(cells) > 1:
            sig["grid_sum"] = 1.0
        raw = " + ".join(s.text[a:b] for _, s, a, b, _ in cells)
        out[key].append(Raw(value, raw, page, words, sig, (page, id(hit.seg), hit.start), hit.label, hit.box))
