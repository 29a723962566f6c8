"""docextract: typed, validated data out of invoices, receipts and forms, with per-field confidence.

Example:
    >>> import docextract
    >>> from docextract.schemas import Invoice
    >>> result = docextract.extract("invoice.pdf", schema=Invoice)
    >>> result.status, result.data.total_gross, result.fields["total_gross"].confidence
"""

from __future__ import annotations

# Imported for its side effect: it registers the Jupyter display of results (page images with field boxes).
from docextract import notebook as _notebook  # noqa: F401
from docextract.backend import BackendOptions, Runtime, TierOutput
from docextract.batch import extract_many
from docextract.errors import (
    BackendError,
    BackendUnavailableError,
    ConfigError,
    CorruptDocumentError,
    CorruptEInvoiceError,
    CorruptImageError,
    DocExtractError,
    EmptyDocumentError,
    EmptyFileError,
    EngineCrashError,
    ExtractionTimeoutError,
    FileTooLargeError,
    ImageTooLargeError,
    InputError,
    MissingFileError,
    ModelOutputError,
    PageTooLargeError,
    PasswordRequiredError,
    ResourceLimitError,
    SchemaError,
    TooLargeError,
    TooManyPagesError,
    UnsupportedFormatError,
    WrongPasswordError,
)
from docextract.options import ExtractOptions, LimitOptions, OcrOptions, RuntimeOptions
from docextract.pipeline import Extractor, extract
from docextract.result import Candidate, Cost, ErrorInfo, Evidence, ExtractionResult, FieldResult, Issue, PageInfo

__version__ = "0.1.0"

__all__ = [
    "BackendError",
    "BackendOptions",
    "BackendUnavailableError",
    "Candidate",
    "ConfigError",
    "CorruptDocumentError",
    "CorruptEInvoiceError",
    "CorruptImageError",
    "Cost",
    "DocExtractError",
    "EmptyDocumentError",
    "EmptyFileError",
    "EngineCrashError",
    "ErrorInfo",
    "Evidence",
    "ExtractOptions",
    "ExtractionResult",
    "ExtractionTimeoutError",
    "Extractor",
    "FieldResult",
    "FileTooLargeError",
    "ImageTooLargeError",
    "InputError",
    "Issue",
    "LimitOptions",
    "MissingFileError",
    "ModelOutputError",
    "OcrOptions",
    "PageInfo",
    "PageTooLargeError",
    "PasswordRequiredError",
    "ResourceLimitError",
    "Runtime",
    "RuntimeOptions",
    "SchemaError",
    "TierOutput",
    "TooLargeError",
    "TooManyPagesError",
    "UnsupportedFormatError",
    "WrongPasswordError",
    "__version__",
    "extract",
    "extract_many",
]
