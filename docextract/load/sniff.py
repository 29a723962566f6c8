"""Read a file within its limits and decide its format from its bytes, never from its name.

MuPDF "repairs" almost anything into a PDF (an HTML page named ``.pdf`` opens as a one-page document),
so the magic bytes are checked before any engine sees the file.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from docextract.errors import EmptyFileError, FileTooLargeError, MissingFileError, UnsupportedFormatError

Format = Literal["pdf", "image", "xml"]

# PDF 32000-1 §7.5.2 allows junk before the header; readers look in the first KiB.
_PDF_WINDOW = 1024

_IMAGE_MAGIC: tuple[bytes, ...] = (
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",  # JPEG
    b"II*\x00",  # TIFF, little-endian
    b"MM\x00*",  # TIFF, big-endian
    b"II+\x00",  # BigTIFF
    b"MM\x00+",
    b"GIF87a",
    b"GIF89a",
    b"BM",
)

_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
# A root element (or a comment / doctype before it) after optional whitespace: <Invoice ...>, <rsm:Cross...>
_XML_START = re.compile(rb"\s*<(\?xml[\s?]|!--|!DOCTYPE\s|[A-Za-z_][\w.\-]*(:[A-Za-z_][\w.\-]*)?[\s/>])")
_HTML_ROOT = re.compile(rb"\s*<(!DOCTYPE\s+html|html[\s>]|head[\s>]|body[\s>])", re.IGNORECASE)


def read_input(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, after checking that it exists, is not empty and is within ``max_bytes``.

    Raises:
        MissingFileError: no such file, or it cannot be read.
        EmptyFileError: zero bytes.
        FileTooLargeError: more than ``max_bytes``.
    """
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise MissingFileError("file not found or not readable; check the path", path=path) from exc
    if not path.is_file():
        raise MissingFileError("not a regular file; pass a PDF or image file", path=path)
    if size == 0:
        raise EmptyFileError("file is empty (0 bytes)", path=path)
    if size > max_bytes:
        raise FileTooLargeError(
            f"file has {size} bytes, more than the limit of {max_bytes}",
            path=path,
            hint="raise options.limits.max_file_bytes if it is trusted",
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise MissingFileError(f"file cannot be read: {exc.strerror or exc}", path=path) from exc
    if not data:
        raise EmptyFileError("file is empty (0 bytes)", path=path)
    return data


def sniff_format(data: bytes) -> Format | None:
    """``"pdf"``, ``"image"`` or ``"xml"`` from the leading bytes; None when none of them fits."""
    if b"%PDF-" in data[:_PDF_WINDOW]:
        return "pdf"
    if data.startswith(_IMAGE_MAGIC) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP"):
        return "image"
    head = data[:4096]
    for bom in _BOMS:
        if head.startswith(bom):
            if bom != b"\xef\xbb\xbf":
                # UTF-16 XML: decode the head to find the root element.
                try:
                    head = head.decode("utf-16").encode("utf-8", "replace")
                except UnicodeDecodeError:
                    return None
            else:
                head = head[len(bom) :]
            break
    if _XML_START.match(head) and not _HTML_ROOT.match(head) and b"<html" not in head[:512].lower():
        return "xml"
    return None


def detect_format(path: Path, data: bytes) -> Format:
    """The format of ``data``, or a typed error naming ``path``.

    Raises:
        UnsupportedFormatError: not a PDF, an image or XML, whatever the file name says.
    """
    fmt = sniff_format(data)
    if fmt is None:
        raise UnsupportedFormatError(
            f"content is not a PDF, an image (PNG, JPEG, TIFF, WebP, GIF, BMP) or e-invoice XML "
            f"(starts with {_describe(data)})",
            path=path,
            hint="the format is read from the bytes, not the file name",
        )
    return fmt


def _describe(data: bytes) -> str:
    if data.startswith(b"PK\x03\x04"):
        return "a ZIP archive header"
    if _HTML_ROOT.match(data[:512]):
        return "HTML"
    return repr(data[:8])
