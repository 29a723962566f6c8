"""mypy's check that every built-in backend keeps its contract (``protocols.py``); imported by nothing.

A built-in that drifts from its protocol (a missing hook, a changed signature) fails ``mypy`` here,
not at run time in a user's pipeline.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # mypy checks every built-in against its protocol here; nothing is imported at run time.
    from docextract.layout.heuristic import HeuristicLayout
    from docextract.load.image import ImageLoader
    from docextract.load.pdf import PdfLoader
    from docextract.load.xmlfile import XmlLoader
    from docextract.ocr.rapidocr import RapidOcrEngine
    from docextract.ocr.tesseract import TesseractEngine
    from docextract.protocols import LayoutModel, Loader, OcrEngine, Tier
    from docextract.tiers.einvoice.tier import EInvoiceTier
    from docextract.tiers.rules.tier import RulesTier

    _LOADERS: tuple[type[Loader], ...] = (PdfLoader, ImageLoader, XmlLoader)
    _OCR: tuple[type[OcrEngine], ...] = (TesseractEngine, RapidOcrEngine)
    _LAYOUT: tuple[type[LayoutModel], ...] = (HeuristicLayout,)
    _TIERS: tuple[type[Tier], ...] = (EInvoiceTier, RulesTier)
