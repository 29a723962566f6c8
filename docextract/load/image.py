"""Images through Pillow: one Page per frame (multi-page TIFF, animated WebP/GIF), no words yet.

Sizes are checked from the header before any pixel is decoded, so a decompression bomb (a small file
whose header claims 100000 x 100000 pixels) fails in milliseconds.
"""

from __future__ import annotations

import hashlib
import io
import struct
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from docextract.backend import Backend
from docextract.document import Document, Page
from docextract.errors import CorruptImageError, DocExtractError, ImageTooLargeError, TooManyPagesError
from docextract.options import ExtractOptions

MIN_DPI, MAX_DPI = 50.0, 1200.0
_PAGE_INCHES = 11.0  # unknown resolution: assume the long side is about a letter/A4 page
_EXIF_ORIENTATION = 0x0112
_SWAPS_AXES = (5, 6, 7, 8)  # EXIF orientations that turn the image by 90 degrees


@contextmanager
def image_errors(path: Path, doing: str) -> Iterator[None]:
    """Turn the many exceptions Pillow raises on bad files into typed errors naming ``path``."""
    from PIL import Image

    try:
        with warnings.catch_warnings():
            # Our own pixel limit decides; Pillow's warning would turn into an error under -W error.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            yield
    except DocExtractError:
        raise
    except Image.DecompressionBombError as exc:
        raise ImageTooLargeError(f"image is a decompression bomb: {exc}", path=path) from exc
    except MemoryError as exc:
        raise ImageTooLargeError(f"image too large to decode while {doing}", path=path) from exc
    except (OSError, ValueError, EOFError, SyntaxError, TypeError, IndexError, KeyError, struct.error) as exc:
        raise CorruptImageError(
            f"image could not be decoded while {doing}: {type(exc).__name__}: {str(exc)[:200]}",
            path=path,
            hint="the file is damaged or truncated",
        ) from exc


def frame_dpi(im: Any) -> float | None:
    """The resolution the image declares, or None when it declares none or nonsense."""
    dpi = im.info.get("dpi")
    try:
        value = float(dpi[0]) if isinstance(dpi, tuple) else float(dpi) if dpi else 0.0
    except (TypeError, ValueError):
        return None
    # PNG stores dots per metre: 200 dpi reads back as 199.9994.
    return round(value, 1) if MIN_DPI <= value <= MAX_DPI else None


def exif_orientation(im: Any) -> int:
    try:
        return int(im.getexif().get(_EXIF_ORIENTATION, 1))
    except Exception:  # a broken EXIF block must not make the image unreadable
        return 1


class ImageLoader(Backend):
    """The ``Loader`` for PNG, JPEG, TIFF, WebP, GIF and BMP."""

    name = "image"

    def load(self, path: Path, data: bytes, options: ExtractOptions) -> Document:
        """One Page per frame, sized in points from the image's resolution.

        Raises:
            ImageTooLargeError: a frame has more pixels than ``options.limits.max_image_pixels``.
            TooManyPagesError: more frames than ``options.limits.max_pages``.
            CorruptImageError: Pillow cannot decode it.
        """
        from PIL import Image

        limit = options.limits.max_image_pixels
        pages: list[Page] = []
        with image_errors(path, "opening"), Image.open(io.BytesIO(data)) as im:
            n = int(getattr(im, "n_frames", 1) or 1)
            if n > options.limits.max_pages:
                raise TooManyPagesError(
                    f"image has {n} frames, more than the limit of {options.limits.max_pages}", path=path
                )
            for i in range(n):
                im.seek(i)
                w, h = im.size
                if w <= 0 or h <= 0:
                    raise CorruptImageError(f"frame {i + 1} has no pixels ({w}x{h})", path=path)
                if w * h > limit:
                    raise ImageTooLargeError(
                        f"frame {i + 1} is {w}x{h} pixels, more than the limit of {limit}",
                        path=path,
                        hint="raise options.limits.max_image_pixels if the file is trusted",
                    )
                im.load()  # decode now: a truncated or corrupt frame fails here, not in OCR
                dpi = frame_dpi(im) or min(600.0, max(100.0, max(w, h) / _PAGE_INCHES))
                if exif_orientation(im) in _SWAPS_AXES:
                    w, h = h, w
                pages.append(
                    Page(
                        index=i,
                        width=w * 72.0 / dpi,
                        height=h * 72.0 / dpi,
                        text_source="none",
                        text_layer_usable=False,
                        text_layer_reason="image",
                        has_images=True,
                        image_dpi=round(dpi, 1),
                    )
                )
        return Document(path=path, sha256=hashlib.sha256(data).hexdigest(), kind="image", pages=pages)
