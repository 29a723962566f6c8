"""OCR: words for pages without a usable text layer (or every page, when forced).

The pipeline calls :func:`apply_ocr` after loading and before layout. Engines implement
``docextract.protocols.OcrEngine`` and are registered by name ("tesseract", "rapidocr").
"""

from __future__ import annotations

from docextract.ocr.apply import apply_ocr, pages_to_ocr

__all__ = ["apply_ocr", "pages_to_ocr"]
