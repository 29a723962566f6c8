"""The five contracts, on one screen. A new backend implements one of these and registers its name."""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from PIL.Image import Image

    from docextract.document import Document, Page, Word
    from docextract.options import ExtractOptions
    from docextract.result import Candidate, Issue
    from docextract.schema import SchemaSpec


@runtime_checkable
class Loader(Protocol):
    """Bytes of one format → a Document with text-layer words and attachments."""

    def load(self, path: Path, data: bytes, options: ExtractOptions) -> Document: ...


@runtime_checkable
class OcrEngine(Protocol):
    """Page images in, words with normalised boxes and 0..1 confidences out."""

    name: str

    def available(self) -> str | None:
        """None when the engine can run here; otherwise what is missing and how to get it."""
        ...

    def version(self) -> str:
        """Engine and model version, part of the OCR cache key."""
        ...

    def recognize(self, images: Sequence[Image], langs: Sequence[str]) -> list[list[Word]]:
        """One list of words per image, boxes normalised to that image."""
        ...


@runtime_checkable
class LayoutModel(Protocol):
    """Words (and optionally the page image) → lines, blocks, reading order and tables on the page."""

    name: str

    def analyze(self, page: Page, document: Document) -> None: ...


@runtime_checkable
class Tier(Protocol):
    """A Document and the field paths still wanted → candidates for (some of) them."""

    name: str

    def available(self, options: ExtractOptions) -> str | None:
        """None when the tier can run; otherwise why not (it is then skipped with a note)."""
        ...

    def extract(
        self, document: Document, spec: SchemaSpec, wanted: Set[str], options: ExtractOptions
    ) -> tuple[list[Candidate], list[Issue]]: ...


@runtime_checkable
class Rule(Protocol):
    """A soft validation rule over the flat values; failures become Issues on the fields involved."""

    name: str

    def check(self, values: Mapping[str, Any], spec: SchemaSpec) -> list[Issue]: ...
