"""What comes out: per-field results with evidence and confidence, issues, and the whole result."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

if TYPE_CHECKING:
    from pathlib import Path

    from docextract.errors import DocExtractError

Severity = Literal["info", "warning", "error"]
Status = Literal["ok", "review", "failed"]


class Evidence(BaseModel):
    """Where a value was read: a page and box, and the text it was read from (or an XML path)."""

    model_config = ConfigDict(frozen=True)

    page: int | None = Field(default=None, description="0-based page index; None for a value from XML only")
    box: tuple[float, float, float, float] | None = Field(default=None, description="normalised 0..1, top-left")
    text: str = Field(default="", description="the text the value was read from")
    xpath: str | None = Field(default=None, description="the XML element, for e-invoice values")


class Issue(BaseModel):
    """Something a reviewer should know; ``fields`` names the field paths it concerns."""

    model_config = ConfigDict(frozen=True)

    code: str
    message: str
    severity: Severity = "warning"
    fields: tuple[str, ...] = ()
    page: int | None = None


class Candidate(BaseModel):
    """A tier's proposal for one field path, before scoring."""

    path: str
    value: Any
    raw: str | None = None
    score: float = Field(ge=0.0, le=1.0, description="the tier's own confidence, calibrated by scoring.py")
    source: str
    evidence: tuple[Evidence, ...] = ()
    signals: dict[str, float] = Field(default_factory=dict, description="what the score was built from")


class Cost(BaseModel):
    """What a backend's work cost: tokens, pages sent, seconds, and money when the price is known."""

    model_config = ConfigDict(frozen=True)

    tokens_in: int = Field(default=0, ge=0)
    tokens_out: int = Field(default=0, ge=0)
    pages: int = Field(default=0, ge=0)
    seconds: float = Field(default=0.0, ge=0.0)
    usd: float | None = Field(default=None, ge=0.0, description="None: the price is not known")

    def __add__(self, other: Cost) -> Cost:
        usd = None if self.usd is None and other.usd is None else (self.usd or 0.0) + (other.usd or 0.0)
        return Cost(tokens_in=self.tokens_in + other.tokens_in, tokens_out=self.tokens_out + other.tokens_out,
                    pages=self.pages + other.pages, seconds=self.seconds + other.seconds, usd=usd)


class FieldResult(BaseModel):
    """The final value of one field path."""

    value: Any = None
    raw: str | None = None
    confidence: float = Field(default=0.0, ge=0.0, le=1.0)
    source: str | None = None
    evidence: list[Evidence] = Field(default_factory=list)
    issues: list[Issue] = Field(default_factory=list)


class PageInfo(BaseModel):
    """How one page was read."""

    index: int
    text_source: str
    words: int
    text_layer_usable: bool
    text_layer_reason: str | None = None


class ErrorInfo(BaseModel):
    """A failed result's error, as data."""

    type: str
    code: str
    message: str
    path: str | None = None


class ExtractionResult(BaseModel):
    """The result for one file.

    ``status`` is "ok" when every required field of the schema (nested models included) is at or above
    ``threshold``, no issue has severity "error" and the file did not need repair (``docextract.status``).
    Optional fields below the threshold are listed in ``unsure`` and withheld from ``data`` (unless
    ``keep_unsure``); their values stay in ``fields``."""

    model_config = ConfigDict(arbitrary_types_allowed=True, populate_by_name=True)

    file: str
    sha256: str | None = None
    schema_name: str = Field(serialization_alias="schema", validation_alias="schema")
    status: Status
    threshold: float
    data: Any = Field(default=None, description="the schema instance (a dict for a JSON Schema), or None")
    fields: dict[str, FieldResult] = Field(default_factory=dict)
    unsure: list[str] = Field(
        default_factory=list, description="optional fields below the threshold, withheld from data; sorted"
    )
    issues: list[Issue] = Field(default_factory=list)
    error: ErrorInfo | None = None
    pages: list[PageInfo] = Field(default_factory=list)
    timings: dict[str, float] = Field(default_factory=dict)
    cost: dict[str, Cost] = Field(default_factory=dict, description="per tier, summed over its calls")
    options_hash: str | None = Field(
        default=None, description="hash of the options that shape the output (not the password); --resume key"
    )

    @field_validator("cost", mode="before")
    @classmethod
    def _legacy_cost(cls, value: Any) -> Any:
        # Records written before costs were per tier hold a bare number (always 0.0); --resume reads them.
        return {} if isinstance(value, int | float) else value

    @classmethod
    def failed(
        cls,
        file: str | Path,
        schema_name: str,
        error: DocExtractError,
        threshold: float,
        *,
        sha256: str | None = None,
        options_hash: str | None = None,
    ) -> ExtractionResult:
        """The result for a file that could not be processed: status "failed", the typed error as data.

        ``sha256`` is passed in (``docextract.inputs.file_sha256`` reads it in chunks): this contract module
        reads no files.
        """
        return cls(
            file=str(file),
            sha256=sha256,
            schema_name=schema_name,
            status="failed",
            threshold=threshold,
            error=ErrorInfo(**error.to_dict()),
            options_hash=options_hash,
        )

    def to_json_dict(self) -> dict[str, Any]:
        """A plain JSON-able dict with the ``schema`` key; ``data`` dumped in JSON mode."""
        out = self.model_dump(mode="json", by_alias=True, exclude={"data"})
        data = self.data
        if isinstance(data, BaseModel):
            out["data"] = data.model_dump(mode="json")
        else:
            out["data"] = data
        return out

    def _repr_html_(self) -> str | None:
        return self._repr_mimebundle_().get("text/html")

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        if not _DISPLAY:
            return {"text/plain": repr(self)}
        return _DISPLAY[-1](self)


Display = Callable[[ExtractionResult], dict[str, str]]
# The notebook view sits above the contracts (it renders pages through the loaders), so it registers itself
# here when ``docextract`` is imported, rather than the result importing the view.
_DISPLAY: list[Display] = []


def register_display(render: Display) -> None:
    """Show results in Jupyter with ``render``, which returns a mime bundle (``{"text/plain": ..., "text/html":
    ...}``); the last one registered wins. ``docextract.notebook`` registers the page-image view."""
    _DISPLAY[:] = [render]
