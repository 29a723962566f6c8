"""One page image → words: clean-up, OCR, and a second try the right way up when the first reads badly.

Orientation is checked only when the first reading is weak: Tesseract's orientation detection costs
about 0.35 s a page, and an upright page (nearly all of them) reads with a mean word confidence near
0.9, while a page on its side or upside down reads near 0.45. So upright pages pay nothing for it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from docextract.document import Box, Word
from docextract.ocr import preprocess

if TYPE_CHECKING:
    from PIL.Image import Image

    from docextract.protocols import OcrEngine

# Below this mean word confidence a page is checked for a quarter-turn.
WEAK_MEAN_CONFIDENCE = 0.70
# Tesseract's OSD confidence under which its answer is not trusted (its own tools use 2.0 or so).
MIN_OSD_CONFIDENCE = 1.5
# Tilts smaller than this (degrees) are left alone: lines stay together in layout anyway.
MIN_STRAIGHTEN = 0.3
# Bump when the clean-up changes what it produces: it is part of the cache key.
PREPROCESS_VERSION = 2


@dataclass(slots=True)
class PageOcr:
    """Words of one page image and how the image was turned to read them.

    ``rotation`` is clockwise degrees: a quarter turn (0/90/180/270) less the deskew angle; the word boxes
    are normalised to the turned image, which is ``turned_size`` pixels.
    """

    words: list[Word] = field(default_factory=list)
    rotation: float = 0.0
    quarter_turn: int = 0
    turned_size: tuple[int, int] = (0, 0)

    @property
    def mean_confidence(self) -> float:
        return mean_confidence(self.words)


def mean_confidence(words: Sequence[Word]) -> float:
    """Mean word confidence, weighted by word length (a page of one-letter noise should not look sure)."""
    total = sum(len(w.text) for w in words)
    return sum(w.confidence * len(w.text) for w in words) / total if total else 0.0


def _quality(words: Sequence[Word]) -> float:
    # Characters read with some confidence: more text read well wins.
    return sum(len(w.text) * w.confidence for w in words if w.confidence >= 0.6)


def ocr_image(engine: OcrEngine, image: Image, langs: Sequence[str], *, clean: bool = True) -> PageOcr:
    """OCR one page image; see ``ocr_images``."""
    return ocr_images(engine, [image], langs, clean=clean)[0]


def ocr_images(engine: OcrEngine, images: Sequence[Image], langs: Sequence[str], *, clean: bool = True
               ) -> list[PageOcr]:
    """OCR page images in one call to the engine (a model reads a batch at the cost of about one image).

    Args:
        engine: the OCR engine.
        images: the rendered pages (any mode).
        langs: languages for the engine (already filtered to the installed ones).
        clean: contrast stretch and the orientation retry; when False the image is only made greyscale.
            The pixels are not deskewed: Tesseract reads small skew itself, and rotating the pixels first
            measured worse (word recall 0.887 vs 0.890 on the dev scans; fewer key values on tilted, noisy
            synthetic scans). Instead the skew is measured and the word boxes are straightened, so that
            layout finds the lines of a tilted page.

    Returns:
        One PageOcr per image, words normalised to the turned image.
    """
    preps = [preprocess.prepare(image, contrast=clean) for image in images]
    found = engine.recognize([p.image for p in preps], langs)
    return [_settle(engine, image, prep, words, langs, clean)
            for image, prep, words in zip(images, preps, found, strict=True)]


def _settle(engine: OcrEngine, image: Image, prep: preprocess.Prepared, words: list[Word], langs: Sequence[str],
            clean: bool) -> PageOcr:
    """A page's first reading → the better of it and a reading the right way up, straightened."""
    best = (prep, words)
    if clean and mean_confidence(words) < WEAK_MEAN_CONFIDENCE:
        osd = engine.detect_orientation(prep.image)
        if osd is not None and osd[0] != 0 and osd[1] >= MIN_OSD_CONFIDENCE:
            prep2 = preprocess.prepare(image, contrast=clean, rotation=osd[0])
            words2 = engine.recognize([prep2.image], langs)[0]
            if _quality(words2) > _quality(words):
                best = (prep2, words2)
    prep, words = best
    skew = preprocess.estimate_skew(prep.image) if clean and words else 0.0
    if abs(skew) >= MIN_STRAIGHTEN:
        words = straighten(words, skew, prep.image.size)
    return PageOcr(words=words, rotation=prep.rotation - skew if abs(skew) >= MIN_STRAIGHTEN else prep.rotation,
                   quarter_turn=prep.rotation, turned_size=prep.image.size)


def straighten(words: Sequence[Word], angle: float, size: tuple[int, int]) -> list[Word]:
    """Move each word's box as if the page had been turned ``angle`` degrees counter-clockwise about its
    centre (boxes keep their size), so that words of one tilted line share a baseline for layout."""
    w, h = size
    rad = math.radians(angle)
    cos, sin = math.cos(rad), math.sin(rad)
    out = []
    for word in words:
        b = word.box
        dx, dy = (b.cx - 0.5) * w, (b.cy - 0.5) * h
        cx, cy = (w / 2 + dx * cos + dy * sin) / w, (h / 2 - dx * sin + dy * cos) / h
        hw, hh = b.width / 2, b.height / 2
        box = Box(max(0.0, cx - hw), max(0.0, cy - hh), min(1.0, cx + hw), min(1.0, cy + hh))
        out.append(Word(word.text, box, word.confidence, word.order))
    return out
