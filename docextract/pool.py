"""Loaded backends kept for the life of the process, shared by every Extractor and file.

Loading is what costs (Tesseract's API objects, ONNX sessions, model weights), so an engine is built once
per (kind, name, options, runtime) and reused. When the backends' declared footprints pass the budget
(``DOCEXTRACT_POOL_MB``, default 8192), the least recently used are closed and dropped, never the one just
asked for; several models on one GPU is where that matters.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

from docextract.backend import BackendOptions, Runtime

T = TypeVar("T")

DEFAULT_BUDGET_MB = 8192.0

Key = tuple[str, str, str, str]


class Pool:
    """Backends by (kind, name, options, runtime), least recently used first out."""

    def __init__(self, budget_mb: float = DEFAULT_BUDGET_MB) -> None:
        self.budget_mb = budget_mb
        self._items: OrderedDict[Key, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, kind: str, name: str, options: BackendOptions, runtime: Runtime, build: Callable[[], T]) -> T:
        """The pooled backend for this key, built with ``build()`` the first time."""
        where = (runtime.device, sorted((k, str(v)) for k, v in runtime.model_dirs.items()), str(runtime.cache_dir))
        key: Key = (kind, name, options.model_dump_json(), repr(where))
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                item: T = self._items[key]
                return item
            built = build()
            self._items[key] = built
            evicted = self._over_budget(keep=key)
        for old in evicted:
            _close(old)
        return built

    def _over_budget(self, keep: Key) -> list[Any]:
        out = []
        while self.footprint_mb() > self.budget_mb:
            victim = next((k for k in self._items if k != keep), None)
            if victim is None:
                break
            out.append(self._items.pop(victim))
        return out

    def footprint_mb(self) -> float:
        return sum(_footprint(b) for b in self._items.values())

    def __len__(self) -> int:
        return len(self._items)

    def close(self) -> None:
        """Close and drop every pooled backend."""
        with self._lock:
            items = list(self._items.values())
            self._items.clear()
        for b in items:
            _close(b)


def _footprint(backend: Any) -> float:
    fn = getattr(backend, "footprint_mb", None)  # plugins written before the base class may lack it
    return float(fn()) if callable(fn) else 0.0


def _close(backend: Any) -> None:
    fn = getattr(backend, "close", None)
    if callable(fn):
        fn()


_shared: list[Pool] = []
_shared_lock = threading.Lock()


def shared_pool() -> Pool:
    """The process-wide pool (budget: ``DOCEXTRACT_POOL_MB``, read when it is first used)."""
    with _shared_lock:
        if not _shared:
            _shared.append(Pool(float(os.environ.get("DOCEXTRACT_POOL_MB", DEFAULT_BUDGET_MB))))
        return _shared[0]


__all__ = ["Pool", "shared_pool"]
