"""PDFs through pymupdf: open (passwords, limits), then pages, attachments and metadata.

Every pymupdf failure is wrapped here, at the edge: MuPDF raises ``FileDataError``, ``EmptyFileError``,
``mupdf.FzError*`` and plain ``RuntimeError`` on hostile files. A file MuPDF finds corrupt or empty is
handed to PDFium (``load.fallback``), which repairs other damage; MuPDF's error stands when PDFium cannot
read it either.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from docextract.backend import Backend
from docextract.document import Attachment, Document
from docextract.errors import (
    CorruptDocumentError,
    DocExtractError,
    EmptyDocumentError,
    PasswordRequiredError,
    ResourceLimitError,
    TooManyPagesError,
    WrongPasswordError,
)
from docextract.load.pdfpage import analyse_page
from docextract.load.textlayer import clean_text
from docextract.options import ExtractOptions

_METADATA_KEYS = ("title", "author", "subject", "keywords", "creator", "producer", "creationDate", "modDate", "format")


@contextmanager
def pdf_errors(path: Path, doing: str) -> Iterator[None]:
    """Turn any pymupdf exception raised inside the block into a typed error naming ``path``."""
    try:
        yield
    except DocExtractError:
        raise
    except (AttributeError, NameError):
        raise  # our own bugs, not the file's fault
    except MemoryError as exc:
        raise ResourceLimitError(f"out of memory while {doing}", path=path) from exc
    except Exception as exc:  # pymupdf raises RuntimeError, FileDataError, mupdf.FzError* and more
        raise CorruptDocumentError(
            f"PDF could not be read while {doing}: {type(exc).__name__}: {str(exc)[:200]}",
            path=path,
            hint="the file is damaged or not a valid PDF; try re-exporting it",
        ) from exc


def _pymupdf() -> Any:
    """pymupdf, imported on first use (its partial type hints would make every call here untyped)."""
    import pymupdf

    if not getattr(_pymupdf, "quiet", False):
        # MuPDF prints its repairs of damaged files to stderr; every failure reaches the caller as a typed
        # error instead, and a batch's stderr is for its progress and summary.
        tools: Any = pymupdf.TOOLS
        tools.mupdf_display_errors(False)
        tools.mupdf_display_warnings(False)
        _pymupdf.quiet = True  # type: ignore[attr-defined]
    return pymupdf


class PdfLoader(Backend):
    """The ``Loader`` for PDFs."""

    name = "pdf"

    def load(self, path: Path, data: bytes, options: ExtractOptions) -> Document:
        """Words, page facts, attachments and metadata of the PDF in ``data``.

        MuPDF reads the file; when it finds it corrupt or empty, PDFium tries, and the pages it reads have
        ``text_source == "pdf:pdfium"`` and no trusted text layer (they are OCR'd).

        Raises:
            CorruptDocumentError, EmptyDocumentError, PasswordRequiredError, WrongPasswordError,
            TooManyPagesError, ResourceLimitError: each naming ``path``.
        """
        try:
            return self._load_mupdf(path, data, options)
        except (CorruptDocumentError, EmptyDocumentError):
            from docextract.load.fallback import load_with_pdfium

            doc = load_with_pdfium(path, data, options)
            if doc is None:
                raise  # MuPDF's error, naming the file
            return doc

    def _load_mupdf(self, path: Path, data: bytes, options: ExtractOptions) -> Document:
        pymupdf = _pymupdf()
        with pdf_errors(path, "opening"):
            doc = pymupdf.open(stream=data, filetype="pdf")
        try:
            with pdf_errors(path, "opening"):
                password = _unlock(doc, path, options.password)
                n = doc.page_count
            if n == 0:
                raise EmptyDocumentError("PDF has no pages", path=path)
            if n > options.limits.max_pages:
                raise TooManyPagesError(
                    f"PDF has {n} pages, more than the limit of {options.limits.max_pages}",
                    path=path,
                    hint="raise options.limits.max_pages or split the file",
                )
            result = Document(path=path, sha256=hashlib.sha256(data).hexdigest(), kind="pdf", password=password)
            result.repaired = bool(getattr(doc, "is_repaired", False))
            any_content = False
            for i in range(n):
                with pdf_errors(path, f"reading page {i + 1}"):
                    pdf_page = doc.load_page(i)
                    page, shows = analyse_page(pdf_page, i)
                    result.attachments += _annotation_files(pdf_page)
                result.pages.append(page)
                any_content = any_content or shows
            with pdf_errors(path, "reading attachments"):
                result.attachments[:0] = _attachments(doc)
                result.metadata = _metadata(doc)
        finally:
            doc.close()
        if not any_content:
            raise EmptyDocumentError(f"PDF has {n} page(s) but no text or image on any of them", path=path)
        return result


def _unlock(doc: Any, path: Path, password: str | None) -> str | None:
    """Authenticate if the file needs a user password; return the password that opened it."""
    if not doc.needs_pass:
        return None  # not encrypted, or owner password only: readable as it is
    if not password:
        raise PasswordRequiredError(
            "PDF is encrypted with a password", path=path, hint="pass options.password (--password)"
        )
    if not doc.authenticate(password):
        raise WrongPasswordError("the password given does not open this PDF", path=path)
    return password


def _metadata(doc: Any) -> dict[str, str]:
    meta = doc.metadata or {}
    out = {k: clean_text(str(meta[k])) for k in _METADATA_KEYS if meta.get(k)}
    if meta.get("encryption"):
        out["encryption"] = clean_text(str(meta["encryption"]))
    return out


def _attachments(doc: Any) -> list[Attachment]:
    """Embedded files of the EmbeddedFiles name tree, with /Subtype (MIME) and /AFRelationship."""
    out: list[Attachment] = []
    specs = _filespecs(doc)
    for i in range(doc.embfile_count()):
        info = doc.embfile_info(i)
        name = info.get("ufilename") or info.get("filename") or info.get("name") or f"attachment-{i + 1}"
        mime, rel = specs[i] if i < len(specs) else (None, None)
        out.append(Attachment(name=clean_text(name), data=doc.embfile_get(i), mime=mime, relationship=rel))
    return out


def _annotation_files(page: Any) -> list[Attachment]:
    """Files attached to a page through file-attachment annotations."""
    pymupdf = _pymupdf()
    out: list[Attachment] = []
    for annot in page.annots(types=[pymupdf.PDF_ANNOT_FILE_ATTACHMENT]):
        info = annot.file_info
        name = info.get("filename") or f"page{page.number + 1}-attachment-{annot.xref}"
        out.append(Attachment(name=clean_text(name), data=annot.get_file()))
    return out


def _filespecs(doc: Any) -> list[tuple[str | None, str | None]]:
    """(mime, AFRelationship) of each entry of the flat EmbeddedFiles name array, as pymupdf indexes it."""
    pymupdf = _pymupdf()
    mu = pymupdf.mupdf
    trailer = mu.pdf_trailer(pymupdf._as_pdf_document(doc))
    names = mu.pdf_dict_getp(trailer, "Root/Names/EmbeddedFiles/Names")
    if not mu.pdf_is_array(names):
        return []
    out: list[tuple[str | None, str | None]] = []
    for j in range(1, mu.pdf_array_len(names), 2):
        spec = mu.pdf_array_get(names, j)
        sub = mu.pdf_dict_getp(spec, "EF/F/Subtype")
        rel = mu.pdf_dict_gets(spec, "AFRelationship")
        out.append(
            (
                mu.pdf_to_name(sub) if mu.pdf_is_name(sub) else None,
                mu.pdf_to_name(rel) if mu.pdf_is_name(rel) else None,
            )
        )
    return out
