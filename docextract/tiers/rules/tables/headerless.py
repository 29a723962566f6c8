"""Item tables printed without a header row: the columns read from what they hold.

With no header to name them, the columns are inferred from their content: the rightmost amount column
is the line total, the text column beside it the description; a quantity and a unit price are taken
only when qty x price = total holds on most rows (a middle amount could as well be a tax or a
discount). Indented breakdown lines under an item (its charges and taxes, each with its own amount)
are the item's, not items. Scores start below a header-mapped table's: nothing but the layout says
what the columns mean.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from statistics import median

from docextract.document import Table, TableCell

# Column scores with no header evidence (a header match scores 0.6..1.0).
DESC_SCORE = 0.6
TOTAL_SCORE = 0.65
ARITH_SCORE = 0.65

_AMOUNT = re.compile(r"\d[.,]\d{2}(?!\d)|[€$£¥₹]")
_MAX_QTY = Decimal(100000)

Num = Callable[[str], "Decimal | None"]
Clean = Callable[[str], str]


def infer_columns(
    t: Table, concepts: dict[str, str | None], num: Num, clean: Clean, holds: Callable[..., bool],
    summary: Callable[[str], bool],
) -> tuple[Table, dict[str, int], dict[str, float]] | None:
    """The item columns of a table without a header, and the table with breakdown lines left out.

    Args:
        t: a detected table with ``header_rows == 0``.
        concepts: item field path → concept (``description``, ``quantity``, …).
        num: parses a cell's text as a number (None when it is not one).
        clean: a cell's text without border residue.
        holds: ``holds(qty, price, total)``, the row arithmetic test.
        summary: whether a row's text is a total, tax or carried-forward line rather than an item.

    Returns:
        ``(table, columns, scores)`` (field path → column index, field path → score), or None when the
        table does not read as items: no amount column, no description column, fewer than two rows.
    """
    if t.header_rows or len(t.rows) < 2 or not t.rows[0]:
        return None
    by_concept = {c: p for p, c in concepts.items() if c}
    if "line_total" not in by_concept or "description" not in by_concept:
        return None
    rows = t.rows
    ncols = len(rows[0])
    texts = [[clean(r[c].text) if c < len(r) else "" for c in range(ncols)] for r in rows]
    sums = [summary(" ".join(row)) for row in texts]
    # Column statistics on the item-like rows: a "Total" label under the prices is not a price.
    filled = [[row[c] for row, s in zip(texts, sums, strict=True) if row[c] and not s] for c in range(ncols)]
    nums = [[num(x) for x in col] for col in filled]

    def amount_col(c: int) -> bool:
        col = filled[c]
        ok = [x for x, v in zip(col, nums[c], strict=True) if v is not None]
        return len(col) >= max(2, 0.5 * len(rows)) and len(ok) >= 0.8 * len(col) \
            and sum(1 for x in ok if _AMOUNT.search(x)) >= 0.8 * len(ok)

    amounts = [c for c in range(ncols) if amount_col(c)]
    if not amounts:
        return None
    total = amounts[-1]
    texty = [c for c in range(total) if len(filled[c]) >= 0.5 * len(rows)
             and sum(1 for v in nums[c] if v is not None) <= 0.2 * len(filled[c])]
    if not texty:
        return None
    desc = max(texty, key=lambda c: (sum(len(x) for x in filled[c]) / len(filled[c]), -c))
    columns = {by_concept["description"]: desc, by_concept["line_total"]: total}
    scores = {by_concept["description"]: DESC_SCORE, by_concept["line_total"]: TOTAL_SCORE}
    _arith_columns(rows, texts, desc, total, amounts, by_concept, num, holds, columns, scores)
    kept = _item_level(rows, desc, sums)
    if len(kept) < 2:
        return None
    return Table(page=t.page, box=t.box, rows=kept, header_rows=0, source=t.source), columns, scores


def _arith_columns(
    rows: list[list[TableCell]], texts: list[list[str]], desc: int, total: int, amounts: list[int],
    by_concept: dict[str, str], num: Num, holds: Callable[..., bool], columns: dict[str, int],
    scores: dict[str, float],
) -> None:
    """A small-integer column and an amount column between the description and the total that make
    qty x price = total on most rows: quantity and unit price."""
    if "quantity" not in by_concept or "unit_price" not in by_concept:
        return
    between = range(desc + 1, total)
    best: tuple[int, int, int] | None = None
    for q in between:
        for p in (c for c in amounts if q < c < total):
            ok = n = 0
            for row in texts:
                vals = [num(row[q]), num(row[p]), num(row[total])]
                if any(v is None for v in vals):
                    continue
                qv = vals[0]
                assert qv is not None
                if qv <= 0 or qv > _MAX_QTY:
                    continue
                n += 1
                ok += holds(*vals)
            if n >= 2 and ok >= 0.6 * n and (best is None or ok > best[0]):
                best = (ok, q, p)
    if best is not None:
        _, q, p = best
        columns[by_concept["quantity"]], scores[by_concept["quantity"]] = q, ARITH_SCORE
        columns[by_concept["unit_price"]], scores[by_concept["unit_price"]] = p, ARITH_SCORE


def _indent(row: list[TableCell], desc: int) -> float | None:
    words = row[desc].words if desc < len(row) else []
    return min(w.box.x0 for w in words) if words else None


def _item_level(rows: list[list[TableCell]], desc: int, summary: list[bool]) -> list[list[TableCell]]:
    """The rows of the outermost level when the descriptions are indented in levels (an item, then its
    indented breakdown: charges, taxes, each with an amount): every outer row leads indented ones.
    Total and tax lines are left out of the levels (a summary block sets its total further out).
    Otherwise all rows."""
    xs = [None if s else _indent(r, desc) for r, s in zip(rows, summary, strict=True)]
    heights = [w.box.height for r in rows if desc < len(r) for w in r[desc].words]
    present = [x for x in xs if x is not None]
    if not heights or not present:
        return rows
    # Word heights (y units) as a rough x tolerance: an indent is wider than half a letter.
    tol = 0.6 * median(heights)
    outer = min(present)
    level = [x is not None and x - outer <= tol for x in xs]
    inner = [x is not None and x - outer > 2 * tol for x in xs]
    if not any(inner):
        return rows
    heads = [i for i, lv in enumerate(level) if lv]
    # Each outer row must lead a group of indented rows; else the indents are ragged text, not levels.
    for k, i in enumerate(heads):
        nxt = heads[k + 1] if k + 1 < len(heads) else len(rows)
        if not any(inner[i + 1 : nxt]):
            return rows
    return [rows[i] for i in heads]
