"""Which column of a page table holds which item field: by the header's labels, checked against what the
columns hold; quantity / price / total columns the header does not name found by the row arithmetic;
and a header-less table on the next page matched to the list's columns by position."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from docextract.document import Table
from docextract.layout.columns import CONCEPTS, header_score
from docextract.schema import FieldSpec, TableSpec
from docextract.tiers.rules.tables.cells import NUMERIC_KINDS, clean, holds, leads_number, num
from docextract.tiers.rules.tables.sublines import label_line

MIN_HEADER = 0.6


@dataclass(slots=True)
class Mapping:
    """A table read as items: item field path → column, and how sure each column's meaning is."""

    table: Table
    columns: dict[str, int]  # item field path → column
    scores: dict[str, float]
    desc_line: int = 0  # the item line the description is on (a stacked header's second line labels it)
    desc_x: float = 0.0  # where on that line it starts
    by_header: bool = True  # the columns were named by a header (not inferred from content alone)

    @property
    def strength(self) -> float:
        return sum(self.scores.values())


def field_labels(f: FieldSpec, concept: str | None) -> tuple[str, ...]:
    """The header wordings that name an item field: its own labels, its name, its concept's labels."""
    extra = CONCEPTS[concept][1] if concept else ()
    return (*f.labels, f.name.replace("_", " "), *extra)


def numeric_share(table: Table, col: int) -> float:
    """The share of a column's filled body cells that are numbers."""
    texts = [x for r in table.body if col < len(r) and (x := clean(r[col].text))]
    return sum(1 for t in texts if leads_number(t)) / len(texts) if texts else 0.0


def map_columns(t: Table, spec: TableSpec, concepts: dict[str, str | None]) -> Mapping | None:
    """The item columns of a table by its header; None when fewer than two fields map or only text does."""
    header = t.header
    if not header or not t.body:
        return None
    pairs: list[tuple[float, int, str, int]] = []
    shares = [numeric_share(t, c) for c in range(len(header))]
    for f in spec.item_fields:
        labels = field_labels(f, concepts[f.path])
        for c, text in enumerate(header):
            s = header_score(text, labels)
            if s < MIN_HEADER:
                continue
            numeric_field = f.kind in NUMERIC_KINDS
            if (numeric_field and shares[c] < 0.5) or (not numeric_field and shares[c] >= 0.5):
                s *= 0.3  # the column's content contradicts its header
            rightmost = concepts[f.path] in ("line_total", "balance")
            pairs.append((s, c if rightmost else -c, f.path, c))
    pairs.sort(reverse=True)
    columns: dict[str, int] = {}
    scores: dict[str, float] = {}
    for s, _, path, c in pairs:
        if s >= MIN_HEADER and path not in columns and c not in columns.values():
            columns[path], scores[path] = c, s
    _infer_by_arithmetic(t, concepts, columns, scores, shares)
    if len(columns) < 2 or not any(concepts[p] != "description" for p in columns):
        return None
    desc = next((p for p in columns if concepts[p] == "description"), None)
    line, x = (0, 0.0)
    if desc is not None:
        named = {f.path: field_labels(f, concepts[f.path]) for f in spec.item_fields if f.path in columns}
        line, x, label = label_line(t, columns, named, desc, header_score, MIN_HEADER)
        if line:
            # A stacked header cell holds other lines' labels too ("Art-Nr-Kunde Artikelbezeichnung"
            # under "GTIN"); the description's own label, on its own line, is what names it.
            scores[desc] = max(scores[desc], label)
    return Mapping(t, columns, scores, line, x)


def _infer_by_arithmetic(
    t: Table, concepts: dict[str, str | None], columns: dict[str, int], scores: dict[str, float], shares: list[float]
) -> None:
    """Quantity, unit price or line total columns whose header names nothing we know ("Amount" as a
    count, a header the scan garbled) are found by qty x price = total holding on most rows. With two
    of the three missing, the pair that holds on the most rows wins, only when no other pair ties it
    and the line total lies right of the other two (as every invoice sets them)."""
    by_concept = {concepts[p]: p for p in concepts if concepts[p]}
    roles = ("quantity", "unit_price", "line_total")
    if not all(r in by_concept for r in roles):
        return
    missing = [r for r in roles if by_concept[r] not in columns]
    if not missing or len(missing) > 2:
        return
    free = [c for c in range(len(shares)) if shares[c] >= 0.5 and c not in columns.values()]
    results: list[tuple[int, tuple[int, ...]]] = []
    for combo in itertools.permutations(free, len(missing)):
        got = {r: columns[by_concept[r]] for r in roles if r not in missing}
        got.update(zip(missing, combo, strict=True))
        if len(missing) == 2 and got["line_total"] < max(got["quantity"], got["unit_price"]):
            continue
        ok = n = 0
        for row in t.body:
            vals = [num(clean(row[got[r]].text)) if got[r] < len(row) else None for r in roles]
            if any(v is None for v in vals):
                continue
            n += 1
            ok += holds(*vals)  # type: ignore[arg-type]
        if n and ok >= max(len(missing), 0.6 * n):
            results.append((ok, combo))
    if not results:
        return
    results.sort(reverse=True)
    if len(results) > 1 and results[1][0] == results[0][0] and len(missing) == 2:
        return  # two readings hold as well: the arithmetic does not tell which
    for r, c in zip(missing, results[0][1], strict=True):
        columns[by_concept[r]], scores[by_concept[r]] = c, 0.7


def headerless_continuations(tables: list[Table], group: list[Mapping]) -> list[Mapping]:
    """A table without a header on a later page whose columns line up with the list's so far: it goes on.
    Columns are matched by position, not by index (a header-only column may be missing on the next page)."""
    out: list[Mapping] = []
    last = max(group, key=lambda m: m.table.page)
    for t in tables:
        if t.header_rows or t.page <= last.table.page or t.page > last.table.page + 1 + len(out):
            continue
        if any(u.page == t.page and u.box.y0 < t.box.y0 for u in tables) or any(m.table.page == t.page for m in out):
            continue  # a list goes on at the top of the next page, in its first table there
        columns = _match_columns(last, t)
        if columns is None:
            continue
        out.append(Mapping(t, columns, {p: s * 0.9 for p, s in last.scores.items() if p in columns},
                           by_header=last.by_header))
    return out


def _spans(t: Table) -> list[tuple[float, float] | None]:
    out: list[tuple[float, float] | None] = []
    for c in range(len(t.rows[0])):
        ws = [w for r in t.body if c < len(r) for w in r[c].words]
        out.append((min(w.box.x0 for w in ws), max(w.box.x1 for w in ws)) if ws else None)
    return out


def _match_columns(prev: Mapping, t: Table) -> dict[str, int] | None:
    """prev's mapped columns → t's columns at the same place (same right edge for numbers, same left edge
    for text, within 3% of the page width); None when a mapped column has no counterpart."""
    tol = 0.03
    a, b = _spans(prev.table), _spans(t)
    out: dict[str, int] = {}
    for path, c in prev.columns.items():
        sa = a[c] if c < len(a) else None
        if sa is None:
            continue
        numeric = numeric_share(prev.table, c) >= 0.5
        hits = [k for k, sb in enumerate(b) if sb is not None
                and abs((sa[1] - sb[1]) if numeric else (sa[0] - sb[0])) <= tol
                and (numeric_share(t, k) >= 0.5) == numeric]
        if len(hits) != 1:
            return None
        out[path] = hits[0]
    if len(out) < 2 or len(set(out.values())) != len(out):
        return None
    return out
