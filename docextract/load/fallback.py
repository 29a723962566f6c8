"""PDFs that MuPDF cannot read, through PDFium: the second engine's pages, words, attachments and metadata.

The engines repair different damage: PDFium follows the page tree where MuPDF trusts a wrong ``/Count``,
and parses some broken dictionaries MuPDF gives up on. Of 600 fuzzed invoices (``benchmarks/fuzz.py
--mutants 600 --seed 1``) MuPDF refused or found empty 151; PDFium opened 73 of them and read 48 with
content, which are recovered here.

PDFium's text page has no paint order, so text covered by a later image or filled shape, or drawn on a dark
background, cannot be told from visible text. Pages read here are therefore never trusted as a text layer:
they carry ``text_layer_usable=False`` and are OCR'd from PDFium's rendering, which shows only ink. On the
48 recovered files, OCR found 51.4% of the fields extracted from the undamaged originals against 54.0%
when PDFium's words were trusted, at 0.7 s more per file: a small price for evidence that is visible.
What PDFium does report (render mode, fill alpha and colour, font size, position) still moves plainly
hidden words into ``hidden_words``.

Every pypdfium2 call here must run under the caller's lock: PDFium is not thread-safe.
"""

from __future__ import annotations

import ctypes
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from docextract.document import Attachment, Box, Document, Page, Word
from docextract.errors import (
    PasswordRequiredError,
    ResourceLimitError,
    TooManyPagesError,
    WrongPasswordError,
)
from docextract.load.textlayer import clean_text
from docextract.options import ExtractOptions

TEXT_SOURCE = "pdf:pdfium"
FALLBACK_REASON = "text layer from the fallback engine (PDFium); visibility unknown"
MIN_FONT_SIZE = 3.0  # points, as visibility.MIN_FONT_SIZE
MIN_ALPHA = 26  # of 255: visibility.MIN_OPACITY
MIN_CONTRAST = 1.4  # against white paper, as visibility.MIN_CONTRAST
LARGE_IMAGE_SHARE = 0.5  # as pdfpage.LARGE_IMAGE_SHARE
SCAN_IMAGE_SHARE = 0.8
MAX_OBJECTS = 5000  # page objects inspected for images; hostile pages can hold millions
WORD_GAP = 0.5  # a gap wider than this share of the glyph height starts a new word
_INVISIBLE_MODES = (3, 7)
_METADATA = {
    "Title": "title",
    "Author": "author",
    "Subject": "subject",
    "Keywords": "keywords",
    "Creator": "creator",
    "Producer": "producer",
    "CreationDate": "creationDate",
    "ModDate": "modDate",
}

_Char = tuple[str, tuple[float, float, float, float], str | None]  # text, PDF-space box, hidden reason


class _UnreadableError(Exception):
    """PDFium cannot read the file either; the caller reports MuPDF's error."""


@contextmanager
def _pdfium_errors(path: Path) -> Iterator[None]:
    import pypdfium2 as pdfium

    try:
        yield
    except MemoryError as exc:
        raise ResourceLimitError("out of memory while reading the PDF with PDFium", path=path) from exc
    except (pdfium.PdfiumError, ValueError, OSError) as exc:
        raise _UnreadableError(str(exc)) from exc


def load_with_pdfium(path: Path, data: bytes, options: ExtractOptions) -> Document | None:
    """The Document of ``data`` as PDFium reads it, or None when PDFium cannot read it or finds nothing.

    Pages that fail to load at the end of the document are dropped (a ``/Count`` larger than the page
    tree); a page failing before a readable one makes the whole file unreadable, so that page indices stay
    the ones the renderer uses.

    Args:
        path: the file, for error messages and rendering.
        data: its bytes (``%PDF-`` magic already checked).
        options: ``options.password`` and ``options.limits.max_pages`` are used.

    Returns:
        A Document of kind "pdf" whose pages have ``text_source == "pdf:pdfium"`` and
        ``text_layer_usable == False``, or None.

    Raises:
        PasswordRequiredError, WrongPasswordError, TooManyPagesError, ResourceLimitError: naming ``path``.
    """
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data, password=options.password)
    except pdfium.PdfiumError as exc:
        if exc.err_code == pdfium.raw.FPDF_ERR_PASSWORD:
            if not options.password:
                raise PasswordRequiredError(
                    "PDF is encrypted with a password", path=path, hint="pass options.password (--password)"
                ) from exc
            raise WrongPasswordError("the password given does not open this PDF", path=path) from exc
        return None
    except MemoryError as exc:
        raise ResourceLimitError("out of memory while opening the PDF with PDFium", path=path) from exc
    try:
        return _build(pdf, path, data, options)
    except _UnreadableError:
        return None
    except MemoryError as exc:
        raise ResourceLimitError("out of memory while reading the PDF with PDFium", path=path) from exc
    finally:
        pdf.close()


def _build(pdf: Any, path: Path, data: bytes, options: ExtractOptions) -> Document | None:
    import pypdfium2 as pdfium

    n = len(pdf)
    limit = options.limits.max_pages
    if n > limit and _unloadable(pdf, limit):
        n = limit  # a /Count past the limit that the page tree does not back: read what is there
    if n > limit:
        raise TooManyPagesError(
            f"PDF has {n} pages, more than the limit of {limit}",
            path=path,
            hint="raise options.limits.max_pages or split the file",
        )
    encrypted = pdfium.raw.FPDF_GetSecurityHandlerRevision(pdf) != -1
    doc = Document(
        path=path, sha256=hashlib.sha256(data).hexdigest(), kind="pdf",
        password=options.password if encrypted else None,
        repaired=True,  # MuPDF could not read it at all: damaged, whatever PDFium makes of it
    )
    any_content = False
    for i in range(n):
        try:
            page = pdf[i]
        except pdfium.PdfiumError as exc:
            if doc.pages and all(_unloadable(pdf, j) for j in range(i + 1, n)):
                break  # the page tree holds fewer pages than its /Count says
            raise _UnreadableError(str(exc)) from exc
        try:
            with _pdfium_errors(path):
                built, shows = _page(page, i)
        finally:
            page.close()
        doc.pages.append(built)
        any_content = any_content or shows
    if not any_content:
        return None
    with _pdfium_errors(path):
        doc.attachments = _attachments(pdf)
        doc.metadata = _metadata(pdf)
    return doc


def _unloadable(pdf: Any, index: int) -> bool:
    import pypdfium2 as pdfium

    try:
        pdf[index].close()
    except pdfium.PdfiumError:
        return True
    return False


def _page(page: Any, index: int) -> tuple[Page, bool]:
    """The Page for a pypdfium2 page, and whether it shows anything."""
    import pypdfium2 as pdfium

    raw = pdfium.raw
    bx0, by0, bx1, by1 = (float(v) for v in page.get_bbox())  # the CropBox within the MediaBox, PDF space
    rotation = int(page.get_rotation()) % 360
    width, height = (float(v) for v in page.get_size())  # as displayed
    to_box = _box_transform((bx0, by0, bx1, by1), rotation)
    textpage = page.get_textpage()
    try:
        chars = list(_chars(textpage, (bx0, by0, bx1, by1)))
    finally:
        textpage.close()
    visible, hidden = _words(chars, to_box)
    share, dpi = _largest_image(page, (bx1 - bx0) * (by1 - by0))
    shows = bool(chars) or raw.FPDFPage_CountObjects(page) > 0
    return Page(
        index=index,
        width=width,
        height=height,
        rotation=rotation,
        words=visible,
        hidden_words=hidden,
        text_source=TEXT_SOURCE,
        text_layer_usable=False,
        text_layer_reason=FALLBACK_REASON,
        has_images=share >= LARGE_IMAGE_SHARE,
        image_dpi=dpi if share >= SCAN_IMAGE_SHARE else None,
    ), shows


def _box_transform(bbox: tuple[float, float, float, float], rotation: int) -> Any:
    """PDF-space rectangles (y up) → Boxes normalised to the page as displayed (/Rotate applied)."""
    bx0, _, bx1, by1 = bbox
    w, h = max(bx1 - bx0, 1e-6), max(by1 - bbox[1], 1e-6)

    def point(x: float, y: float) -> tuple[float, float]:
        u, v = x - bx0, by1 - y  # unrotated, top-left origin
        if rotation == 90:
            return (h - v) / h, u / w
        if rotation == 180:
            return (w - u) / w, (h - v) / h
        if rotation == 270:
            return v / h, (w - u) / w
        return u / w, v / h

    def to_box(r: tuple[float, float, float, float]) -> Box:
        xa, ya = point(r[0], r[1])
        xb, yb = point(r[2], r[3])
        x0, x1 = sorted((min(1.0, max(0.0, xa)), min(1.0, max(0.0, xb))))
        y0, y1 = sorted((min(1.0, max(0.0, ya)), min(1.0, max(0.0, yb))))
        return Box(x0, y0, x1, y1)

    return to_box


def _chars(textpage: Any, bbox: tuple[float, float, float, float]) -> Iterator[_Char]:
    """Each character with its loose box (the font's full height) and why it is hidden, if PDFium can say.

    Spaces and line breaks (PDFium generates them at gaps and line ends) come through with an empty box.
    """
    import pypdfium2 as pdfium

    raw = pdfium.raw
    rect = raw.FS_RECTF()
    r, g, b, a = (ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint())
    modes: dict[int | None, int] = {}
    for i in range(textpage.count_chars()):
        code = raw.FPDFText_GetUnicode(textpage, i)
        text = chr(code) if 0 <= code <= 0x10FFFF else "\ufffd"
        if text.isspace() or code == 0 or raw.FPDFText_IsGenerated(textpage, i) == 1:
            yield ("\n" if text in "\r\n" else " "), (0.0, 0.0, 0.0, 0.0), None
            continue
        if not raw.FPDFText_GetLooseCharBox(textpage, i, rect):
            continue
        box = (
            min(rect.left, rect.right),
            min(rect.bottom, rect.top),
            max(rect.left, rect.right),
            max(rect.bottom, rect.top),
        )
        obj = raw.FPDFText_GetTextObject(textpage, i)
        key = ctypes.cast(obj, ctypes.c_void_p).value
        if key not in modes:
            modes[key] = raw.FPDFTextObj_GetTextRenderMode(obj) if key else 0
        reason: str | None = None
        if modes[key] in _INVISIBLE_MODES:
            reason = "invisible render mode"
        elif raw.FPDFText_GetFillColor(textpage, i, r, g, b, a) and a.value < MIN_ALPHA:
            reason = "transparent"
        elif 0 < raw.FPDFText_GetFontSize(textpage, i) < MIN_FONT_SIZE:
            reason = "tiny"
        elif not _centre_inside(box, bbox):
            reason = "off page"
        elif _contrast_on_white(r.value, g.value, b.value) < MIN_CONTRAST and modes[key] in (0, 4):
            reason = "low contrast"  # filled only: a stroked outline shows in its stroke colour
        yield text, box, reason


def _centre_inside(box: tuple[float, float, float, float], page: tuple[float, float, float, float]) -> bool:
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return page[0] <= cx <= page[2] and page[1] <= cy <= page[3]


def _contrast_on_white(r: int, g: int, b: int) -> float:
    lum = 0.2126 * (r / 255.0) ** 2.2 + 0.7152 * (g / 255.0) ** 2.2 + 0.0722 * (b / 255.0) ** 2.2
    return float(1.05 / (lum + 0.05))


def _words(chars: list[_Char], to_box: Any) -> tuple[list[Word], list[Word]]:
    """Characters → (visible, hidden) words: split at spaces, at gaps, and where visibility changes."""
    visible: list[Word] = []
    hidden: list[Word] = []
    line = word = 0
    run: list[_Char] = []

    def flush() -> None:
        nonlocal word
        if not run:
            return
        x0 = min(c[1][0] for c in run)
        y0 = min(c[1][1] for c in run)
        x1 = max(c[1][2] for c in run)
        y1 = max(c[1][3] for c in run)
        w = Word(clean_text("".join(c[0] for c in run)), to_box((x0, y0, x1, y1)), 1.0, (0, line, word))
        (hidden if run[0][2] else visible).append(w)
        word += 1
        run.clear()

    for ch in chars:
        if ch[0] in (" ", "\n"):
            flush()
            if ch[0] == "\n" and word:
                line, word = line + 1, 0
            continue
        if run and (ch[2] != run[-1][2] or _apart(run[-1][1], ch[1])):
            flush()
        run.append(ch)
    flush()
    return visible, hidden


def _apart(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    """Whether two glyph boxes are too far apart to belong to one word, in any writing direction."""
    size = max(a[3] - a[1], b[3] - b[1], 1e-3)
    gap_x = max(0.0, b[0] - a[2], a[0] - b[2])
    gap_y = max(0.0, b[1] - a[3], a[1] - b[3])
    return max(gap_x, gap_y) > WORD_GAP * size


def _largest_image(page: Any, page_area: float) -> tuple[float, float | None]:
    """(share of the page, pixels per inch) of the largest top-level image object."""
    import pypdfium2 as pdfium

    raw = pdfium.raw
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    pw, ph = ctypes.c_uint(), ctypes.c_uint()
    best = (0.0, None)
    for i in range(min(raw.FPDFPage_CountObjects(page), MAX_OBJECTS)):
        obj = raw.FPDFPage_GetObject(page, i)
        if raw.FPDFPageObj_GetType(obj) != raw.FPDF_PAGEOBJ_IMAGE:
            continue
        if not raw.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
            continue
        area = abs((right.value - left.value) * (top.value - bottom.value))
        share = area / max(page_area, 1.0)
        if share > best[0]:
            dpi = None
            if area > 0 and raw.FPDFImageObj_GetImagePixelSize(obj, pw, ph):
                dpi = round(72.0 * (pw.value * ph.value / area) ** 0.5, 1) or None
            best = (share, dpi)
    return best


def _attachments(pdf: Any) -> list[Attachment]:
    out: list[Attachment] = []
    for i in range(pdf.count_attachments()):
        att = pdf.get_attachment(i)
        name = clean_text(att.get_name() or f"attachment-{i + 1}")
        out.append(Attachment(name=name, data=bytes(att.get_data()), mime=att.get_subtype() or None))
    return out


def _metadata(pdf: Any) -> dict[str, str]:
    meta = pdf.get_metadata_dict(skip_empty=True)
    out = {_METADATA[k]: clean_text(str(v)) for k, v in meta.items() if k in _METADATA and v}
    version = pdf.get_version()
    if version:
        out["format"] = f"PDF {version // 10}.{version % 10}"
    return out
