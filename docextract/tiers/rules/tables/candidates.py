"""Rules for list-of-model fields (``line_items``, ``transactions``): the page tables whose header maps to
the item's fields, one item per body row, stitched across pages into one list.

The steps live in their own modules: ``tables.columns`` maps a table's columns to the item fields (by
header, else ``tables.headerless`` by content), ``tables.items`` reads the body rows as items (wrapped
descriptions joined, notes, carried-forward and total lines left out; ``tables.sublines`` for items set
on two lines), ``tables.descriptions`` cuts descriptions to the shape the rows share, and
``tables.scores`` scores every cell. ``tables.cells`` holds what a single cell says.
"""

from __future__ import annotations

from docextract.document import Document, Table
from docextract.layout.columns import concept_of
from docextract.options import ExtractOptions
from docextract.result import Candidate, Issue
from docextract.schema import FieldSpec, TableSpec
from docextract.tiers.rules.tables.cells import clean, holds, is_summary, num
from docextract.tiers.rules.tables.columns import Mapping, field_labels, headerless_continuations, map_columns
from docextract.tiers.rules.tables.descriptions import settle_descriptions
from docextract.tiers.rules.tables.items import Item, read_items
from docextract.tiers.rules.tables.scores import item_candidates


def table_candidates(
    doc: Document, table: TableSpec, options: ExtractOptions
) -> tuple[list[Candidate], list[Issue]]:
    """Candidates for every cell of a list-of-model field, read from the document's tables.

    Args:
        doc: a document whose pages carry ``tables`` (detected here from the words if layout found none).
        table: the list field, e.g. ``line_items`` with its item fields.
        options: extraction options (the threshold is not applied here).

    Returns:
        One candidate per cell, path ``"{table.path}[{i}].{field}"``, score a probability; and issues
        (``table_not_found`` when no table's header matches the item fields).
    """
    del options  # no option changes how tables are read yet
    concepts = {f.path: concept_of(f.name, f.labels) for f in table.item_fields}
    tables = _all_tables(doc)
    fields = {f.path: f for f in table.item_fields}
    maps = [m for t in tables if (m := map_columns(t, table, concepts)) is not None]
    if not maps:
        maps = _headerless(tables, concepts, fields, doc)
    if not maps:
        return [], [Issue(code="table_not_found", severity="info", fields=(table.path,),
                          message=f"no table whose header matches the fields of {table.path}")]
    best = max(maps, key=lambda m: m.strength)
    group = [m for m in maps if set(m.columns) == set(best.columns)]
    group += headerless_continuations(tables, group)
    group.sort(key=lambda m: (m.table.page, m.table.box.y0))
    items: list[Item] = []
    for m in group:
        items.extend(read_items(m, fields, concepts, doc))
    desc = next((it.desc for it in items if it.desc), None)
    if desc is not None:
        settle_descriptions(items, field_labels(fields[desc], concepts[desc]))
    return item_candidates(items, table, fields, concepts, best), []


def _headerless(
    tables: list[Table], concepts: dict[str, str | None], fields: dict[str, FieldSpec], doc: Document
) -> list[Mapping]:
    """When no table's header maps: the header-less table that reads as the most items (see
    ``tables.headerless``); none when none reads as two items or more."""
    from docextract.tiers.rules.tables.headerless import infer_columns

    best: tuple[int, Mapping] | None = None
    for t in tables:
        got = infer_columns(t, concepts, num, clean, holds, is_summary)
        if got is None:
            continue
        m = Mapping(*got, by_header=False)
        n = len(read_items(m, fields, concepts, doc))
        if n >= 2 and (best is None or n > best[0]):
            best = (n, m)
    return [best[1]] if best else []


def _all_tables(doc: Document) -> list[Table]:
    out: list[Table] = []
    for page in doc.pages:
        if page.tables:
            out.extend(page.tables)
        elif page.words:
            from docextract.layout.tables import detect_tables

            out.extend(detect_tables(page))
    return out
