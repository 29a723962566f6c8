"""Working state of the rules tier: the page segments indexed by row and token, and raw candidates.

A ``Seg`` is one layout ``Line`` (a run of words without a wide gap). Segments sharing a visual row are
kept together so a label's value can be looked for to its right; rows are ordered top to bottom so it can
be looked for under (or over) it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from docextract.document import Box, Document, Word
from docextract.layout.heuristic import rows_of
from docextract.tiers.rules.labels import LabelHit, Seg, close_tokens, find_label, make_seg
from docextract.tiers.rules.weights import rules_probability


@dataclass(slots=True)
class PageIndex:
    """The segments of one page, with their rows."""

    segs: list[Seg]
    rows: list[list[Seg]]
    row_of: dict[int, int] = field(default_factory=dict)  # id(seg) → row index


class Context:
    """Per-document working state shared by the field finders."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.pages: list[PageIndex] = []
        for page in doc.pages:
            lines = page.lines or []
            rows = [[make_seg(page.index, ln) for ln in row] for row in rows_of(lines)]
            idx = PageIndex([s for r in rows for s in r], rows)
            for i, r in enumerate(rows):
                for s in r:
                    idx.row_of[id(s)] = i
            self.pages.append(idx)
        # token → [(seg, position)], and tokens bucketed by first letter for one-edit lookups
        self._where: dict[str, list[tuple[Seg, int]]] = {}
        for idx in self.pages:
            for seg in idx.segs:
                for i, tok in enumerate(seg.tokens):
                    self._where.setdefault(tok, []).append((seg, i))
        self._vocab: dict[tuple[str, int], list[str]] = {}  # (first letter, length) → tokens
        for tok in self._where:
            if len(tok) >= 4:
                self._vocab.setdefault((tok[0], len(tok)), []).append(tok)
        self._hits: dict[tuple[str, ...], list[LabelHit]] = {}
        self._scans: dict[tuple[str, str], tuple[Any, ...]] = {}
        self._close: dict[str, list[str]] = {}
        self._like: dict[str, list[tuple[Seg, int]]] = {}
        self._best: dict[tuple[tuple[tuple[str, ...], float], ...], list[LabelHit]] = {}

    def scan(self, text: str, kind: str) -> tuple[Any, ...]:
        """``coerce.scan(text, kind)``, once per text and kind in this document."""
        key = (text, kind)
        got = self._scans.get(key)
        if got is None:
            from docextract import coerce

            got = self._scans[key] = tuple(coerce.scan(text, kind))  # type: ignore[arg-type]
        return got

    def find(self, label: tuple[str, ...]) -> list[LabelHit]:
        """Every occurrence of ``label`` in the document (cached; hits are shared, do not mutate)."""
        got = self._hits.get(label)
        if got is None:
            starts: dict[int, tuple[Seg, list[int]]] = {}
            for tok in self._close_to(label[0]):
                for seg, i in self._where.get(tok, ()):
                    starts.setdefault(id(seg), (seg, []))[1].append(i)
            got = [h for seg, pos in starts.values() for h in find_label(seg, label, sorted(pos))]
            self._hits[label] = got
        return got

    def _close_to(self, token: str) -> list[str]:
        got = self._close.get(token)
        if got is None:
            n = len(token)
            near = [v for k in (n - 1, n, n + 1) for v in self._vocab.get((token[:1], k), ())]
            got = self._close[token] = close_tokens(token, {token[:1]: near})
        return got

    def best_hits(self, labels: list[tuple[tuple[str, ...], float]]) -> list[LabelHit] | None:
        """The memo of ``rules.best_hits`` for this label list, or None."""
        return self._best.get(tuple(labels))

    def remember_best_hits(self, labels: list[tuple[tuple[str, ...], float]], hits: list[LabelHit]) -> None:
        self._best[tuple(labels)] = hits

    def tokens_like(self, suffix: str) -> list[tuple[Seg, int]]:
        """Token positions whose token is ``suffix`` or a compound ending in it ("handelsrechnung")."""
        got = self._like.get(suffix)
        if got is None:
            got = self._like[suffix] = [hit for tok, hits in self._where.items() if tok.endswith(suffix)
                                        for hit in hits]
        return got

    def row(self, seg: Seg) -> list[Seg]:
        idx = self.pages[seg.page]
        return idx.rows[idx.row_of[id(seg)]]

    def right_of(self, seg: Seg) -> list[Seg]:
        return [s for s in self.row(seg) if s.box.x0 >= seg.box.x1 - 1e-6]

    def below(self, seg: Seg, box: Box, max_rows: int = 2) -> list[Seg]:
        """Segments on the next rows under ``box``, overlapping it horizontally or left-aligned with it."""
        idx = self.pages[seg.page]
        r = idx.row_of[id(seg)]
        h = seg.box.height
        out: list[Seg] = []
        for row in idx.rows[r + 1 : r + 1 + max_rows]:
            for s in row:
                if s.box.y0 - seg.box.y1 > 2.5 * h:
                    return out
                aligned = abs(s.box.x0 - box.x0) < 0.02 or s.box.horizontal_overlap(seg.box) > 0.3
                if aligned:
                    out.append(s)
            if out:
                return out
        return out

    def column(self, seg: Seg, box: Box, up: bool, max_gap: float) -> list[Seg]:
        """Segments over or under ``box`` (horizontally overlapping it), nearest first, within ``max_gap``
        line heights; rows in between that hold nothing in that column are skipped."""
        idx = self.pages[seg.page]
        r = idx.row_of[id(seg)]
        h = max(seg.box.height, 1e-6)
        rows = idx.rows[r - 1 :: -1] if up and r > 0 else ([] if up else idx.rows[r + 1 :])
        out: list[Seg] = []
        for row in rows:
            for s in row:
                gap = (seg.box.y0 - s.box.y1) if up else (s.box.y0 - seg.box.y1)
                if gap > max_gap * h:
                    return out
                if s.box.x0 < box.x1 and box.x0 < s.box.x1:
                    out.append(s)
        return out


@dataclass(slots=True)
class Raw:
    """A candidate before competition is known."""

    value: Any
    raw: str
    page: int
    words: list[Word]
    signals: dict[str, float]
    hit_key: tuple[int, int, int] = (0, 0, 0)  # (page, id of seg, label start): one vote per label occurrence
    label_words: tuple[str, ...] = ()  # the normalised words of the label phrase
    label_box: Box | None = None  # where its label was printed (None: found by position)

    @property
    def prob(self) -> float:
        return rules_probability(self.signals)

    @property
    def box(self) -> Box | None:
        return Box.enclosing(w.box for w in self.words) if self.words else None
