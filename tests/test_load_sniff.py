"""Format from content, never from the name; missing, empty, oversized and unknown files fail typed."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from docextract.errors import EmptyFileError, FileTooLargeError, MissingFileError, UnsupportedFormatError
from docextract.load import open_document
from docextract.load.sniff import sniff_format
from docextract.options import ExtractOptions, LimitOptions

OPTS = ExtractOptions()


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(MissingFileError, match=r"nope\.pdf"):
        open_document(tmp_path / "nope.pdf", OPTS)


def test_zero_bytes(tmp_path: Path) -> None:
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    with pytest.raises(EmptyFileError, match=r"empty\.pdf"):
        open_document(path, OPTS)


def test_too_large(tmp_path: Path) -> None:
    path = tmp_path / "big.pdf"
    path.write_bytes(b"%PDF-1.4\n" + b" " * 5000)
    with pytest.raises(FileTooLargeError, match=r"big\.pdf"):
        open_document(path, ExtractOptions(limits=LimitOptions(max_file_bytes=1000)))


@pytest.mark.parametrize(
    "content",
    [
        b"<!DOCTYPE html><html><body>Invoice</body></html>",
        b"<html><head></head><body>" + b" " * 1100 + b"%PDF-1.4 beyond the header window</body></html>",
        os.urandom(4096).replace(b"%PDF-", b"xxxxx"),
        b"Just some text that is not a document",
    ],
    ids=["html", "html-lower", "random", "text"],
)
def test_unsupported_named_pdf(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "invoice.pdf"
    path.write_bytes(content)
    with pytest.raises(UnsupportedFormatError, match=r"invoice\.pdf"):
        open_document(path, OPTS)


def test_zip_named_pdf(tmp_path: Path) -> None:
    path = tmp_path / "invoice.pdf"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("a.txt", "hello")
    with pytest.raises(UnsupportedFormatError, match="ZIP"):
        open_document(path, OPTS)


def test_png_named_pdf_loads_as_image(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    Image.new("RGB", (200, 100), "white").save(path, "PNG")
    doc = open_document(path, OPTS)
    assert doc.kind == "image" and len(doc.pages) == 1


@pytest.mark.parametrize(
    "head",
    [
        b"<?xml version='1.0' encoding='UTF-8'?>\n<rsm:CrossIndustryInvoice xmlns:rsm='urn:x'/>",
        b"\xef\xbb\xbf  \n<Invoice xmlns='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'/>",
        "<?xml version='1.0' encoding='UTF-16'?><Invoice/>".encode("utf-16"),
    ],
    ids=["decl", "bom-root", "utf16"],
)
def test_xml_becomes_attachment(tmp_path: Path, head: bytes) -> None:
    path = tmp_path / "invoice.pdf"
    path.write_bytes(head)
    doc = open_document(path, OPTS)
    assert doc.kind == "xml" and doc.pages == []
    assert [(a.name, a.data, a.mime) for a in doc.attachments] == [("invoice.pdf", head, "application/xml")]


def test_pdf_header_after_junk() -> None:
    assert sniff_format(b"\x00" * 500 + b"%PDF-1.7\n") == "pdf"
    assert sniff_format(b"\x00" * 1100 + b"%PDF-1.7\n") is None


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "TIFF", "WEBP", "GIF", "BMP"])
def test_image_magic(fmt: str) -> None:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buf, fmt)
    assert sniff_format(buf.getvalue()) == "image"
