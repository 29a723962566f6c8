"""Loading: bytes on disk → a Document with text-layer words, attachments and page facts.

The format is read from the content (``sniff``), then one loader builds the Document: ``pdf`` (pymupdf,
with PDFium for files MuPDF cannot read: ``fallback``), ``image`` (Pillow), or a bare XML e-invoice kept
as an attachment for the e-invoice tier. The engines are imported only when a file of their kind is
opened. Rendering page images lives in ``render``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from docextract.document import Attachment, Document
from docextract.load.sniff import detect_format, read_input
from docextract.options import ExtractOptions

__all__ = ["open_document"]


def open_document(path: Path, options: ExtractOptions) -> Document:
    """Open ``path`` and build its Document, choosing the loader from the bytes.

    Args:
        path: the file; its name plays no part in choosing the format.
        options: ``options.limits`` (bytes, pages, image pixels) and ``options.password`` are used.

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
    if fmt == "pdf":
        from docextract.load.pdf import PdfLoader

        return PdfLoader().load(path, data, options)
    if fmt == "image":
        from docextract.load.image import ImageLoader

        return ImageLoader().load(path, data, options)
    return Document(
        path=path,
        sha256=hashlib.sha256(data).hexdigest(),
        kind="xml",
        attachments=[Attachment(name=path.name, data=data, mime="application/xml")],
    )
