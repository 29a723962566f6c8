"""When a document is ``ok``, and which values are withheld from ``data``.

A document is ``ok`` when its schema instance was built, every *required* field of the user's schema is
accepted (confidence at or above the threshold), every required nested model has at least one accepted
field, no issue is an error, and the PDF did not have to be repaired. Optional fields do not hold a
document back: one below the threshold is *unsure*. It is withheld from ``data`` (left at its default,
None for the usual ``X | None = None``) unless ``keep_unsure`` is set, listed in ``result.unsure``, and
keeps its value, confidence and evidence in ``result.fields``.

Tables (list-of-model fields) are withheld cell by cell:

- an unsure cell of an optional item field is None in its row; the row stays;
- an unsure cell of a required item field in an optional table withholds its whole row (the row would not
  validate without it); the cell is listed, the row's other cells stay in ``fields``;
- in a required table, a required cell below the threshold is kept and sends the document to review, as a
  required scalar does; a required table is accepted when it has an accepted cell and every required cell
  of every row is accepted.

A row whose every cell is withheld drops out of ``data``, so row indices of ``data`` and ``fields`` can
then differ (as they already do for a row the schema rejects).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from docextract.result import FieldResult, Issue
from docextract.schema import SchemaSpec, required_models

# Issues that keep a document from "ok" although they are warnings: what they say may have cost fields
# silently (a repaired PDF can lose the end of a table and still read cleanly).
BLOCKS_OK = frozenset({"repaired"})

_CELL = re.compile(r"^(?P<table>[^\[\]]+)\[(?P<row>\d+)\]\.(?P<field>.+)$")


def repaired_issue() -> Issue:
    """The warning a PDF carries when MuPDF (or PDFium in its stead) had to repair it."""
    return Issue(
        code="repaired",
        message="the PDF is damaged (truncated or a broken cross-reference table) and was repaired to be read; "
        "parts of it may be missing",
        severity="warning",
    )


@dataclass(frozen=True, slots=True)
class Unsure:
    """Optional values below the threshold: ``paths`` to list, ``withheld`` to leave out of ``data``."""

    paths: tuple[str, ...]
    withheld: frozenset[str]


def unsure(spec: SchemaSpec, fields: Mapping[str, FieldResult], threshold: float) -> Unsure:
    """The unsure optional fields and cells of a result, and every path that is withheld for them."""
    paths: list[str] = []
    withheld: set[str] = set()
    for path, f in fields.items():
        if f.value is None or f.confidence >= threshold:
            continue
        cell = _CELL.match(path)
        if cell is None:
            fs = spec.field(path)
            if fs is None or not fs.required:
                paths.append(path)
                withheld.add(path)
            continue
        table = spec.table(cell["table"])
        item = next((x for x in table.item_fields if x.path == cell["field"]), None) if table else None
        if item is None or not item.required:
            paths.append(path)
            withheld.add(path)
        elif table is not None and not table.required:
            row = f"{cell['table']}[{cell['row']}]."
            paths.append(path)
            withheld.update(p for p in fields if p.startswith(row))
    return Unsure(tuple(sorted(paths, key=path_key)), frozenset(withheld))


def missing_required(spec: SchemaSpec, fields: Mapping[str, FieldResult], threshold: float) -> list[str]:
    """Required fields, tables and nested models of ``spec`` that were not accepted, in schema order."""
    accepted = {p for p, f in fields.items() if f.value is not None and f.confidence >= threshold}
    missing = [f.path for f in spec.fields if f.required and f.path not in accepted]
    for table in spec.tables:
        if table.required and not _table_accepted(table.path, _required_items(table), fields, accepted):
            missing.append(table.path)
    for model in required_models(spec.model):
        if not any(p.startswith(model + ".") for p in accepted) and not any(
            m.startswith(model + ".") for m in missing
        ):
            missing.append(model)
    return missing


def is_ok(data: Any, missing: Iterable[str], issues: Iterable[Issue]) -> bool:
    """The verdict: built, nothing required missing, no error, nothing that blocks "ok"."""
    if data is None or any(True for _ in missing):
        return False
    return not any(i.severity == "error" or i.code in BLOCKS_OK for i in issues)


def _required_items(table: Any) -> set[str]:
    return {f.path for f in table.item_fields if f.required}


def _table_accepted(
    table: str, required: set[str], fields: Mapping[str, FieldResult], accepted: set[str]
) -> bool:
    rows: dict[str, set[str]] = {}
    for path in fields:
        cell = _CELL.match(path)
        if cell is not None and cell["table"] == table:
            rows.setdefault(cell["row"], set())
            if path in accepted:
                rows[cell["row"]].add(cell["field"])
    if not any(rows.values()):
        return False
    return all(required <= got for got in rows.values())


def path_key(path: str) -> tuple[Any, ...]:
    """Natural order of field paths: ``line_items[2]`` before ``line_items[10]``."""
    return tuple((0, int(x), "") if x.isdigit() else (1, 0, x) for x in re.split(r"[.\[\]]+", path) if x)
