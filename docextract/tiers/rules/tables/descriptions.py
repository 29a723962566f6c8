"""Descriptions read against the shape the list's rows share.

An invoice program often prints an item as "{name} - {detail}" or "{name}: {detail}". What a row's text
cannot say, the rows together can:

- every row (two or more) ends in the same " - Description" (a label of the column): the program
  printed a label for an empty detail; the name is the text before it (on a single row, a reading);
- the same suffix on every row of three or more: it tells no row from another (a column artefact); the
  text before it is likely the name, but that is a reading;
- a row that ends in the separator ("Hot air (litres):") shows the program joins two fields and left the
  second empty; the rows that share the separator are read as name and detail, the name kept (a reading
  too: the cut is where the program puts it, but nothing on the page says the detail is not wanted).

A reading lowers the description's score (``Item.desc_shape``); a placeholder cut does not.

Lines joined as one wrapped description are a guess on the word-wrap test alone; when three lines or
more of the list end at the same edge, the column wraps there, and a description whose lines all end at
that edge (but its last) was wrapped by the program: the join is sure.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from docextract.layout.columns import header_score, norm
from docextract.tiers.rules.tables.items import Item

READING = 0.85  # how sure a cut made on a shape the rows share (not on a placeholder) is
_MIN_SAME = 3  # rows that must share a suffix that is not a label before it reads as an artefact

# Between a name and its detail: a spaced dash or bar, or a colon and a space.
_SEP = re.compile(r"\s+[-–—|]\s+|:\s+")
# Nothing after the separator: a trailing colon, or a spaced dash (not a hyphen that broke a word).
_TRAIL = re.compile(r"(?::|\s[-–—|])\s*$")


def settle_descriptions(items: Sequence[Item], labels: tuple[str, ...]) -> None:
    """Cut every item's description to its name where the rows' shared shape says where it ends.

    Args:
        items: the list's items (their ``desc`` path names the description cell).
        labels: the header wordings that name the description column ("Description", "Désignation").
    """
    rows = [(it, str(it.cells[it.desc][1])) for it in items if it.desc and it.desc in it.cells]
    if not rows:
        return
    _confirm_wraps([it for it, _ in rows])
    if _cut_shared_suffix(rows, labels):
        return
    _cut_template(rows)


def _confirm_wraps(items: list[Item]) -> None:
    """Joins whose lines all end at the column's wrap edge are not guesses: the edge is where a page's
    description lines reach furthest, less about two letters, and three lines of the list end there."""
    lines = [(it.page, it.aspect, line) for it in items for line in it.desc_lines]
    if len(lines) < _MIN_SAME:
        return
    heights = sorted(line.box.height * aspect for _, aspect, line in lines)
    tol = heights[len(heights) // 2]
    edge: dict[int, float] = {}
    for page, _, line in lines:
        edge[page] = max(edge.get(page, 0.0), line.box.x1 - tol)
    if sum(1 for page, _, line in lines if line.box.x1 >= edge[page]) < _MIN_SAME:
        return
    for it in items:
        if it.wrap_guessed and all(line.box.x1 >= edge[it.page] for line in it.desc_lines[:-1]):
            it.wrap_guessed = False


def _set(item: Item, name: str, shape: float) -> None:
    assert item.desc is not None
    raw, _, quality, box = item.cells[item.desc]
    item.cells[item.desc] = (raw, name, quality, box)
    item.desc_shape = min(item.desc_shape, shape)


def _split_last(text: str) -> tuple[str, str] | None:
    parts = list(_SEP.finditer(text))
    if not parts:
        return None
    m = parts[-1]
    name, rest = text[: m.start()].strip(), text[m.end() :].strip()
    return (name, rest) if name and rest else None


def _cut_shared_suffix(rows: list[tuple[Item, str]], labels: tuple[str, ...]) -> bool:
    """The same suffix after a separator on every row: cut it. Sure when it is a label of the column
    repeated on two rows or more (a placeholder); a reading when only the label, or only its repetition
    over many rows, says so."""
    splits = [_split_last(text) for _, text in rows]
    suffixes = {norm(s[1]) for s in splits if s is not None}
    if any(s is None for s in splits) or len(suffixes) != 1:
        return False
    suffix = next(s[1] for s in splits if s is not None)
    label = header_score(suffix, labels) >= 0.8
    if label and len(rows) >= 2:
        shape = 1.0
    elif label or len(rows) >= _MIN_SAME:
        shape = READING
    else:
        return False
    for (item, _), split in zip(rows, splits, strict=True):
        assert split is not None
        _set(item, split[0], shape)
    return True


def _cut_template(rows: list[tuple[Item, str]]) -> None:
    """Rows ending in a separator are a name whose detail was left empty: the name is sure. When another
    row shows the same separator, all rows that hold it are read as name and detail."""
    empty = [(item, text) for item, text in rows if _TRAIL.search(text)]
    if not empty:
        return
    seps = {_TRAIL.search(text).group().strip() for _, text in empty}  # type: ignore[union-attr]
    for item, text in empty:
        _set(item, _TRAIL.sub("", text).strip() or text, 1.0)
    if len(seps) != 1:
        return
    sep = seps.pop()
    mark = ": " if sep == ":" else f" {sep} "
    full = [(item, text) for item, text in rows if not _TRAIL.search(text) and mark in text]
    if not full or len(full) + len(empty) < 2:
        return
    for item, text in full:
        name = text.split(mark, 1)[0].strip()
        if name:
            _set(item, name, READING)
