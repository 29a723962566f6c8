"""A stable hash of the options that shape a result, so ``--resume`` reuses only records made the same way."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from docextract.options import ExtractOptions

# Options that cannot change a record that is kept (an ok or review one): the password opens the file but
# does not change what is read from it (and must not leave a trace), the cache and thread count only change
# speed, and the deadline and memory cap only decide whether a file fails.
_IGNORED: dict[str, tuple[str, ...]] = {
    "": ("password",),
    "ocr": ("cache", "cache_dir", "workers"),
    "runtime": ("cache_dir",),
    "limits": ("timeout_s", "max_worker_rss_mb"),
}


def options_hash(options: ExtractOptions) -> str:
    """16 hex digits of the sha256 of every option except those in ``_IGNORED``; the same on every run.

    New options are in the hash by default: a needless re-extraction costs time, a stale record costs trust.
    """
    dumped: dict[str, Any] = options.model_dump(mode="json")
    for section, names in _IGNORED.items():
        target = dumped.get(section) if section else dumped
        if isinstance(target, dict):
            for name in names:
                target.pop(name, None)
    text = json.dumps(dumped, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
