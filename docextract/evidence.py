"""Where a value is printed on the visible pages: the one way every tier's candidates get evidence.

``locate(value, doc, kind)`` finds the words that print ``value`` (an amount by its magnitude in either
decimal convention, a date by any format, text and identifiers letter for letter, ignoring spaces and
punctuation). Only visible words count (``Page.words``; hidden text is never evidence). Values are looked
for per layout line (a segment of a visual row), so numbers in neighbouring columns never merge.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, cast

from docextract.document import Box, Document, Word
from docextract.result import Candidate, Evidence, Issue

if TYPE_CHECKING:
    from docextract.schema import FieldKind, SchemaSpec

# How a semantic key's value is looked for on the page.
_AMOUNT = frozenset({"total_lines", "allowance_total", "charge_total", "total_net", "total_tax", "total_gross",
                     "prepaid", "amount_due", "unit_price", "line_total"})
_NUMBER = frozenset({"quantity", "price_basis_quantity"})
_DATE = frozenset({"issue_date", "due_date", "delivery_date"})
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
        self.norm = [compact(w.text) for w in self.words]

    def box(self, start: int, end: int) -> Box:
        hit = [w.box for w, (a, b) in zip(self.words, self.spans, strict=True) if a < end and b > start]
        return Box.enclosing(hit or [w.box for w in self.words])

    def evidence(self, start: int, end: int) -> Evidence:
        b = self.box(start, end)
        return Evidence(page=self.page, box=(b.x0, b.y0, b.x1, b.y1), text=self.text[start:end])


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
        """Where the value of the semantic ``key`` ("total_gross", "seller.address") is printed, or None."""
        return self.find(page_kind(key), value, raw, address=key.endswith(".address"))

    def find(self, kind: str, value: Any, raw: str | None = None, *, address: bool = False) -> Evidence | None:
        """Where ``value`` of scan kind ``kind`` is printed, or None. Text is looked for as ``raw`` (as read)
        when given; identifiers as their value. ``address``: only the street line is looked for."""
        if kind == "text" or kind in ("iban", "vat_id"):
            target = raw if kind == "text" and raw else str(value)
            return self._locate_text(target, address)
        for seg in self.segments:
            for p in self.typed(seg, kind):
                if same_typed(p.value, value, kind):
                    return seg.evidence(p.start, p.end)
        return None

    def printed(self, kind: str) -> list[tuple[Segment, Any]]:
        """Every value of ``kind`` on the visible pages."""
        return [(seg, p) for seg in self.segments for p in self.typed(seg, kind)]

    def typed(self, seg: Segment, kind: str) -> list[Any]:
        """The values of ``kind`` in ``seg``; numbers and dates in both decimal conventions."""
        if kind in ("amount", "number", "percent", "date"):
            out: list[Any] = []
            for langs in _READINGS:
                out.extend(self.scan(seg, kind, langs))
            return out
        return self.scan(seg, kind)

    def _locate_text(self, target: str, address: bool) -> Evidence | None:
        if address:
            target = target.split(",", maxsplit=1)[0]  # the street line; the rest is often split over several lines
        want = compact(target)
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


# How a schema field kind is looked for (see ``coerce.scan``); booleans are not printed as such.
_FIELD_SCAN = {"string": "text", "text": "text", "enum": "text", "currency": "text", "date": "date",
               "amount": "amount", "number": "number", "integer": "number", "percent": "percent",
               "iban": "iban", "vat_id": "vat_id"}


def locatable(kind: str) -> bool:
    """Whether a value of the schema field kind ``kind`` can be looked for on the page."""
    return kind in _FIELD_SCAN


def locate(value: Any, doc: Document | PageText, kind: str = "text", raw: str | None = None) -> Evidence | None:
    """Where ``value`` (of schema field kind ``kind``; read from the text ``raw`` when known) is printed on
    the visible pages of ``doc``, or None. Pass a ``PageText`` to look for many values in one document."""
    if value is None or not locatable(kind):
        return None
    page = doc if isinstance(doc, PageText) else PageText(doc)
    return page.find(_FIELD_SCAN[kind], value, raw if raw else str(value))


def field_kind(spec: SchemaSpec, path: str) -> str | None:
    """The kind of the field at ``path``, a table cell ("line_items[2].quantity") included."""
    fs = spec.field(path)
    if fs is not None:
        return fs.kind
    table, _, rest = path.partition("[")
    leaf = rest.partition("].")[2]
    item = next((f for t in spec.tables if t.path == table for f in t.item_fields if f.path == leaf), None)
    return item.kind if item is not None else None


def ground(doc: Document, spec: SchemaSpec, candidates: list[Candidate], page: PageText | None = None
           ) -> tuple[list[Candidate], list[Issue], PageText | None]:
    """Give every candidate that has no place on a page one, when its value is printed there.

    A candidate that already has page evidence (tiers that read words always have) or that comes from a
    structured source (XML evidence: the e-invoice tier checks the page itself) is left alone. One whose
    value is not on the visible pages gets a ``not_in_document`` error: a model's value that the
    document does not show is never accepted on the model's word alone (the document goes to review).
    ``page`` is reused between calls (indexing the pages costs more than one lookup); the one built is
    returned.
    """
    out: list[Candidate] = []
    issues: list[Issue] = []
    for cand in candidates:
        kind = field_kind(spec, cand.path)
        placed = any(e.page is not None or e.xpath is not None for e in cand.evidence)
        if placed or cand.value is None or kind is None or not locatable(kind) or not doc.pages:
            out.append(cand)
            continue
        if page is None:
            page = PageText(doc)
        quote = next((e.text for e in cand.evidence if e.text), None) or cand.raw
        found = locate(cand.value, page, kind, quote) or (locate(cand.value, page, kind) if quote else None)
        if found is not None:
            out.append(cand.model_copy(update={"evidence": (*cand.evidence, found)}))
            continue
        out.append(cand)
        issues.append(Issue(code="not_in_document", severity="error", fields=(cand.path,),
                            message=f"{cand.path}: the value from {cand.source} is not printed on the visible pages"))
    return out, issues, page


def same_typed(printed: Any, value: Any, kind: str) -> bool:
    """A printed reading equals the XML value; amounts by magnitude, as credit notes print signs either way."""
    if kind == "date":
        return isinstance(printed, dt.date) and printed == value
    try:
        a, b = Decimal(str(printed)), Decimal(str(value))
    except (InvalidOperation, ValueError):
        return False
    return abs(a) == abs(b)


def compact(text: str) -> str:
    """Casefolded letters and digits only."""
    return re.sub(r"[\W_]+", "", text.casefold())
