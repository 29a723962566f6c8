"""The errors docextract raises. Every failure a user can cause or meet is one of these.

    DocExtractError
    ├── InputError                 (.path) something is wrong with an input file
    │   ├── MissingFileError       the path does not exist or is not readable
    │   ├── UnsupportedFormatError the bytes are not a PDF, image or e-invoice XML (whatever the name says)
    │   ├── CorruptDocumentError   the engine could not parse it
    │   │   ├── CorruptImageError
    │   │   └── CorruptEInvoiceError   malformed or hostile (entity expansion) e-invoice XML
    │   ├── EmptyDocumentError     no pages, or no text and no image on any page
    │   │   └── EmptyFileError     zero bytes
    │   ├── PasswordRequiredError  encrypted, and no password given
    │   ├── WrongPasswordError     encrypted, and the password given does not open it
    │   └── TooLargeError          a limit checked before the work starts
    │       ├── FileTooLargeError
    │       ├── TooManyPagesError
    │       ├── ImageTooLargeError
    │       └── PageTooLargeError
    ├── SchemaError                the schema cannot be resolved or is not a model / JSON Schema
    ├── ConfigError                a bad option or an unknown backend name (lists the known ones)
    ├── BackendUnavailableError    a missing extra, binary, weights or API key (.hint says how to get it)
    ├── BackendError               an engine failed at run time
    │   ├── EngineCrashError       a worker died from a signal (.signal)
    │   └── ModelOutputError       a model answered with something that is not the schema
    ├── ExtractionTimeoutError     a file ran past its deadline
    └── ResourceLimitError         a worker passed its memory cap

Errors from pymupdf, pypdfium2, Pillow and model libraries are wrapped where they are called
(``raise ... from exc``); nothing untyped escapes ``extract()``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


class DocExtractError(Exception):
    """Base of every error docextract raises."""

    code = "error"

    def __init__(self, message: str, *, path: str | Path | None = None, hint: str | None = None) -> None:
        self.path = str(path) if path is not None else None
        self.hint = hint
        self.message = message
        text = f"{self.path}: {message}" if self.path else message
        if hint:
            text = f"{text} ({hint})"
        super().__init__(text)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form written into failed results."""
        return {"type": type(self).__name__, "code": self.code, "message": str(self), "path": self.path}


class InputError(DocExtractError):
    """Something is wrong with an input file."""

    code = "input_error"


class MissingFileError(InputError):
    """The path does not exist or cannot be read."""

    code = "missing_file"


class UnsupportedFormatError(InputError):
    """The content is not a format docextract reads."""

    code = "unsupported_format"


class CorruptDocumentError(InputError):
    """The document could not be parsed."""

    code = "corrupt_document"


class CorruptImageError(CorruptDocumentError):
    """The image could not be decoded."""

    code = "corrupt_image"


class CorruptEInvoiceError(CorruptDocumentError):
    """The e-invoice XML is malformed, hostile or over its size limit."""

    code = "corrupt_einvoice"


class EmptyDocumentError(InputError):
    """The document has no pages, or nothing on them."""

    code = "empty_document"


class EmptyFileError(EmptyDocumentError):
    """The file has zero bytes."""

    code = "empty_file"


class PasswordRequiredError(InputError):
    """The PDF is encrypted and no password was given."""

    code = "password_required"


class WrongPasswordError(InputError):
    """The password given does not open the PDF."""

    code = "wrong_password"


class TooLargeError(InputError):
    """A size limit was exceeded before any work started."""

    code = "too_large"


class FileTooLargeError(TooLargeError):
    """The file has more bytes than allowed."""

    code = "file_too_large"


class TooManyPagesError(TooLargeError):
    """The document has more pages than allowed."""

    code = "too_many_pages"


class ImageTooLargeError(TooLargeError):
    """The image has more pixels than allowed."""

    code = "image_too_large"


class PageTooLargeError(TooLargeError):
    """A page would render to more pixels than allowed."""

    code = "page_too_large"


class SchemaError(DocExtractError):
    """The schema cannot be resolved or is not a pydantic model or JSON Schema."""

    code = "schema_error"


class ConfigError(DocExtractError):
    """An option is invalid, or a backend name is unknown."""

    code = "config_error"


class BackendUnavailableError(DocExtractError):
    """A backend cannot run here: a missing extra, binary, weights or API key."""

    code = "backend_unavailable"


class BackendError(DocExtractError):
    """An engine failed at run time."""

    code = "backend_error"


class EngineCrashError(BackendError):
    """A worker process died from a signal while holding this file."""

    code = "engine_crash"

    def __init__(self, message: str, *, path: str | Path | None = None, signal: int | None = None) -> None:
        self.signal = signal
        super().__init__(message, path=path)


class ModelOutputError(BackendError):
    """A model's answer does not fit the schema."""

    code = "model_output"


class ExtractionTimeoutError(DocExtractError):
    """A file ran past its deadline."""

    code = "timeout"


class ResourceLimitError(DocExtractError):
    """A worker passed its memory cap."""

    code = "resource_limit"
