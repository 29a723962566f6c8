"""Is a page's PDF text layer worth reading, or should the page be OCR'd?

A text layer can be absent, too thin to matter over a scanned image, or garbage: fonts without a
Unicode map give U+FFFD or private-use code points, broken encodings give runs of symbols, and some
producers place every glyph on its own, so that the words are single characters.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

MIN_WORDS_OVER_IMAGE = 5
MIN_WORDS_FOR_STATS = 8
MAX_UNMAPPED_SHARE = 0.05
MIN_ALNUM_SHARE = 0.45
MAX_SINGLE_CHAR_SHARE = 0.6


# U+FFFD, private use (fonts without a Unicode map) and control characters.
_UNMAPPED = re.compile(r"[\ufffd\ue000-\uf8ff\U000f0000-\U0010ffff\x00-\x08\x0b\x0c\x0e-\x1f]")
# C0 controls other than tab, newline and carriage return, and DEL.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Letters, digits and currency signs (\w also matches "_", rare in text layers and harmless here).
_WORDISH = re.compile(r"[\w$\u00a2-\u00a5\u20a0-\u20cf]")


def garbage_reason(texts: Sequence[str]) -> str | None:
    """Why these words look like a broken text layer, or None when they look like text."""
    joined = "".join(texts)
    if not joined:
        return None
    if len(_UNMAPPED.findall(joined)) / len(joined) > MAX_UNMAPPED_SHARE:
        return "garbage: unmapped glyphs"
    if len(texts) < MIN_WORDS_FOR_STATS:
        return None
    if len(_WORDISH.findall(joined)) / len(joined) < MIN_ALNUM_SHARE:
        return "garbage: mostly symbols"
    single = sum(1 for t in texts if len(t) == 1 and t.isalpha())
    if single / len(texts) > MAX_SINGLE_CHAR_SHARE:
        return "garbage: mostly single characters"
    return None


def judge_text_layer(
    texts: Sequence[str], n_hidden: int, ocr_layer_chars: int, has_large_image: bool
) -> tuple[bool, str | None]:
    """``(usable, reason)`` for a page's visible word texts.

    Args:
        texts: the visible words.
        n_hidden: how many words were hidden.
        ocr_layer_chars: hidden characters that look like an OCR layer (invisible, or under an image).
        has_large_image: an image covers most of the page.
    """
    if has_large_image and ocr_layer_chars and ocr_layer_chars >= sum(len(t) for t in texts):
        return False, "invisible text layer over scan"
    if not texts:
        return False, "no visible text" if n_hidden else "no text"
    if has_large_image and len(texts) < MIN_WORDS_OVER_IMAGE:
        return False, "too few words over an image"
    reason = garbage_reason(texts)
    if reason:
        return False, reason
    return True, None


def clean_text(text: str) -> str:
    """``text`` safe to serialise: lone surrogates and control characters become U+FFFD.

    A ToUnicode map may send a glyph to a surrogate code point or NUL, and PDF metadata may hold broken
    UTF-16; MuPDF passes such code points through (as ``chr(0xD800)``, or surrogate-escaped bytes), and a
    lone surrogate makes the result's JSON fail to encode. U+FFFD keeps them counted as unmapped glyphs.
    """
    if text.isprintable():  # the common case, in C: no surrogates, no controls
        return text
    fixed = text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    return _CONTROL.sub("\ufffd", fixed)
