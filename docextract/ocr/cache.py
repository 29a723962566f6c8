"""On-disk OCR cache: one JSON file per page image and OCR configuration.

The key covers everything that changes the words: the hash of the page image as rendered, the engine,
its version, the languages and the settings (psm, clean-up, dpi). Entries are written to a temporary
file and renamed into place, so two processes writing the same entry at once each leave a complete
file, and a reader never sees half of one. An entry that cannot be read is ignored and rewritten.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docextract.document import Box, Word

if TYPE_CHECKING:
    from PIL.Image import Image

FORMAT = 1


def default_dir() -> Path:
    """``<user cache dir>/docextract/ocr`` (platformdirs)."""
    import platformdirs

    return Path(platformdirs.user_cache_dir("docextract")) / "ocr"


def image_digest(image: Image) -> str:
    """sha256 of the pixels, mode and size: the same page rendered the same way gives the same digest."""
    h = hashlib.sha256(f"{image.mode}:{image.width}x{image.height}:".encode())
    h.update(image.tobytes())
    return h.hexdigest()


def cache_key(digest: str, settings: Mapping[str, Any]) -> str:
    """The entry name for an image digest and the OCR settings that produced its words."""
    blob = json.dumps({"image": digest, "format": FORMAT, **settings}, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


class OcrCache:
    """OCR results on disk, keyed by :func:`cache_key`.

    Args:
        directory: where entries live; default :func:`default_dir`.
    """

    def __init__(self, directory: str | Path | None = None) -> None:
        self.directory = Path(directory) if directory is not None else default_dir()

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        """The stored entry (``words`` plus whatever was stored with them), or None on a miss or a bad entry."""
        try:
            raw = json.loads(self._path(key).read_text(encoding="utf-8"))
            if not isinstance(raw, dict) or raw.get("format") != FORMAT or raw.get("key") != key:
                return None
            raw["words"] = [_word_from(w) for w in raw["words"]]
        except (OSError, ValueError, TypeError, KeyError, IndexError):
            # Missing, truncated, edited or from another version: a miss; the caller writes it again.
            return None
        return raw

    def put(self, key: str, words: list[Word], **extra: Any) -> None:
        """Store ``words`` (and JSON-able ``extra``) under ``key``; a failure to write is not an error."""
        path = self._path(key)
        entry = {"format": FORMAT, "key": key, **extra, "words": [_word_to(w) for w in words]}
        data = json.dumps(entry, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        tmp = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")  # mode 0600
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
            tmp = None
        except OSError:
            # A read-only or full cache directory costs speed, never a result.
            pass
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)


def _word_to(w: Word) -> list[Any]:
    return [w.text, [round(v, 6) for v in w.box], round(w.confidence, 4), list(w.order)]


def _word_from(raw: list[Any]) -> Word:
    text, box, conf, order = raw
    if not isinstance(text, str) or len(box) != 4 or len(order) != 3:
        raise ValueError("bad cached word")
    return Word(text=text, box=Box(*(float(v) for v in box)), confidence=float(conf),
                order=(int(order[0]), int(order[1]), int(order[2])))
