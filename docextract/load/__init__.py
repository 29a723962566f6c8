"""Loading: bytes on disk → a Document with text-layer words, attachments and page facts.

The format is read from the content (``sniff``), then one loader builds the Document: ``pdf`` (pymupdf,
with PDFium for files MuPDF cannot read: ``fallback``), ``image`` (Pillow), or a bare XML e-invoice kept
as an attachment for the e-invoice tier. The engines are imported only when a file of their kind is
opened. Rendering page images lives in ``render``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from docextract.document import Document
from docextract.load.sniff import detect_format, read_input
from docextract.options import ExtractOptions

if TYPE_CHECKING:
    from docextract.protocols import Loader

__all__ = ["open_document"]


def open_document(path: Path, options: ExtractOptions, loaders: Mapping[str, Loader] | None = None) -> Document:
    """Open ``path`` and build its Document, choosing the loader from the bytes.

    Args:
        path: the file; its name plays no part in choosing the format.
        options: ``options.limits`` (bytes, pages, image pixels) and ``options.password`` are used.
        loaders: built loaders by format ("pdf", "image", "xml"), as an Extractor keeps them; a format
            missing here gets the registered loader with its default options.

    Returns:
        A Document of kind "pdf" or "image" with its pages, or of kind "xml" with no pages and the file
        as its one attachment.

    Raises:
        MissingFileError, EmptyFileError, FileTooLargeError, UnsupportedFormatError,
        CorruptDocumentError (CorruptImageError), EmptyDocumentError, PasswordRequiredError,
        WrongPasswordError, TooManyPagesError, ImageTooLargeError: each naming the file.
    """
    path = Path(path)
    data = read_input(path, options.limits.max_file_bytes)
    fmt = detect_format(path, data)
    loader = (loaders or {}).get(fmt)
    if loader is None:
        from docextract import backends, registry
        from docextract.backend import Runtime

        cls = registry.loader(fmt)
        loader = cls(backends.checked_options(cls, fmt, None), Runtime.from_options(options))
    return loader.load(path, data, options)
