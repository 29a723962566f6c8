"""One PDF page → a Page: visible and hidden words, text-layer verdict, images, ruling.

Cost per page is one text page (words), one text trace (styles and paint order), one paint log (image
and path boxes) and the compact drawings list; ``get_image_info`` only when a large image is present.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from docextract.document import Box, Page, Word
from docextract.load.ruling import MAX_PATHS, extract_ruling
from docextract.load.textlayer import clean_text, judge_text_layer
from docextract.load.visibility import RawWord, classify_spans, collect_fills, split_words

LARGE_IMAGE_SHARE = 0.5  # of the page area: "has images" in the sense of "may need OCR"
SCAN_IMAGE_SHARE = 0.8  # of the page area: a full-page scan
MIN_CONTENT_PATHS = 3  # a lone background or frame rectangle is not content
_INLINE_IMAGE = re.compile(rb"(?:^|\s)BI\s")
_OCR_LAYER_REASONS = ("invisible render mode", "transparent", "covered by an image")
# TEXT_PRESERVE_LIGATURES | TEXT_PRESERVE_WHITESPACE | TEXT_MEDIABOX_CLIP, as get_text("words") uses.
_WORD_FLAGS = 1 | 2 | 64


def box_transform(page: Any) -> Callable[[tuple[float, float, float, float]], Box]:
    """Unrotated pymupdf points → a Box normalised to the page as displayed (rotation applied)."""
    m = page.rotation_matrix
    a, b, c, d, e, f = m.a, m.b, m.c, m.d, m.e, m.f
    rect = page.rect
    sx, sy = 1.0 / (rect.width or 1.0), 1.0 / (rect.height or 1.0)

    def to_box(r: tuple[float, float, float, float]) -> Box:
        x0, y0, x1, y1 = r[0], r[1], r[2], r[3]
        if b == 0.0 and c == 0.0:  # 0 or 180 degrees: no corner swap between axes
            px0, py0, px1, py1 = a * x0 + e, d * y0 + f, a * x1 + e, d * y1 + f
        else:
            px0, py0, px1, py1 = c * y0 + e, b * x0 + f, c * y1 + e, b * x1 + f
        if px0 > px1:
            px0, px1 = px1, px0
        if py0 > py1:
            py0, py1 = py1, py0
        px0, py0, px1, py1 = px0 * sx, py0 * sy, px1 * sx, py1 * sy
        if px0 < 0.0 or py0 < 0.0 or px1 > 1.0 or py1 > 1.0:
            px0, py0 = max(0.0, min(1.0, px0)), max(0.0, min(1.0, py0))
            px1, py1 = max(0.0, min(1.0, px1)), max(0.0, min(1.0, py1))
        return Box(px0, py0, px1, py1)

    return to_box


def analyse_page(page: Any, index: int) -> tuple[Page, bool]:
    """The Page for a loaded ``pymupdf.Page``, and whether the page shows anything at all.

    pymupdf errors propagate to the caller, who wraps them.
    """
    rect = page.rect  # as displayed (rotation applied)
    unrot = page.cropbox  # unrotated; words are relative to its top-left corner
    page_rect = (0.0, 0.0, float(unrot.width), float(unrot.height))
    page_area = max(1.0, page_rect[2] * page_rect[3])
    to_box = box_transform(page)

    tp = page.get_textpage(flags=_WORD_FLAGS)
    raw: list[RawWord] = [(w[0], w[1], w[2], w[3], w[4], (w[5], w[6], w[7])) for w in tp.extractWORDS()]
    # The paint log costs a second pass over the page; it is only needed to place images and shadings.
    bboxlog = page.get_bboxlog() if _may_paint_images(page) else []
    drawings = page.get_cdrawings()
    if len(drawings) > MAX_PATHS:
        drawings = []
    trace = page.get_texttrace()
    fills = collect_fills(bboxlog, drawings)
    spans = classify_spans(trace, fills, page_rect)
    visible, hidden = split_words(raw, spans)

    images = [r for kind, r in bboxlog if kind in ("fill-image", "fill-imgmask")]
    image_share = max((_clipped_area(r, page_rect) / page_area for r in images), default=0.0)
    has_large_image = image_share >= LARGE_IMAGE_SHARE
    ocr_layer_chars = sum(sum(1 for ch in s.chars if ch[0] > 32) for s in spans if s.reason in _OCR_LAYER_REASONS)
    usable, reason = judge_text_layer([w[4] for w in visible], len(hidden), ocr_layer_chars, has_large_image)

    shows_something = bool(
        trace or images or len(drawings) >= MIN_CONTENT_PATHS or any(k == "fill-shade" for k, _ in bboxlog)
    )
    return Page(
        index=index,
        width=float(rect.width),
        height=float(rect.height),
        rotation=int(page.rotation),
        words=[Word(clean_text(w[4]), to_box(w[:4]), 1.0, w[5]) for w in visible],
        hidden_words=[Word(clean_text(w[4]), to_box(w[:4]), 1.0, w[5]) for w in hidden],
        text_source="pdf" if usable else "none",
        text_layer_usable=usable,
        text_layer_reason=reason,
        has_images=has_large_image,
        image_dpi=_scan_dpi(page) if image_share >= SCAN_IMAGE_SHARE else None,
        ruling=extract_ruling(drawings, page_area, to_box),
    ), shows_something


def _may_paint_images(page: Any) -> bool:
    """Whether the page may paint an image or a shading: XObjects in its resources, or inline images."""
    if page.get_images(full=True) or page.get_xobjects():
        return True
    content = page.read_contents()
    if b"BI" in content and _INLINE_IMAGE.search(content) is not None:
        return True
    return bool(page.parent.xref_get_key(page.xref, "Resources/Shading")[0] != "null")


def _clipped_area(r: tuple[float, float, float, float], page: tuple[float, float, float, float]) -> float:
    w = min(r[2], page[2]) - max(r[0], page[0])
    h = min(r[3], page[3]) - max(r[1], page[1])
    return w * h if w > 0 and h > 0 else 0.0


def _scan_dpi(page: Any) -> float | None:
    """Pixels per inch of the largest image on the page (isotropic, so its rotation does not matter)."""
    best = (0.0, 0.0)
    for info in page.get_image_info():
        x0, y0, x1, y1 = info["bbox"]
        area = abs((x1 - x0) * (y1 - y0))
        if area > best[0]:
            best = (area, 72.0 * (info["width"] * info["height"] / area) ** 0.5)
    return round(best[1], 1) if best[1] > 0 else None
