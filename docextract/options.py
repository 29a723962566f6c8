"""ExtractOptions and its parts. Frozen, and ``extra="forbid"`` so a misspelt option fails loudly.

A backend's own options (Tesseract's page segmentation mode, a model tier's prompt) are its ``Options``
class, set through ``ExtractOptions.backends`` and checked against the backend by ``backends.plan``.
"""

from __future__ import annotations

import os
from typing import Annotated, Any, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from docextract.errors import ConfigError

_STRICT = ConfigDict(frozen=True, extra="forbid")


class _Options(BaseModel):
    """A misspelt or invalid option is a ConfigError naming the key, however the options are built.

    Because ``__init__`` is overridden, pydantic calls it for nested sections too (``ocr={...}``), so the
    error of a nested key names its section's class (``OcrOptions``) rather than the ``ocr.`` prefix.
    """

    def __init__(self, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as exc:
            cls = type(self)
            raise ConfigError(f"invalid options ({cls.__name__}): {_summarise(exc)}") from exc

    @classmethod
    def model_validate(cls, obj: Any, *args: Any, **kwargs: Any) -> Self:
        try:
            return super().model_validate(obj, *args, **kwargs)
        except ValidationError as exc:
            raise ConfigError(f"invalid options ({cls.__name__}): {_summarise(exc)}") from exc

    @classmethod
    def model_validate_json(cls, json_data: str | bytes | bytearray, *args: Any, **kwargs: Any) -> Self:
        try:
            return super().model_validate_json(json_data, *args, **kwargs)
        except ValidationError as exc:
            raise ConfigError(f"invalid options ({cls.__name__}): {_summarise(exc)}") from exc

DEFAULT_LANGS = ("eng", "deu", "fra", "spa", "ita", "nld", "por")
# OCR with all seven costs about 30% more time per page than these three for +0.4% word recall on the
# development scans (benchmarks/ocr_speed.py); pass the others with --lang when a document needs them.
DEFAULT_OCR_LANGS = ("eng", "deu", "fra")


class OcrOptions(_Options):
    """How pages without a usable text layer are turned into words."""

    model_config = _STRICT

    engine: Annotated[str, Field(description="OCR engine name: tesseract, rapidocr, or a plugin's")] = "tesseract"
    langs: Annotated[tuple[str, ...], Field(description="Tesseract language codes, e.g. ('eng', 'deu')")] = (
        DEFAULT_OCR_LANGS
    )
    dpi: Annotated[int, Field(ge=72, le=600, description="render resolution for OCR")] = 300
    force: Annotated[bool, Field(description="OCR every page, even those with a usable text layer")] = False
    cache: Annotated[bool, Field(description="reuse OCR results stored in the user cache directory")] = True
    cache_dir: Annotated[str | None, Field(description="cache directory; default: platformdirs user cache")] = None
    workers: Annotated[int, Field(ge=0, description="threads OCR-ing the pages of a document; 0 = one per core")] = 0
    max_pixels: Annotated[int, Field(ge=1_000_000, description="pixel cap per page render")] = 50_000_000
    preprocess: Annotated[bool, Field(description="orientation, deskew and contrast clean-up before OCR")] = True


class LimitOptions(_Options):
    """Limits checked before the work starts."""

    model_config = _STRICT

    max_file_bytes: Annotated[int, Field(ge=1, description="largest input file accepted")] = 200 * 1024 * 1024
    max_pages: Annotated[int, Field(ge=1, description="most pages per document")] = 500
    max_image_pixels: Annotated[int, Field(ge=1, description="largest image accepted, in pixels")] = 90_000_000
    timeout_s: Annotated[float, Field(gt=0, description="per-file wall-clock deadline in batch runs")] = 120.0
    max_worker_rss_mb: Annotated[int, Field(ge=64, description="memory cap of a batch worker")] = 2048


class RuntimeOptions(_Options):
    """Where backends run and find their weights (the same for every backend)."""

    model_config = _STRICT

    device: Annotated[str, Field(description="auto (cuda, then mps, then cpu), cpu, cuda, cuda:N or mps")] = "auto"
    model_dirs: Annotated[dict[str, str], Field(description="backend name → folder of its weights")] = {}
    cache_dir: Annotated[str | None, Field(description="where backends keep what they computed")] = None


class ExtractOptions(_Options):
    """Everything that changes what ``extract`` does.

    Example:
        >>> opts = ExtractOptions(threshold=0.9, ocr=OcrOptions(langs=("deu", "eng")))
    """

    model_config = _STRICT

    threshold: Annotated[float, Field(ge=0.0, le=1.0, description="confidence needed to accept a field")] = 0.8
    tiers: Annotated[tuple[str, ...], Field(description="tiers to run, in order")] = ("einvoice", "rules")
    password: Annotated[str | None, Field(description="password for encrypted PDFs", repr=False)] = None
    layout: Annotated[str, Field(description="layout model name")] = "heuristic"
    keep_unsure: Annotated[
        bool, Field(description="keep optional values below the threshold in data (they are withheld otherwise)")
    ] = False
    ocr: OcrOptions = OcrOptions()
    limits: LimitOptions = LimitOptions()
    runtime: RuntimeOptions = RuntimeOptions()
    backends: Annotated[dict[str, Any], Field(
        description="backend name (or kind.name) → its options, a dict or the backend's Options instance; "
                    "checked against the backend when the Extractor is built")] = {}

    @field_validator("backends")
    @classmethod
    def _backend_values(cls, value: dict[str, Any]) -> dict[str, Any]:
        for name, opts in value.items():
            if not isinstance(opts, dict | BaseModel):
                raise ValueError(f"{name}: options must be a dict or an options model, not {type(opts).__name__}")
        return value

    @classmethod
    def create(cls, **kwargs: Any) -> ExtractOptions:
        """Build options; an invalid or unknown key is a ConfigError naming it (as the constructor does)."""
        return cls(**kwargs)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides: Any) -> ExtractOptions:
        """Options from ``DOCEXTRACT_*`` variables (THRESHOLD, TIERS, OCR_ENGINE, OCR_LANGS, OCR_DPI), then
        ``overrides``."""
        env = dict(os.environ if env is None else env)
        kw: dict[str, Any] = {}
        if "DOCEXTRACT_THRESHOLD" in env:
            kw["threshold"] = env["DOCEXTRACT_THRESHOLD"]
        if "DOCEXTRACT_TIERS" in env:
            kw["tiers"] = tuple(t.strip() for t in env["DOCEXTRACT_TIERS"].split(",") if t.strip())
        ocr: dict[str, Any] = {}
        if "DOCEXTRACT_OCR_ENGINE" in env:
            ocr["engine"] = env["DOCEXTRACT_OCR_ENGINE"]
        if "DOCEXTRACT_OCR_LANGS" in env:
            ocr["langs"] = tuple(x for x in env["DOCEXTRACT_OCR_LANGS"].replace(",", "+").split("+") if x)
        if "DOCEXTRACT_OCR_DPI" in env:
            ocr["dpi"] = env["DOCEXTRACT_OCR_DPI"]
        if ocr:
            kw["ocr"] = ocr
        kw.update(overrides)
        return cls.create(**kw)


def _summarise(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
