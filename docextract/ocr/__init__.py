"""OCR: turn pages without a usable text layer into words. PLACEHOLDER until the OCR work lands."""

from __future__ import annotations

from docextract.document import Document
from docextract.options import ExtractOptions
from docextract.result import Issue


def apply_ocr(doc: Document, options: ExtractOptions) -> list[Issue]:
    return [
        Issue(code="no_text_layer", message=f"page {p.index + 1} has no usable text layer ({p.text_layer_reason})",
              severity="warning", page=p.index)
        for p in doc.pages if not p.text_layer_usable
    ]
