"""The contracts, on one screen. A new backend implements one of these and registers its name.

Every backend is built once as ``Backend(options, runtime)`` (its own frozen ``Options`` model and the
shared ``Runtime``) and reused for many documents; ``backend.Backend`` and ``backend.OcrBackend`` give the
defaults. ``backends.py`` holds mypy's check of each built-in against its protocol.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, runtime_checkable

if TYPE_CHECKING:
    from PIL.Image import Image

    from docextract.backend import BackendOptions, Runtime, TierOutput
    from docextract.document import Document, Page, Word
    from docextract.options import ExtractOptions
    from docextract.result import Issue
    from docextract.schema import SchemaSpec


class Backend(Protocol):
    """What every backend has: options, a runtime, whether it can run, and a way to let go of it."""

    name: ClassVar[str]

    @property
    def Options(self) -> type[BackendOptions]:  # noqa: N802 - a class attribute in every backend
        """The backend's options model (read-only here, so a backend may narrow it to its own class)."""
        ...

    def __init__(self, options: Any, runtime: Runtime) -> None: ...

    def available(self) -> str | None:
        """None when the backend can run here; otherwise what is missing and how to get it."""
        ...

    def footprint_mb(self) -> float:
        """Memory held once loaded, for the pool's budget (0 when negligible)."""
        ...

    def close(self) -> None: ...


@runtime_checkable
class Loader(Backend, Protocol):
    """Bytes of one format → a Document with text-layer words and attachments."""

    def load(self, path: Path, data: bytes, options: ExtractOptions) -> Document: ...


@runtime_checkable
class OcrEngine(Backend, Protocol):
    """Page images in, words with normalised boxes and 0..1 confidences out."""

    strict_langs: ClassVar[bool]
    batch_size: ClassVar[int]
    install_hint: ClassVar[str | None]
    lang_hint: ClassVar[str | None]

    def version(self) -> str:
        """Engine and model version, part of the OCR cache key."""
        ...

    def recognize(self, images: Sequence[Image], langs: Sequence[str]) -> list[list[Word]]:
        """One list of words per image (a batch), boxes normalised to that image."""
        ...

    def usable_langs(self, langs: Sequence[str]) -> tuple[list[str], list[str]]:
        """``langs`` split into (readable, not readable)."""
        ...

    def missing_langs_hint(self, langs: Sequence[str]) -> str | None:
        """How to get the languages ``langs`` (an install command), or None."""
        ...

    def detect_orientation(self, image: Image) -> tuple[int, float] | None:
        """Clockwise degrees (0/90/180/270) to turn ``image`` upright, and a confidence; None: cannot tell."""
        ...

    def cache_settings(self) -> dict[str, Any]:
        """Settings besides image and languages that change the output: part of the OCR cache key."""
        ...


@runtime_checkable
class LayoutModel(Backend, Protocol):
    """Words (and optionally the page image) → lines, blocks, reading order and tables on the page."""

    def analyze(self, page: Page, document: Document) -> None: ...


@runtime_checkable
class Tier(Backend, Protocol):
    """A Document and the field paths still wanted → candidates for (some of) them, issues, and the cost.

    A candidate's evidence should hold the page and box it was read from; one without is located on the
    visible page by the pipeline (``evidence.locate``) and flagged ``not_in_document`` when it is not there.
    """

    def extract(
        self, document: Document, spec: SchemaSpec, wanted: Set[str], options: ExtractOptions
    ) -> TierOutput: ...


@runtime_checkable
class Rule(Protocol):
    """A soft validation rule over the flat values; failures become Issues on the fields involved."""

    name: str

    def check(self, values: Mapping[str, Any], spec: SchemaSpec) -> list[Issue]: ...
