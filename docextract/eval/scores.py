"""Verdicts and scores of one document's fields against its gold."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any, Literal

Verdict = Literal["correct", "wrong", "missing", "extra", "contradicted", "unverifiable"]
MatchKind = Literal["date", "amount", "identifier", "text", "code"]

DEFAULT_BINS = (0.0, 0.5, 0.8, 0.9, 0.95, 0.99, 1.0)
AMOUNT_TOLERANCE = Decimal("0.005")
# Two rows are aligned only when at least this similar; below it they are a missing and an extra row.
MIN_ROW_SIMILARITY = 0.5

IDENTIFIER_NAME = re.compile(r"(number|_no|_nr|_id|^id|iban|bic|reference)$")
ROW_PATH = re.compile(r"^([^\[\].]+)\[(\d+)\]\.(.+)$")
VERIFIABLE = frozenset({"correct", "wrong", "extra", "contradicted"})


@dataclass(frozen=True, slots=True)
class FieldScore:
    """One field of one document. ``field`` is the path without row numbers (``line_items[].quantity``),
    for aggregation; ``path`` names the predicted row (``line_items[2].quantity``), or for a gold row
    nothing was aligned to, the gold row (``line_items[gold 3].quantity``)."""

    path: str
    field: str
    match: MatchKind
    verdict: Verdict
    gold: Any = None
    predicted: Any = None
    confidence: float = 0.0
    similarity: float = 0.0

    @property
    def gold_present(self) -> bool:
        return self.verdict in ("correct", "wrong", "missing")

    @property
    def is_predicted(self) -> bool:
        return self.verdict != "missing"

    @property
    def correct(self) -> bool:
        return self.verdict in ("correct", "extra")

    @property
    def is_wrong(self) -> bool:
        return self.verdict in ("wrong", "contradicted")

    def accepted(self, threshold: float) -> bool:
        return self.is_predicted and self.confidence >= threshold


@dataclass(frozen=True, slots=True)
class TableScore:
    """Row alignment of one table: gold rows, predicted rows, rows aligned to a gold row."""

    path: str
    gold_rows: int
    predicted_rows: int
    matched_rows: int


@dataclass(slots=True)
class DocScore:
    """All field scores of one document, with its status and, where known, id and family."""

    doc_id: str
    family: str
    file: str
    status: str
    threshold: float
    fields: list[FieldScore] = field(default_factory=list)
    tables: list[TableScore] = field(default_factory=list)
    error: str | None = None

    def wrong_fields(self, threshold: float | None = None) -> list[FieldScore]:
        """Wrong fields present in the data; with a threshold, only those accepted at it."""
        return [f for f in self.fields if f.is_wrong and (threshold is None or f.accepted(threshold))]

    def to_dict(self, include_values: bool = False) -> dict[str, Any]:
        """JSON-able. Document values (gold, predicted) only with ``include_values``: they can be personal."""
        fields = []
        for f in self.fields:
            item: dict[str, Any] = {"path": f.path, "verdict": f.verdict, "confidence": f.confidence}
            if include_values:
                item.update(gold=_jsonable(f.gold), predicted=_jsonable(f.predicted))
            fields.append(item)
        return {"id": self.doc_id, "family": self.family, "file": self.file, "status": self.status,
                "error": self.error, "fields": fields, "tables": [asdict(t) for t in self.tables]}

    @property
    def ok_with_wrong(self) -> bool:
        return self.status == "ok" and bool(self.wrong_fields())

    @property
    def ok_with_wrong_accepted(self) -> bool:
        return self.status == "ok" and bool(self.wrong_fields(self.threshold))


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
