"""A tier that misbehaves on purpose, to prove batch containment.

When the document (its words or its attached bytes) contains a marker word, the tier crashes its own
process with a signal, spins forever, allocates memory until stopped, or raises an untyped exception.
Registered by tests as ``registry.register("tier", "crashtest", "tests.support.crashtier:CrashTier")``.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Set
from typing import Any

from docextract.backend import Backend, TierOutput
from docextract.result import Issue

MARKERS = ("CRASH_SEGV", "CRASH_ABRT", "HANG_FOREVER", "EAT_MEMORY", "ALLOC_HUGE", "RAISE_PLAIN", "EXIT_QUIETLY")


def _text(document: Any) -> str:
    words = " ".join(w.text for _, w in document.all_words())
    attached = " ".join(a.data.decode("utf-8", "replace") for a in document.attachments)
    return f"{words} {attached}"


class CrashTier(Backend):
    name = "crashtest"

    def extract(self, document: Any, spec: Any, wanted: Set[str], options: Any) -> TierOutput:
        text = _text(document)
        hoard: list[bytearray] = []
        if "CRASH_SEGV" in text:
            os.kill(os.getpid(), signal.SIGSEGV)
        if "CRASH_ABRT" in text:
            os.abort()
        if "HANG_FOREVER" in text:
            while True:
                pass
        if "EAT_MEMORY" in text:
            while True:
                hoard.append(bytearray(b"x" * (32 * 2**20)))  # touched pages, so RSS really grows
        if "ALLOC_HUGE" in text:
            # One 64 GiB request: refused at once by the worker's address-space cap (MemoryError).
            hoard.append(bytearray(64 * 2**30))
        if "RAISE_PLAIN" in text:
            raise RuntimeError("plain bug in a backend")
        if "EXIT_QUIETLY" in text:
            os._exit(3)
        # Which process did the work: lets tests prove isolation and worker recycling.
        return TierOutput(issues=[Issue(code="worker_pid", message=str(os.getpid()), severity="info")])
