"""What every backend (loader, OCR engine, layout model, tier) is built from, and what a tier hands back.

A backend is a class with a frozen ``Options`` model, built once as ``Backend(options, runtime)`` and
reused for many documents; ``available()`` says whether it can run here and ``close()`` frees what it
holds. The protocols in ``protocols.py`` are the contract; the base classes here give the defaults so that
a new backend writes only what differs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import ConfigDict

from docextract.options import _Options
from docextract.result import Candidate, Cost, Issue

if TYPE_CHECKING:
    from PIL.Image import Image

    from docextract.options import ExtractOptions


class BackendOptions(_Options):
    """The options of one backend. Subclasses add fields; ``kind`` names the backend they are for, so a
    TesseractOptions handed to RapidOCR is refused instead of half-applied. Built directly with a wrong
    key, it raises ConfigError like every options model."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: str = ""


@dataclass(frozen=True, slots=True)
class Runtime:
    """Where backends run and find their files; the same for every backend of an Extractor.

    ``device`` is "auto", "cpu", "cuda", "cuda:1", "mps"; ``model_dirs`` maps a backend name to the folder
    of its weights; ``cache_dir`` is where a backend may keep what it computed (None: its default).
    """

    device: str = "auto"
    model_dirs: Mapping[str, Path] = field(default_factory=dict)
    cache_dir: Path | None = None

    @classmethod
    def from_options(cls, options: ExtractOptions) -> Runtime:
        rt = options.runtime
        return cls(device=rt.device, model_dirs={k: Path(v) for k, v in rt.model_dirs.items()},
                   cache_dir=Path(rt.cache_dir) if rt.cache_dir else None)


@dataclass(slots=True)
class TierOutput:
    """What a tier returns: its candidates, the issues it found, and what the call cost."""

    candidates: list[Candidate] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    cost: Cost = field(default_factory=Cost)


class Backend:
    """Defaults for the parts of the contract most backends do not need."""

    name: ClassVar[str] = ""
    Options: ClassVar[type[BackendOptions]] = BackendOptions

    def __init__(self, options: BackendOptions | None = None, runtime: Runtime | None = None) -> None:
        self.options = options if options is not None else self.Options()
        self.runtime = runtime if runtime is not None else Runtime()

    def available(self) -> str | None:
        """None when the backend can run here; otherwise what is missing and how to get it."""
        return None

    def footprint_mb(self) -> float:
        """Memory this backend holds once loaded (weights, sessions), for the pool's budget."""
        return 0.0

    def close(self) -> None:
        """Release what the backend holds; it is not used again."""
        return


class OcrBackend(Backend):
    """Defaults for the optional parts of an OCR engine (see ``protocols.OcrEngine``)."""

    # Asked for a language it cannot read, refuse (True) rather than read without it (False).
    strict_langs: ClassVar[bool] = False
    # Pages per recognize() call: 1 for engines that run pages on threads (Tesseract releases the GIL), more
    # for a model that reads a batch at about the cost of one page.
    batch_size: ClassVar[int] = 1
    install_hint: ClassVar[str | None] = None
    lang_hint: ClassVar[str | None] = None

    def version(self) -> str:
        return self.name

    def usable_langs(self, langs: Sequence[str]) -> tuple[list[str], list[str]]:
        """``langs`` split into (readable, not readable)."""
        return list(langs), []

    def missing_langs_hint(self, langs: Sequence[str]) -> str | None:
        """How to get the languages ``langs``, or None."""
        del langs
        return self.lang_hint

    def detect_orientation(self, image: Image) -> tuple[int, float] | None:
        """Clockwise degrees to turn ``image`` upright and a confidence; None when the engine cannot tell."""
        del image
        return None

    def cache_settings(self) -> dict[str, Any]:
        """What besides the image and languages changes this engine's output: part of the OCR cache key."""
        return {}


__all__ = ["Backend", "BackendOptions", "OcrBackend", "Runtime", "TierOutput"]
