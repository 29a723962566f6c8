"""A second, independent reading of the doubtful lines of a page, to confirm or doubt their words.

A word's OCR confidence alone is a weak witness on thermal receipts and noisy scans: Tesseract reads
"9.60" at 0.97 where the paper says "9.00", and reads a right "HOME" at 0.74. So the lines that hold a
doubtful word are cropped, enlarged and read again as a single text line (page segmentation mode 7: no
page layout, a different scale, so a different path through the recogniser). Then, word by word:

- both readings agree: the word keeps the better of the two confidences (a confirmation);
- they disagree: a third reading, at another scale, breaks the tie. If it agrees with the first, the
  word is confirmed; otherwise it is marked doubtful (confidence at most ``DISAGREE_CONFIDENCE``), and
  its text is replaced by the second reading's when that one is the more confident or the third agrees
  with it;
- the second reading has nothing there: the word is left as it was.

Measured on the dev receipts, each re-read line costs 30-50 ms (three languages); the number of lines
per page is capped (``MAX_LINES``): a page then costs about 0.45 of a first reading more.

Not wired into :func:`docextract.ocr.pageocr.ocr_image` yet: on the dev set it demoted more right words
than it caught wrong ones (scanned invoices: accepted fields 145 -> 133, one wrong line total accepted
after a replaced text; receipts: +1 name confirmed, one wrong address demoted from 0.74). It is a
building block to call where a second opinion is wanted, not a default.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from docextract.document import Box, Word
from docextract.errors import BackendError

if TYPE_CHECKING:
    from PIL.Image import Image

# A line is re-read when one of its words is below this confidence.
DOUBTFUL = 0.85
# Lines whose best word is below this are noise (logos, barcodes, stamps): a second look rarely helps.
HOPELESS = 0.30
# At most this many lines per page are re-read: the most legible doubtful lines first.
MAX_LINES = 8
# A word the two readings disagree on is held at this confidence or lower: as good as unread.
DISAGREE_CONFIDENCE = 0.5
# Crops are enlarged until the line is about this many pixels high (at most 2x): small print reads
# better enlarged, and larger crops cost more than they gain.
TARGET_LINE_PX = 40


@dataclass(slots=True)
class _Group:
    first: list[int]  # indices into the page's words
    second: list[Word]


def doubtful_lines(words: Sequence[Word], limit: int | None = None) -> list[list[int]]:
    """The lines (word indices, in the engine's line order) worth a second reading: a word below
    ``DOUBTFUL``, at least one word above ``HOPELESS``. Lines with the fewest doubtful words come first
    (there a confirmation can make the whole line sure), then the most legible; at most ``limit``."""
    lines: dict[tuple[int, int], list[int]] = {}
    for i, w in enumerate(words):
        lines.setdefault((w.order[0], w.order[1]), []).append(i)
    chosen: list[tuple[tuple[int, float], list[int]]] = []
    for idx in lines.values():
        confs = [words[i].confidence for i in idx]
        doubtful = sum(c < DOUBTFUL for c in confs)
        if doubtful and max(confs) >= HOPELESS:
            chosen.append(((doubtful, -sum(confs) / len(confs)), idx))
    chosen.sort(key=lambda t: t[0])
    return [idx for _, idx in chosen[: MAX_LINES if limit is None else limit]]


def reread(engine: Any, image: Image, words: list[Word], langs: Sequence[str]) -> list[Word]:
    """``words`` of ``image`` with the doubtful lines read a second time (see the module docstring).

    Args:
        engine: an OCR engine with ``recognize_line(image, langs) -> list[Word]``; others are left alone.
        image: the page image the words were read from (boxes normalised to it).
        words: the first reading.
        langs: the languages of the first reading.

    Returns:
        A new list of words, same order and boxes; texts and confidences adjusted.
    """
    read_line = getattr(engine, "recognize_line", None)
    if read_line is None or not words:
        return list(words)
    out = list(words)
    for idx in doubtful_lines(words):
        box = Box.enclosing(words[i].box for i in idx)
        scale = min(2.0, max(1.0, TARGET_LINE_PX / max(1.0, box.height * image.size[1])))
        second = _verdicts(idx, words, _read(read_line, image, box, scale, langs))
        if any(not v.agree for v in second.values()):
            # The readings differ somewhere: a third, at another scale, breaks the tie.
            third = _verdicts(idx, words, _read(read_line, image, box, 1.0 if scale > 1.4 else 2.0, langs))
        else:
            third = {}
        for i, v in second.items():
            out[i] = _judge(words[i], v, third.get(i))
    return out


@dataclass(slots=True)
class _Verdict:
    agree: bool
    text: str | None  # the other reading's text, when it splits the ink into the same single word
    confidence: float


def _read(read_line: Any, image: Image, box: Box, scale: float, langs: Sequence[str]) -> list[Word]:
    """The words of one line, read from a crop of ``image`` enlarged ``scale`` times; boxes on the page."""
    from PIL import Image as PILImage

    width, height = image.size
    pad = 0.35 * box.height * height
    x0, y0 = max(0, int(box.x0 * width - pad)), max(0, int(box.y0 * height - pad))
    x1, y1 = min(width, int(box.x1 * width + pad) + 1), min(height, int(box.y1 * height + pad) + 1)
    if x1 - x0 < 4 or y1 - y0 < 4:
        return []
    crop = image.crop((x0, y0, x1, y1))
    if scale > 1.0:
        crop = crop.resize((round(crop.width * scale), round(crop.height * scale)), PILImage.Resampling.LANCZOS)
    try:
        found = read_line(crop, langs)
    except BackendError:
        return []  # no second opinion on this line: the first reading stands
    return [_to_page(w, (x0, y0, x1, y1), (width, height)) for w in found]


def _verdicts(idx: list[int], words: Sequence[Word], other: list[Word]) -> dict[int, _Verdict]:
    """For each first-reading word that the other reading also covers: whether they agree."""
    out = {}
    for g in _align(idx, words, other):
        if not g.second:
            continue
        seconds = sorted(g.second, key=lambda s: s.box.x0)
        t1 = "".join(words[i].text for i in g.first)
        t2 = "".join(s.text for s in seconds)
        c2 = min(s.confidence for s in seconds)
        single = seconds[0].text if len(g.first) == 1 and len(seconds) == 1 else None
        for i in g.first:
            out[i] = _Verdict(t1 == t2, single, c2)
    return out


def _to_page(w: Word, crop: tuple[int, int, int, int], size: tuple[int, int]) -> Word:
    x0, y0, x1, y1 = crop
    cw, ch = x1 - x0, y1 - y0
    b = w.box
    box = Box((x0 + b.x0 * cw) / size[0], (y0 + b.y0 * ch) / size[1], (x0 + b.x1 * cw) / size[0],
              (y0 + b.y1 * ch) / size[1])
    return Word(w.text, box, w.confidence, w.order)


def _align(idx: list[int], words: Sequence[Word], second: list[Word]) -> list[_Group]:
    """Words of the two readings grouped by horizontal overlap: a group is one stretch of ink that one
    reading may have split into more words than the other."""
    groups: list[_Group] = []
    for i in sorted(idx, key=lambda i: words[i].box.x0):
        w = words[i]
        mates = [s for s in second if _overlaps(w.box, s.box)]
        for g in groups:
            if any(m is s for m in mates for s in g.second) or any(_overlaps(words[j].box, w.box) for j in g.first):
                g.first.append(i)
                g.second.extend(m for m in mates if not any(m is s for s in g.second))
                break
        else:
            groups.append(_Group([i], mates))
    # A second-reading word claimed by two groups joins them: they are one stretch of ink.
    merged: list[_Group] = []
    for g in groups:
        if merged and any(s is t for s in g.second for t in merged[-1].second):
            merged[-1].first.extend(g.first)
            merged[-1].second.extend(s for s in g.second if not any(s is t for t in merged[-1].second))
        else:
            merged.append(g)
    return merged


def _overlaps(a: Box, b: Box) -> bool:
    inter = min(a.x1, b.x1) - max(a.x0, b.x0)
    return inter > 0.5 * min(a.width, b.width)


def _judge(w: Word, second: _Verdict, third: _Verdict | None) -> Word:
    """The word after its second (and, when that disagreed, third) reading."""
    if second.agree:
        return Word(w.text, w.box, max(w.confidence, second.confidence), w.order)
    if third is not None and third.agree:
        # Two readings of three agree with the first: the odd one out was the misread.
        return Word(w.text, w.box, max(w.confidence, third.confidence), w.order)
    text = w.text
    if second.text is not None and (
        (third is not None and third.text == second.text) or second.confidence > w.confidence
    ):
        text = second.text
    return Word(text, w.box, min(w.confidence, second.confidence, DISAGREE_CONFIDENCE), w.order)


__all__ = ["DISAGREE_CONFIDENCE", "DOUBTFUL", "MAX_LINES", "doubtful_lines", "reread"]
