"""The visible page against the e-invoice XML: where each XML value is printed, and whether the page
prints a *different* value for the same field (the fraud pattern of a swapped IBAN or total).

Only visible words count (``Page.words``; hidden words are never evidence). Values are located per
layout line (a segment of a visual row), so numbers in neighbouring columns never merge; labels are
matched per visual row, where a label and its value sit in different segments.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, cast

from docextract.document import Box, Document, Word
from docextract.result import Evidence

if TYPE_CHECKING:
    from docextract.schema import FieldKind

# How a semantic key's value is looked for on the page.
_AMOUNT = frozenset({"total_lines", "allowance_total", "charge_total", "total_net", "total_tax", "total_gross",
                     "prepaid", "amount_due", "unit_price", "line_total"})
_NUMBER = frozenset({"quantity", "price_basis_quantity"})
_DATE = frozenset({"issue_date", "due_date", "delivery_date"})
# Fields whose page value is checked against the XML, and with which scan kind.
CHECKED = {"iban": "iban", "seller.vat_id": "vat_id", "buyer.vat_id": "vat_id", "total_gross": "amount",
           "amount_due": "amount", "total_net": "amount", "total_tax": "amount"}
# Both decimal conventions: a known value is looked for, so either reading that equals it is a match.
_READINGS: tuple[tuple[str, ...], ...] = (("en",), ("de",))


def page_kind(key: str) -> str:
    """The scan kind a semantic key's value is printed as ("text" for a plain string)."""
    leaf = key.rsplit(".", 1)[-1]
    if leaf in _AMOUNT:
        return "amount"
    if leaf in _NUMBER:
        return "number"
    if leaf in _DATE:
        return "date"
    if leaf == "tax_rate":
        return "percent"
    if leaf in ("iban", "vat_id"):
        return leaf
    return "text"


@dataclass(slots=True)
class Segment:
    """The visible words of one layout line, with each word's character span in ``text``."""

    page: int
    words: list[Word]
    text: str = ""
    spans: list[tuple[int, int]] = field(default_factory=list)
    norm: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        pos = 0
        for w in self.words:
            self.spans.append((pos, pos + len(w.text)))
            pos += len(w.text) + 1
        self.text = " ".join(w.text for w in self.words)
        self.norm = [_compact(w.text) for w in self.words]

    def box(self, start: int, end: int) -> Box:
        hit = [w.box for w, (a, b) in zip(self.words, self.spans, strict=True) if a < end and b > start]
        return Box.enclosing(hit or [w.box for w in self.words])

    def evidence(self, start: int, end: int) -> Evidence:
        b = self.box(start, end)
        return Evidence(page=self.page, box=(b.x0, b.y0, b.x1, b.y1), text=self.text[start:end])


@dataclass(slots=True)
class Conflict:
    """A value printed on the page for a field, different from the XML's."""

    evidence: Evidence
    printed: Any


class PageText:
    """The visible text of a document, indexed for looking up known values."""

    def __init__(self, document: Document) -> None:
        from docextract.layout.heuristic import rows_of

        self.rows: list[list[Segment]] = []
        for page in document.pages:
            if page.lines:
                for row in rows_of(page.lines):
                    self.rows.append([Segment(page.index, list(ln.words)) for ln in row if ln.words])
            elif page.words:
                from docextract.layout.heuristic import group_rows

                self.rows.extend([Segment(page.index, r)] for r in group_rows(page.words))
        self.segments = [s for row in self.rows for s in row]
        self._scans: dict[tuple[int, str, tuple[str, ...]], list[Any]] = {}

    @property
    def has_text(self) -> bool:
        return bool(self.segments)

    def scan(self, seg: Segment, kind: str, languages: tuple[str, ...] = ("en",)) -> list[Any]:
        """``coerce.scan`` of one segment, memoised."""
        key = (id(seg), kind, languages)
        if key not in self._scans:
            from docextract.coerce import scan

            self._scans[key] = scan(seg.text, cast("FieldKind", kind), languages=languages)
        return self._scans[key]

    def locate(self, key: str, value: Any, raw: str) -> Evidence | None:
        """Where the XML value of ``key`` is printed, or None."""
        kind = page_kind(key)
        if kind == "text" or kind in ("iban", "vat_id"):
            return self._locate_text(str(value) if kind != "text" else raw, key)
        for seg in self.segments:
            for p in self._typed(seg, kind):
                if same_typed(p.value, value, kind):
                    return seg.evidence(p.start, p.end)
        return None

    def printed(self, kind: str) -> list[tuple[Segment, Any]]:
        """Every value of ``kind`` on the visible pages."""
        return [(seg, p) for seg in self.segments for p in self._typed(seg, kind)]

    def conflict(self, key: str, value: Any, labels: Mapping[str, Sequence[str]]) -> Conflict | None:
        """A differing value printed for ``key``, or None. Call only when ``value`` is not printed.

        An IBAN or VAT id: any valid one on the page that the XML does not know. An amount: one printed on
        a row whose best-matching label belongs to ``key`` (``labels`` maps every checked amount key to
        its label wordings, so "Total HT" goes to the net total and not to "Total").
        """
        kind = CHECKED[key]
        if kind in ("iban", "vat_id"):
            known = {_compact(str(v)) for v in labels.get("_known_" + kind, ())}
            for seg, p in self.printed(kind):
                if p.quality >= 0.9 and _compact(str(p.value)) not in known:
                    return Conflict(seg.evidence(p.start, p.end), p.value)
            return None
        from docextract.tiers.einvoice.mapping import words_of

        wordings = {k: [words_of(x) for x in v if words_of(x)] for k, v in labels.items() if not k.startswith("_")}
        for row in self.rows:
            row_words = " " + words_of(" ".join(s.text for s in row)) + " "
            best = max(((len(w), k) for k, ws in wordings.items() for w in ws if f" {w} " in row_words), default=None)
            if best is None or best[1] != key:
                continue
            for seg in row:
                for p in self._typed(seg, "amount"):
                    if not same_typed(p.value, value, "amount") and p.quality >= 0.5:
                        return Conflict(seg.evidence(p.start, p.end), p.value)
        return None

    def _typed(self, seg: Segment, kind: str) -> list[Any]:
        if kind in ("amount", "number", "percent", "date"):
            out: list[Any] = []
            for langs in _READINGS:
                out.extend(self.scan(seg, kind, langs))
            return out
        return self.scan(seg, kind)

    def _locate_text(self, target: str, key: str) -> Evidence | None:
        if key.endswith(".address"):
            target = target.split(",", maxsplit=1)[0]  # the street line; the rest is often split over several lines
        want = _compact(target)
        if not want:
            return None
        for seg in self.segments:
            for i in range(len(seg.words)):
                acc = ""
                for j in range(i, len(seg.words)):
                    acc += seg.norm[j]
                    if acc == want or (len(want) >= 6 and i == j and want in acc):
                        return seg.evidence(seg.spans[i][0], seg.spans[j][1])
                    if len(acc) >= len(want):
                        break
        return None


def same_typed(printed: Any, value: Any, kind: str) -> bool:
    """A printed reading equals the XML value; amounts by magnitude, as credit notes print signs either way."""
    if kind == "date":
        return isinstance(printed, dt.date) and printed == value
    try:
        a, b = Decimal(str(printed)), Decimal(str(value))
    except (InvalidOperation, ValueError):
        return False
    return abs(a) == abs(b)


def _compact(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())
