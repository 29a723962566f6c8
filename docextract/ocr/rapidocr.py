"""RapidOCR (rapidocr-onnxruntime): PP-OCR detection and recognition on ONNX Runtime, models in the wheel.

Limits, measured: the bundled recogniser (``ch_PP-OCRv4_rec``, Chinese + English) has no Latin-1
accents, so it drops words with ä, ö, ü, ß, é, ç, ñ ...; it often drops the spaces between words; and it
is 4-6x slower than Tesseract on CPU. It is therefore offered for English (and Chinese) only, and never
chosen by default: asking it for another language is refused with a clear error.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal

from pydantic import Field

from docextract.backend import BackendOptions, OcrBackend, Runtime
from docextract.document import Box, Word
from docextract.errors import BackendError, BackendUnavailableError

if TYPE_CHECKING:
    from PIL.Image import Image

# What the bundled ch_PP-OCRv4 recogniser reads (Tesseract codes, as in OcrOptions.langs).
SUPPORTED_LANGS = frozenset({"eng", "chi_sim"})
_HINT = 'pip install "docextract[ocr]" (rapidocr-onnxruntime)'


@cache
def _has_rapidocr() -> bool:
    try:
        import rapidocr_onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


class RapidOcrOptions(BackendOptions):
    """RapidOCR's own options (``--set rapidocr.threads=2``)."""

    kind: Literal["rapidocr"] = "rapidocr"
    threads: Annotated[int, Field(ge=1, description="ONNX Runtime threads per engine (pages run in parallel)")] = 1


class RapidOcrEngine(OcrBackend):
    """PP-OCR through rapidocr-onnxruntime, for English (and Chinese) scans; see ``RapidOcrOptions``."""

    name = "rapidocr"
    Options = RapidOcrOptions
    install_hint: ClassVar[str | None] = _HINT
    # Asked explicitly for a language it cannot read, it refuses rather than return words missing letters.
    strict_langs: ClassVar[bool] = True
    lang_hint: ClassVar[str | None] = "use --ocr tesseract for languages other than English, or --lang eng"

    def __init__(self, options: RapidOcrOptions | None = None, runtime: Runtime | None = None) -> None:
        super().__init__(options, runtime)
        self.threads = (options or RapidOcrOptions()).threads
        self._local = threading.local()

    def available(self) -> str | None:
        """None when rapidocr-onnxruntime is importable; otherwise how to install it."""
        return None if _has_rapidocr() else f"rapidocr-onnxruntime is not installed: {_HINT}"

    def version(self) -> str:
        """Package version (its models are fixed per version)."""
        from importlib.metadata import PackageNotFoundError
        from importlib.metadata import version as pkg_version

        try:
            return f"rapidocr-onnxruntime {pkg_version('rapidocr-onnxruntime')}"
        except PackageNotFoundError:
            return "rapidocr-onnxruntime unknown"

    def usable_langs(self, langs: Sequence[str]) -> tuple[list[str], list[str]]:
        """``langs`` split into (readable by the bundled model, not readable)."""
        return [x for x in langs if x in SUPPORTED_LANGS], [x for x in langs if x not in SUPPORTED_LANGS]

    def _engine(self) -> Any:
        eng = getattr(self._local, "engine", None)
        if eng is None:
            from rapidocr_onnxruntime import RapidOCR

            eng = RapidOCR(intra_op_num_threads=self.threads, inter_op_num_threads=1)
            self._local.engine = eng
        return eng

    def recognize(self, images: Sequence[Image], langs: Sequence[str]) -> list[list[Word]]:
        """Words per image: RapidOCR's lines split at spaces, each word boxed by its characters' boxes.

        Raises:
            BackendUnavailableError: rapidocr-onnxruntime is not installed, or a language it cannot read
                was asked for (use the tesseract engine for it).
            BackendError: RapidOCR failed on an image.
        """
        missing = self.available()
        if missing:
            raise BackendUnavailableError(missing, hint=_HINT)
        bad = self.usable_langs(langs)[1]
        if bad:
            raise BackendUnavailableError(
                f"rapidocr's bundled model cannot read {'+'.join(bad)} (it drops accented letters such as "
                "ä, ö, ü, ß, é)", hint=self.lang_hint,
            )
        import numpy as np

        out = []
        for image in images:
            rgb = np.asarray(image.convert("RGB"))
            try:
                result, _ = self._engine()(rgb, return_word_box=True)
            except Exception as exc:  # onnxruntime and OpenCV raise their own untyped errors
                raise BackendError(f"rapidocr failed on a page image: {exc}") from exc
            out.append(lines_to_words(result or [], image.width, image.height))
        return out


def lines_to_words(lines: Sequence[Sequence[Any]], width: int, height: int) -> list[Word]:
    """RapidOCR lines ``[quad, text, score, char_quads?, chars?, char_scores?]`` → words with normalised boxes.

    With per-character boxes the line is cut at spaces; without them the line box is shared out in
    proportion to the characters of each word.
    """
    words: list[Word] = []
    for line_no, line in enumerate(lines, start=1):
        quad, text, score = line[0], str(line[1]), float(line[2])
        chars: list[str] = list(line[4]) if len(line) > 5 else []
        if len(line) > 5 and len(line[3]) == len(chars):
            quads, scores = list(line[3]), [float(s) for s in line[5]]
        else:
            chars, quads, scores = list(text), _split_quad(quad, len(text)), [score] * len(text)
        current: list[int] = []
        wno = 0
        for i, ch in enumerate([*chars, " "]):
            if ch.strip():
                current.append(i)
                continue
            if current:
                wno += 1
                xs = [p[0] for j in current for p in quads[j]]
                ys = [p[1] for j in current for p in quads[j]]
                box = Box(max(0.0, min(xs) / width), max(0.0, min(ys) / height),
                          min(1.0, max(xs) / width), min(1.0, max(ys) / height))
                conf = min(score, sum(scores[j] for j in current) / len(current))
                words.append(Word("".join(chars[j] for j in current), box, max(0.0, min(1.0, conf)),
                                  (1, line_no, wno)))
                current = []
    return words


def _split_quad(quad: Sequence[Sequence[float]], n: int) -> list[list[list[float]]]:
    xs, ys = [p[0] for p in quad], [p[1] for p in quad]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    step = (x1 - x0) / max(1, n)
    return [[[x0 + i * step, y0], [x0 + (i + 1) * step, y1]] for i in range(n)]
