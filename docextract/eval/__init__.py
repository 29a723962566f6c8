"""Predictions against gold data: per-field correctness, coverage at a threshold, calibration.

A gold record is a mapping of the schema's fields (nested ``seller: {name}`` or flat ``seller_name``,
dates ISO, amounts numbers, ``line_items`` a list of row mappings). ``gold_full`` is what the source says
beyond the visible page; it can contradict a prediction where the gold is silent, never confirm a
missing one.

Every (field, document) pair gets one verdict:

- ``correct`` / ``wrong``: the gold has a value and we predicted one that matches / does not;
- ``missing``: the gold has a value and we predicted nothing;
- ``extra``: the gold is silent, ``gold_full`` agrees with the prediction;
- ``contradicted``: the gold is silent, ``gold_full`` disagrees (a wrong field all the same);
- ``unverifiable``: the gold is silent and ``gold_full`` says nothing either.

Definitions used in reports (``accepted`` = confidence >= threshold):

- accuracy  = correct / gold present
- coverage  = accepted predictions where gold is present / gold present
- precision = correct accepted / accepted, over verifiable verdicts (correct, wrong, extra, contradicted)
"""

from __future__ import annotations

from docextract.eval.compare import align_rows, compare, row_similarity
from docextract.eval.matching import (
    gold_value,
    match_kind,
    normalise_identifier,
    normalise_text,
    similarity,
    to_decimal,
    to_iso_date,
    values_match,
)
from docextract.eval.report import (
    Aggregate,
    CalibrationBin,
    Report,
    calibration_table,
    expected_calibration_error,
    summarise,
)
from docextract.eval.scores import DEFAULT_BINS, DocScore, FieldScore, MatchKind, TableScore, Verdict

__all__ = [
    "DEFAULT_BINS",
    "Aggregate",
    "CalibrationBin",
    "DocScore",
    "FieldScore",
    "MatchKind",
    "Report",
    "TableScore",
    "Verdict",
    "align_rows",
    "calibration_table",
    "compare",
    "expected_calibration_error",
    "gold_value",
    "match_kind",
    "normalise_identifier",
    "normalise_text",
    "row_similarity",
    "similarity",
    "summarise",
    "to_decimal",
    "to_iso_date",
    "values_match",
]
