"""Items set on two or more lines whose header is stacked the same way: a header line per item line.

A header "GTIN  Art-Nr  Menge  Preis  Wert" over "Art-Nr-Kunde  Artikelbezeichnung" says each item
prints its numbers on its first line and its description on its second, under the second header line's
label. The description is read there: the words of that item line from where the label starts.
"""

from __future__ import annotations

from collections.abc import Callable

from docextract.document import Box, Table, TableCell, Word

Score = Callable[[str, tuple[str, ...]], float]


def label_line(
    t: Table, columns: dict[str, int], labels: dict[str, tuple[str, ...]], desc: str, score: Score, floor: float
) -> tuple[int, float, float]:
    """Which item line the description is on, by the header line its label is on, and where it starts.

    Args:
        t: the table, one header row per stacked header line.
        columns: item field path → column.
        labels: item field path → the header labels that name it.
        desc: the description's field path.
        score: ``header_score(text, labels)``.
        floor: the least score that counts as a match.

    Returns:
        ``(line, x0, score)``: the item line (0 = the line with the numbers; then the description is
        read from its own cell as usual), the x where the label starts, and how well the label's own
        words (from there on, without the other labels stacked in the same header cell) match.
    """
    if t.header_rows < 2 or desc not in columns:
        return 0, 0.0, 0.0
    head = t.rows[: t.header_rows]

    def rows_of(path: str) -> list[int]:
        c = columns[path]
        return [k for k, r in enumerate(head) if c < len(r) and score(r[c].text, labels[path]) >= floor]

    desc_rows = rows_of(desc)
    others = [k for p in columns if p != desc for k in rows_of(p)]
    if not desc_rows or not others:
        return 0, 0.0, 0.0
    line = min(desc_rows) - min(others)
    if line < 1:
        return 0, 0.0, 0.0
    words = head[min(desc_rows)][columns[desc]].words
    if not words:
        return line, 0.0, 0.0
    tail = [score(" ".join(w.text for w in words[i:]), labels[desc]) for i in range(len(words))]
    start = max((i for i, s in enumerate(tail) if s >= floor), default=0)
    return line, words[start].box.x0, tail[start]


def read_line(row: list[TableCell], x0: float, aspect: float) -> tuple[str, Box] | None:
    """The text of an item line from ``x0`` on: the run of words starting there (about where the label
    starts), up to the next wide gap."""
    words = sorted((w for cell in row for w in cell.words), key=lambda w: w.box.x0)
    if not words:
        return None
    h = sorted(w.box.height for w in words)[len(words) // 2]
    tol = 1.5 * h * aspect
    run: list[Word] = []
    for w in words:
        if not run:
            if abs(w.box.x0 - x0) <= tol:
                run.append(w)
            continue
        if w.box.x0 - run[-1].box.x1 > 1.2 * h * aspect:
            break
        run.append(w)
    if not run:
        return None
    return " ".join(w.text for w in run), Box.enclosing(w.box for w in run)
