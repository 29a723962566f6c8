"""What flows through the pipeline: a Document of Pages of Words, and the layout built on them.

One coordinate system everywhere: a ``Box`` is ``(x0, y0, x1, y1)`` normalised to the page, 0..1, origin
top-left. Loaders and OCR engines convert at their edge; nothing downstream knows points or pixels.
These are slotted dataclasses because a page holds thousands of words.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, NamedTuple


class Box(NamedTuple):
    """A rectangle normalised to its page: 0..1, origin top-left."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    def union(self, other: Box) -> Box:
        return Box(min(self.x0, other.x0), min(self.y0, other.y0), max(self.x1, other.x1), max(self.y1, other.y1))

    def intersects(self, other: Box) -> bool:
        return self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1

    def vertical_overlap(self, other: Box) -> float:
        """Overlap of the two vertical extents, as a fraction of the smaller height."""
        inter = min(self.y1, other.y1) - max(self.y0, other.y0)
        smaller = min(self.height, other.height)
        return max(0.0, inter) / smaller if smaller > 0 else 0.0

    def horizontal_overlap(self, other: Box) -> float:
        """Overlap of the two horizontal extents, as a fraction of the smaller width."""
        inter = min(self.x1, other.x1) - max(self.x0, other.x0)
        smaller = min(self.width, other.width)
        return max(0.0, inter) / smaller if smaller > 0 else 0.0

    @staticmethod
    def enclosing(boxes: Iterable[Box]) -> Box:
        """The smallest box around all of ``boxes`` (which must not be empty)."""
        it = iter(boxes)
        out = next(it)
        for b in it:
            out = out.union(b)
        return out


@dataclass(slots=True)
class Word:
    """One word with its box; ``confidence`` is 1.0 for a PDF text layer, the engine's 0..1 for OCR."""

    text: str
    box: Box
    confidence: float = 1.0
    # Position in the engine's own reading order: (block, line, word). Layout may use it as a hint.
    order: tuple[int, int, int] = (0, 0, 0)


@dataclass(slots=True)
class Line:
    """Words on one visual line, left to right."""

    words: list[Word]
    box: Box

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def confidence(self) -> float:
        return min((w.confidence for w in self.words), default=1.0)


@dataclass(slots=True)
class Block:
    """Lines that belong together (a paragraph, an address, a label/value group)."""

    lines: list[Line]
    box: Box

    @property
    def text(self) -> str:
        return "\n".join(ln.text for ln in self.lines)


@dataclass(slots=True)
class TableCell:
    """One cell; ``words`` is empty for an empty cell."""

    text: str
    box: Box
    words: list[Word] = field(default_factory=list)


@dataclass(slots=True)
class Table:
    """A grid of cells. The first ``header_rows`` rows are the header (0 when none was found)."""

    page: int
    box: Box
    rows: list[list[TableCell]]
    header_rows: int = 1
    source: str = "words"  # "pymupdf" (ruled/detected by pymupdf's table finder) | "words" (column clustering)

    @property
    def header(self) -> list[str]:
        if not self.header_rows or not self.rows:
            return []
        cols = len(self.rows[0])
        return [" ".join(r[c].text for r in self.rows[: self.header_rows] if c < len(r)).strip() for c in range(cols)]

    @property
    def body(self) -> list[list[TableCell]]:
        return self.rows[self.header_rows :]


TextSource = str  # "pdf" | "ocr:<engine>" | "none"


@dataclass(slots=True)
class Page:
    """One page. ``words`` are visible words only; ``hidden_words`` paint no ink and are never evidence."""

    index: int
    width: float  # points (an image page: pixels at 72 dpi equivalent, see ``image_dpi``)
    height: float
    rotation: int = 0
    words: list[Word] = field(default_factory=list)
    hidden_words: list[Word] = field(default_factory=list)
    text_source: TextSource = "pdf"
    # Whether the PDF text layer is usable as it is, and why not when it is not.
    text_layer_usable: bool = True
    text_layer_reason: str | None = None
    has_images: bool = False
    image_dpi: float | None = None  # the native resolution of an image page or a full-page scan
    # Clockwise degrees an OCR'd page was turned to read it (quarter turns less a small deskew); its words,
    # width and height then describe the turned page. 0.0 for pages read as displayed.
    ocr_rotation: float = 0.0
    # Thin horizontal/vertical strokes and rectangle edges from the vector drawing (ruled tables, boxes).
    ruling: list[Box] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)

    @property
    def text(self) -> str:
        if self.lines:
            return "\n".join(ln.text for ln in self.lines)
        return " ".join(w.text for w in self.words)

    def displayed_box(self, box: Box) -> Box:
        """A box of this page's words, in the frame of the page as displayed.

        An OCR'd page that was turned (and its word boxes straightened) to be read keeps its words in the turned
        frame, where layout needs them; evidence must point at the page the user sees.
        """
        if not self.ocr_rotation:
            return box
        quarter = round(self.ocr_rotation / 90) * 90 % 360
        skew = math.radians(quarter - self.ocr_rotation)
        w, h = self.width, self.height
        corners = [(box.x0, box.y0), (box.x1, box.y0), (box.x0, box.y1), (box.x1, box.y1)]
        if skew:
            # Undo the straightening: turn the centre back about the page centre (boxes kept their size).
            dx, dy = (box.cx - 0.5) * w, (box.cy - 0.5) * h
            cos, sin = math.cos(skew), math.sin(skew)
            cx, cy = 0.5 + (dx * cos - dy * sin) / w, 0.5 + (dx * sin + dy * cos) / h
            hw, hh = box.width / 2, box.height / 2
            corners = [(cx - hw, cy - hh), (cx + hw, cy - hh), (cx - hw, cy + hh), (cx + hw, cy + hh)]
        # The page was turned clockwise by ``quarter`` to read it: turn the points back.
        pts = [_turn_back(x, y, quarter) for x, y in corners]
        xs, ys = [min(1.0, max(0.0, p[0])) for p in pts], [min(1.0, max(0.0, p[1])) for p in pts]
        return Box(min(xs), min(ys), max(xs), max(ys))


def _turn_back(x: float, y: float, clockwise: int) -> tuple[float, float]:
    """A normalised point of a page turned ``clockwise`` degrees, on the page before the turn."""
    if clockwise == 90:
        return y, 1 - x
    if clockwise == 180:
        return 1 - x, 1 - y
    if clockwise == 270:
        return 1 - y, x
    return x, y


@dataclass(slots=True)
class Attachment:
    """A file embedded in a PDF (or the XML document itself, for a standalone e-invoice)."""

    name: str
    data: bytes
    mime: str | None = None
    relationship: str | None = None  # PDF/A-3 /AFRelationship, e.g. "Alternative" or "Data"


DocumentKind = Literal["pdf", "image", "xml"]


@dataclass(slots=True)
class Document:
    """A loaded source: its pages with words, its attachments, and how to find its bytes again to render."""

    path: Path
    sha256: str
    kind: DocumentKind
    pages: list[Page] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)
    # The PDF was damaged (truncated, broken xref) and had to be repaired to be read: content may be lost.
    repaired: bool = False
    # The password that opened it, kept so pages can be rendered again; never logged or serialised.
    password: str | None = field(default=None, repr=False)

    @property
    def name(self) -> str:
        return self.path.name

    def all_words(self) -> Iterable[tuple[int, Word]]:
        for page in self.pages:
            for w in page.words:
                yield page.index, w
