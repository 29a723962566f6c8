"""Page images at a requested resolution, within a pixel budget: PDFs through pypdfium2, images through Pillow.

The budget is checked before anything is rasterised: a page that would exceed ``max_pixels`` at the
requested dpi is rendered at the highest dpi that fits, and the dpi used is attached to the image.
"""

from __future__ import annotations

import hashlib
import io
import math
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from docextract.errors import CorruptDocumentError, PageTooLargeError
from docextract.load.image import exif_orientation, image_errors

if TYPE_CHECKING:
    from PIL.Image import Image

    from docextract.document import Document

MIN_RENDER_DPI = 36
_RESAMPLE_TOLERANCE = 0.2  # an image within 20% of the wanted dpi is used as it is
_CACHE_SIZE = 2
_pdf_cache: OrderedDict[tuple[str, str], Any] = OrderedDict()


def render_page(doc: Document, index: int, dpi: int, max_pixels: int) -> Image:
    """The page ``index`` of ``doc`` as an upright RGB or L image.

    Args:
        doc: a Document from ``open_document`` (kind "pdf" or "image").
        index: 0-based page index.
        dpi: the wanted resolution.
        max_pixels: the most pixels the image may have; the dpi is lowered to fit.

    Returns:
        A PIL image, rotated as the page is displayed (PDF /Rotate, EXIF orientation). ``image.info["dpi"]``
        is ``(d, d)`` and ``image.info["render_dpi"]`` is ``d``, the dpi actually used (lower than
        ``dpi`` when the pixel budget forced it, or the image's own when it was close enough).

    Raises:
        PageTooLargeError: even 36 dpi would exceed ``max_pixels``.
        CorruptDocumentError / CorruptImageError: the engine cannot render the page.
        IndexError: no page ``index``.
    """
    if not 0 <= index < len(doc.pages):
        raise IndexError(f"{doc.path}: no page {index} (document has {len(doc.pages)})")
    if doc.kind == "pdf":
        return _render_pdf(doc, index, dpi, max_pixels)
    if doc.kind == "image":
        return _render_image(doc, index, dpi, max_pixels)
    raise CorruptDocumentError(f"a document of kind {doc.kind!r} has no pages to render", path=doc.path)


def fit_dpi(width_pt: float, height_pt: float, dpi: float, max_pixels: int, *, path: Any, index: int) -> float:
    """``dpi``, or the highest dpi at which a page of this size stays within ``max_pixels``."""
    area_in = max(width_pt, 1e-6) * max(height_pt, 1e-6) / (72.0 * 72.0)
    if area_in * dpi * dpi <= max_pixels:
        return dpi
    fitted = math.floor(math.sqrt(max_pixels / area_in))
    if fitted < MIN_RENDER_DPI:
        raise PageTooLargeError(
            f"page {index + 1} ({width_pt:.0f} x {height_pt:.0f} pt) exceeds {max_pixels} pixels even at "
            f"{MIN_RENDER_DPI} dpi",
            path=path,
            hint="raise options.ocr.max_pixels if the file is trusted",
        )
    return float(fitted)


def close_cached() -> None:
    """Close the pdfium documents kept open for rendering."""
    while _pdf_cache:
        _, pdf = _pdf_cache.popitem()
        pdf.close()


def _open_pdfium(doc: Document) -> Any:
    import pypdfium2 as pdfium

    key = (str(doc.path), doc.sha256)
    pdf = _pdf_cache.get(key)
    if pdf is not None:
        _pdf_cache.move_to_end(key)
        return pdf
    try:
        data = doc.path.read_bytes()
    except OSError as exc:
        raise CorruptDocumentError("file can no longer be read for rendering", path=doc.path) from exc
    if hashlib.sha256(data).hexdigest() != doc.sha256:
        raise CorruptDocumentError("file changed since it was opened; open it again", path=doc.path)
    try:
        pdf = pdfium.PdfDocument(data, password=doc.password)
    except pdfium.PdfiumError as exc:
        raise CorruptDocumentError(f"PDFium cannot open the file: {exc}", path=doc.path) from exc
    _pdf_cache[key] = pdf
    while len(_pdf_cache) > _CACHE_SIZE:
        _pdf_cache.popitem(last=False)[1].close()
    return pdf


def _render_pdf(doc: Document, index: int, dpi: int, max_pixels: int) -> Image:
    """PDFium first; MuPDF when PDFium cannot open the file or load the page (it repairs more damage).

    Most "pdf" Documents were read by MuPDF (``load.pdf``), so MuPDF can try; measured on 3000 fuzzed
    PDFs, 22 of the 23 that PDFium refused after MuPDF had read them rendered with MuPDF. Pages read by
    PDFium (``load.fallback``, text source "pdf:pdfium") render through PDFium, which read them.
    """
    try:
        return _render_pdfium(doc, index, dpi, max_pixels)
    except PageTooLargeError:
        raise
    except CorruptDocumentError:
        image = _render_mupdf(doc, index, dpi, max_pixels)
        if image is None:
            raise
        return image


def _render_mupdf(doc: Document, index: int, dpi: int, max_pixels: int) -> Image | None:
    """The page rendered by MuPDF, or None when MuPDF cannot render it either."""
    import importlib

    from PIL import Image as PILImage

    pymupdf: Any = importlib.import_module("pymupdf")  # as Any: its partial hints make every call untyped

    try:
        data = doc.path.read_bytes()
    except OSError:
        return None
    if hashlib.sha256(data).hexdigest() != doc.sha256:
        return None
    try:
        with pymupdf.open(stream=data, filetype="pdf") as mu:
            if mu.needs_pass and not mu.authenticate(doc.password or ""):
                return None
            page = mu.load_page(index)
            rect = page.rect
            used = fit_dpi(rect.width, rect.height, dpi, max_pixels, path=doc.path, index=index)
            pix = page.get_pixmap(matrix=pymupdf.Matrix(used / 72.0, used / 72.0), alpha=False)
            mode = "L" if pix.n == 1 else "RGB"
            image = PILImage.frombytes(mode, (pix.width, pix.height), pix.samples)
    except PageTooLargeError:
        raise
    except MemoryError as exc:
        raise PageTooLargeError(f"page {index + 1} is too large to render", path=doc.path) from exc
    except Exception:  # MuPDF's many error types: the PDFium error is the one reported
        return None
    return _tag(image, used)


def _render_pdfium(doc: Document, index: int, dpi: int, max_pixels: int) -> Image:
    import pypdfium2 as pdfium

    pdf = _open_pdfium(doc)
    try:
        page = pdf[index]
        try:
            # PDFium's size is the displayed one (rotation and UserUnit applied), what it will rasterise.
            w, h = page.get_size()
            used = fit_dpi(w, h, dpi, max_pixels, path=doc.path, index=index)
            image = page.render(scale=used / 72.0, may_draw_forms=True).to_pil()
        finally:
            page.close()
    except (pdfium.PdfiumError, ValueError) as exc:
        raise CorruptDocumentError(f"PDFium cannot render page {index + 1}: {exc}", path=doc.path) from exc
    except MemoryError as exc:
        raise PageTooLargeError(f"page {index + 1} is too large to render", path=doc.path) from exc
    if image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    return _tag(image, used)


def _render_image(doc: Document, index: int, dpi: int, max_pixels: int) -> Image:
    from PIL import Image as PILImage
    from PIL import ImageOps

    page = doc.pages[index]
    native = page.image_dpi or 72.0
    with image_errors(doc.path, f"rendering frame {index + 1}"):
        data = doc.path.read_bytes()
        if hashlib.sha256(data).hexdigest() != doc.sha256:
            raise CorruptDocumentError("file changed since it was opened; open it again", path=doc.path)
        with PILImage.open(io.BytesIO(data)) as im:
            im.seek(index)
            want = float(dpi) if abs(dpi - native) > _RESAMPLE_TOLERANCE * native else native
            used = fit_dpi(page.width, page.height, want, max_pixels, path=doc.path, index=index)
            scale = used / native
            orientation = exif_orientation(im)
            if scale < 1.0:
                im.draft("RGB" if im.mode not in ("L", "1") else "L", (int(im.width * scale), int(im.height * scale)))
            im.load()
            frame = im.copy()
        if orientation != 1:
            frame = ImageOps.exif_transpose(frame)
        frame = _to_rgb_or_l(frame)
        if abs(scale - 1.0) > 1e-3:
            size = (max(1, round(page.width * used / 72.0)), max(1, round(page.height * used / 72.0)))
            method = PILImage.Resampling.LANCZOS if scale < 1.0 else PILImage.Resampling.BICUBIC
            frame = frame.resize(size, method)
    return _tag(frame, used)


def _to_rgb_or_l(im: Image) -> Image:
    if im.mode in ("RGB", "L"):
        return im
    if im.mode in ("1", "I", "I;16", "F") or im.mode.startswith("I;"):
        return im.convert("L")
    if "A" in im.mode or (im.mode == "P" and "transparency" in im.info):
        # Transparent pixels over white paper, not black.
        from PIL import Image as PILImage

        rgba = im.convert("RGBA")
        paper = PILImage.new("RGB", rgba.size, (255, 255, 255))
        paper.paste(rgba, mask=rgba.getchannel("A"))
        return paper
    return im.convert("RGB")


def _tag(image: Image, used: float) -> Image:
    d = round(used)
    image.info["dpi"] = (d, d)
    image.info["render_dpi"] = d
    return image


__all__ = ["close_cached", "fit_dpi", "render_page"]
