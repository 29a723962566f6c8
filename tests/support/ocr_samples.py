"""Scanned-document samples for the OCR tests: a small invoice written with pymupdf, rendered with
pypdfium2, and damaged the way scanners and phone cameras damage pages."""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageEnhance, ImageFilter

INVOICE_LINES = [
    ("ACME Tools GmbH", 16),
    ("Hauptstrasse 12, 10115 Berlin", 11),
    ("", 11),
    ("INVOICE", 20),
    ("Invoice number: INV-2024-0042", 12),
    ("Invoice date: 15.03.2024", 12),
    ("Customer: Northwind Traders Ltd", 12),
    ("", 11),
    ("Description          Qty    Price     Amount", 11),
    ("Hammer steel         2      12.50     25.00", 11),
    ("Screwdriver set      1      39.90     39.90", 11),
    ("", 11),
    ("Net total:  64.90 EUR", 12),
    ("VAT 19%:  12.33 EUR", 12),
    ("Total:  77.23 EUR", 14),
]
KEY_VALUES = ("INV-2024-0042", "15.03.2024", "77.23", "Northwind")
# A5: small enough to keep OCR in the tests fast, large enough for a realistic layout.
PAGE_W, PAGE_H = 420, 595


def invoice_pdf(lines: list[tuple[str, int]] | None = None) -> bytes:
    """A one-page born-digital invoice (Helvetica text layer)."""
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page(width=PAGE_W, height=PAGE_H)
    y = 50.0
    for text, size in lines or INVOICE_LINES:
        if text:
            page.insert_text((36, y), text, fontsize=size, fontname="helv")
        y += size * 1.7
    return bytes(doc.tobytes())


def render_pdf(data: bytes, dpi: int, page: int = 0) -> Image.Image:
    """Page ``page`` of a PDF as a greyscale image at ``dpi``."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        return pdf[page].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    finally:
        pdf.close()


@dataclass(frozen=True)
class Damage:
    """How a page is spoiled: quarter turn and small tilt (degrees, counter-clockwise), speckle noise
    (fraction of pixels), blur radius, JPEG quality, and contrast factor (1 = unchanged)."""

    turn: int = 0
    tilt: float = 0.0
    noise: float = 0.0
    blur: float = 0.0
    jpeg: int | None = None
    contrast: float = 1.0


def damage(image: Image.Image, d: Damage, seed: int = 7) -> Image.Image:
    """``image`` spoiled as ``d`` says (deterministic for a seed)."""
    img = image.convert("L")
    if d.contrast != 1.0:
        # Faded print on grey paper: squeeze the range towards a light grey.
        img = ImageEnhance.Contrast(img).enhance(d.contrast)
        img = img.point(lambda v: min(255, int(v * 0.8 + 40)))
    if d.tilt:
        img = img.rotate(d.tilt, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    if d.blur:
        img = img.filter(ImageFilter.GaussianBlur(d.blur))
    if d.noise:
        rng = random.Random(seed)
        px = img.load()
        assert px is not None
        w, h = img.size
        for _ in range(int(w * h * d.noise)):
            x, y = rng.randrange(w), rng.randrange(h)
            px[x, y] = 0 if rng.random() < 0.5 else 255
    if d.turn:
        img = img.rotate(d.turn, expand=True)
    if d.jpeg is not None:
        buf = io.BytesIO()
        img.save(buf, format="JPEG", quality=d.jpeg)
        img = Image.open(io.BytesIO(buf.getvalue())).convert("L")
    return img


def save_image(img: Image.Image, path: Path, dpi: int) -> Path:
    """Save as the suffix says (PNG, JPEG, TIFF), recording ``dpi``."""
    img.save(path, dpi=(dpi, dpi))
    return path


def image_pdf(
    images: list[tuple[Image.Image, int]], text_pages: dict[int, list[tuple[str, int]]] | None = None
) -> bytes:
    """A PDF whose pages are the given (image, dpi) scans, except pages listed in ``text_pages``, which get a
    born-digital text layer instead."""
    import pymupdf

    doc = pymupdf.open()
    text_pages = text_pages or {}
    for i, (img, dpi) in enumerate(images):
        if i in text_pages:
            page = doc.new_page(width=PAGE_W, height=PAGE_H)
            y = 50.0
            for text, size in text_pages[i]:
                if text:
                    page.insert_text((36, y), text, fontsize=size, fontname="helv")
                y += size * 1.7
            continue
        w, h = img.width * 72 / dpi, img.height * 72 / dpi
        page = doc.new_page(width=w, height=h)
        buf = io.BytesIO()
        img.save(buf, format="PNG")
        page.insert_image(page.rect, stream=buf.getvalue())
    return bytes(doc.tobytes())


def ocr_text(words: list[object]) -> str:
    """All word texts joined by spaces."""
    return " ".join(getattr(w, "text", "") for w in words)
