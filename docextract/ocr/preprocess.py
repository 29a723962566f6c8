"""Page-image clean-up before OCR: greyscale, contrast, small-angle deskew, quarter-turn orientation.

Pillow only (no numpy, no OpenCV): the skew search works on a downscaled binarised copy, where a
projection profile costs a few milliseconds per candidate angle.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL.Image import Image

# Width of the copy the skew is measured on: enough for text lines to show in the profile, small enough
# that ~30 candidate rotations stay cheap.
_SKEW_WIDTH = 1000
MAX_SKEW = 5.0


@dataclass(slots=True)
class Prepared:
    """A cleaned page image and how it was turned: ``rotation`` (quarter turns, clockwise degrees) was
    applied first, then ``skew`` (degrees, counter-clockwise, about the centre, size unchanged)."""

    image: Image
    rotation: int = 0
    skew: float = 0.0


def to_grey(image: Image) -> Image:
    """8-bit greyscale; transparent areas become white (a PNG with alpha would otherwise turn black)."""
    from PIL import Image as PILImage

    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        bg = PILImage.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = PILImage.alpha_composite(bg, rgba)
    return image if image.mode == "L" else image.convert("L")


def stretch_contrast(image: Image) -> Image:
    """Stretch the grey range so faded print and grey paper span black to white."""
    from PIL import ImageOps

    lo, hi = _percentiles(image, 0.005, 0.995)
    if hi - lo >= 200:  # already full range: nothing to gain
        return image
    return ImageOps.autocontrast(image, cutoff=(0.5, 0.5))


def _percentiles(image: Image, lo: float, hi: float) -> tuple[int, int]:
    hist = image.histogram()[:256]
    total = sum(hist)
    acc, out_lo, out_hi = 0, 0, 255
    for value, n in enumerate(hist):
        acc += n
        if acc <= total * lo:
            out_lo = value
        if acc < total * hi:
            out_hi = value + 1
    return out_lo, min(255, out_hi)


def _otsu(hist: list[int]) -> int:
    total = sum(hist)
    sum_all = sum(i * n for i, n in enumerate(hist))
    w_b = sum_b = 0.0
    best, best_t = -1.0, 127
    for t in range(256):
        w_b += hist[t]
        if w_b in (0, total):
            continue
        sum_b += t * hist[t]
        m_b, m_f = sum_b / w_b, (sum_all - sum_b) / (total - w_b)
        between = w_b * (total - w_b) * (m_b - m_f) ** 2
        if between > best:
            best, best_t = between, t
    return best_t


def _ink_mask(image: Image) -> Image:
    """A downscaled copy with ink white (255) on black, for profiles."""
    scale = min(1.0, _SKEW_WIDTH / image.width)
    small = image.resize((max(1, int(image.width * scale)), max(1, int(image.height * scale))), reducing_gap=2.0)
    t = _otsu(small.histogram()[:256])
    return small.point(lambda v: 255 if v <= t else 0)


def _profile_score(mask: Image, angle: float) -> float:
    """How sharply rows separate into text lines and gaps after turning by ``angle``: the summed squared
    difference of neighbouring row sums peaks when lines are horizontal."""
    from PIL import Image as PILImage

    turned = mask.rotate(angle, resample=PILImage.Resampling.NEAREST, expand=False, fillcolor=0)
    rows = turned.resize((1, turned.height), PILImage.Resampling.BOX).tobytes()
    return float(sum((rows[i + 1] - rows[i]) ** 2 for i in range(len(rows) - 1)))


def estimate_skew(image: Image, limit: float = MAX_SKEW) -> float:
    """The counter-clockwise rotation (degrees, within ±limit) that makes text lines horizontal."""
    mask = _ink_mask(image)
    if mask.getbbox() is None:
        return 0.0
    best = max((_profile_score(mask, a / 2), a / 2) for a in range(int(-2 * limit), int(2 * limit) + 1))[1]
    fine = [best + d / 10 for d in range(-5, 6) if abs(best + d / 10) <= limit]
    return max((_profile_score(mask, a), a) for a in fine)[1]


def deskew(image: Image, angle: float) -> Image:
    """Turn by ``angle`` degrees counter-clockwise about the centre, same size, white fill."""
    from PIL import Image as PILImage

    if abs(angle) < 0.05:
        return image
    return image.rotate(angle, resample=PILImage.Resampling.BICUBIC, expand=False, fillcolor=255)


def turn(image: Image, clockwise: int) -> Image:
    """Turn by a quarter-turn multiple, clockwise."""
    from PIL import Image as PILImage

    ops = {90: PILImage.Transpose.ROTATE_270, 180: PILImage.Transpose.ROTATE_180, 270: PILImage.Transpose.ROTATE_90}
    return image.transpose(ops[clockwise]) if clockwise in ops else image


def prepare(image: Image, *, contrast: bool = True, skew: bool = False, rotation: int = 0) -> Prepared:
    """Greyscale, contrast stretch and deskew a page image, after turning it by ``rotation``.

    Args:
        image: the rendered page.
        contrast: stretch a faded grey range to full black-to-white.
        skew: measure and undo a small rotation (±5°). Off by default: Tesseract copes with small skew
            itself and reads the resampled pixels worse; for engines that do not.
        rotation: clockwise quarter turn to apply first (from orientation detection).

    Returns:
        Prepared: the image to OCR and the turns that produced it.
    """
    img = turn(to_grey(image), rotation)
    if contrast:
        img = stretch_contrast(img)
    angle = estimate_skew(img) if skew else 0.0
    return Prepared(image=deskew(img, angle), rotation=rotation, skew=angle if abs(angle) >= 0.05 else 0.0)
