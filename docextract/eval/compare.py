"""One result against its gold: scalar fields, then list fields row-aligned."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from docextract.eval.matching import gold_value, match_kind, score_value, similarity, values_match
from docextract.eval.scores import MIN_ROW_SIMILARITY, ROW_PATH, DocScore, FieldScore, TableScore
from docextract.result import ExtractionResult
from docextract.schema import SchemaSpec, TableSpec

# ---------------------------------------------------------------------------------------------------------
# Tables


def _predicted_rows(result: ExtractionResult, table: str) -> list[dict[str, tuple[Any, float]]]:
    rows: dict[int, dict[str, tuple[Any, float]]] = {}
    for path, fr in result.fields.items():
        m = ROW_PATH.match(path)
        if m and m.group(1) == table and fr.value is not None:
            rows.setdefault(int(m.group(2)), {})[m.group(3)] = (fr.value, fr.confidence)
    return [rows[i] for i in sorted(rows)]


def row_similarity(table: TableSpec, gold_row: Mapping[str, Any], pred_row: Mapping[str, Any]) -> float:
    """How alike a predicted row is to a gold row, 0..1: half the text similarity of their descriptions,
    half the share of other fields both have that match (either alone when the other is absent)."""
    texts, others = [], []
    for spec in table.item_fields:
        g = gold_value(gold_row, spec.path)
        p = pred_row.get(spec.path)
        if g is None or p is None:
            continue
        kind = match_kind(spec)
        if kind == "text":
            texts.append(similarity(g, p))
        else:
            others.append(float(values_match(kind, g, p)))
    parts = [sum(x) / len(x) for x in (texts, others) if x]
    return sum(parts) / len(parts) if parts else 0.0


def align_rows(
    table: TableSpec, gold_rows: Sequence[Mapping[str, Any]], pred_rows: Sequence[Mapping[str, Any]]
) -> list[tuple[int, int]]:
    """Order-preserving alignment of predicted rows to gold rows maximising the summed row similarity
    (pairs below MIN_ROW_SIMILARITY are never aligned). Returns ``(gold_index, pred_index)`` pairs."""
    n, m = len(gold_rows), len(pred_rows)
    sim = [[row_similarity(table, g, p) for p in pred_rows] for g in gold_rows]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            take = sim[i][j] + best[i + 1][j + 1] if sim[i][j] >= MIN_ROW_SIMILARITY else -1.0
            best[i][j] = max(take, best[i + 1][j], best[i][j + 1])
    pairs, i, j = [], 0, 0
    while i < n and j < m:
        if sim[i][j] >= MIN_ROW_SIMILARITY and best[i][j] == sim[i][j] + best[i + 1][j + 1]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


def _pair_leftovers(
    table: TableSpec,
    gold_rows: Sequence[Mapping[str, Any]],
    pred_rows: Sequence[Mapping[str, Any]],
    pairs: list[tuple[int, int]],
) -> list[tuple[int, int]]:
    """Pair the rows the in-order alignment left over, best match first: the order of rows is not a field,
    and a source may list a line elsewhere than the page prints it."""
    free_gold = set(range(len(gold_rows))) - {i for i, _ in pairs}
    free_pred = set(range(len(pred_rows))) - {j for _, j in pairs}
    ranked = sorted(
        ((row_similarity(table, gold_rows[i], pred_rows[j]), i, j) for i in free_gold for j in free_pred),
        reverse=True,
    )
    extra: list[tuple[int, int]] = []
    for sim, i, j in ranked:
        if sim >= MIN_ROW_SIMILARITY and i in free_gold and j in free_pred:
            extra.append((i, j))
            free_gold.discard(i)
            free_pred.discard(j)
    return extra


def _rows(value: Any) -> list[Mapping[str, Any]]:
    return [r for r in value if isinstance(r, Mapping)] if isinstance(value, list) else []


def _score_table(
    table: TableSpec, result: ExtractionResult, gold: Mapping[str, Any], full: Mapping[str, Any] | None
) -> tuple[list[FieldScore], TableScore | None]:
    gold_rows = _rows(gold_value(gold, table.path))
    full_rows = _rows(gold_value(full, table.path))
    pred = _predicted_rows(result, table.path)
    has_gold = gold_value(gold, table.path) is not None
    if not has_gold and not pred:
        return [], None
    pred_values = [{k: v for k, (v, _) in row.items()} for row in pred]
    pairs = align_rows(table, gold_rows, pred_values) if has_gold else []
    pairs += _pair_leftovers(table, gold_rows, pred_values, pairs)
    # Cells the gold row leaves out, and predicted rows with no gold row, are checked against gold_full.
    gold_to_full = dict(align_rows(table, gold_rows, full_rows))
    used_full = set(gold_to_full.values())
    free_full = [k for k in range(len(full_rows)) if k not in used_full]
    matched_pred = {j for _, j in pairs}
    extra_pred = [j for j in range(len(pred)) if j not in matched_pred]
    extra_to_full = {extra_pred[b]: free_full[a] for a, b in
                     align_rows(table, [full_rows[k] for k in free_full], [pred_values[j] for j in extra_pred])}
    scores: list[FieldScore] = []
    by_pred = {j: i for i, j in pairs}
    for j, row in enumerate(pred):
        g_row = gold_rows[by_pred[j]] if j in by_pred else {}
        f_idx = gold_to_full.get(by_pred[j]) if j in by_pred else extra_to_full.get(j)
        f_row: Mapping[str, Any] | None = full_rows[f_idx] if f_idx is not None else None
        for spec in table.item_fields:
            g = gold_value(g_row, spec.path)
            value, conf = row.get(spec.path, (None, 0.0))
            if g is None and value is None:
                continue
            path, generic = f"{table.path}[{j}].{spec.path}", f"{table.path}[].{spec.path}"
            if j not in by_pred and f_row is None and full_rows:
                # gold_full lists every line of the source, and this predicted row is not among them.
                scores.append(FieldScore(path, generic, match_kind(spec), "contradicted", None, value, conf))
                continue
            scores.append(score_value(path, generic, match_kind(spec), gold=g, full=gold_value(f_row, spec.path),
                                       pred=value, conf=conf))
    for i, g_row in enumerate(gold_rows):
        if i in {gi for gi, _ in pairs}:
            continue
        for spec in table.item_fields:
            g = gold_value(g_row, spec.path)
            if g is not None:
                scores.append(FieldScore(f"{table.path}[gold {i}].{spec.path}", f"{table.path}[].{spec.path}",
                                         match_kind(spec), "missing", gold=g))
    return scores, TableScore(table.path, len(gold_rows), len(pred), len(pairs))


# ---------------------------------------------------------------------------------------------------------
# One document


def compare(
    result: ExtractionResult,
    gold: Mapping[str, Any],
    spec: SchemaSpec,
    *,
    gold_full: Mapping[str, Any] | None = None,
    doc_id: str | None = None,
    family: str | None = None,
) -> DocScore:
    """Score one extraction result against its gold record.

    Args:
        result: what ``docextract.extract`` returned (a failed result scores every gold field missing).
        gold: the gold values; or a manifest entry / gold file (``{"id", "family", "gold", "gold_full"}``),
            whose parts then fill ``gold_full``, ``doc_id`` and ``family``.
        spec: the schema the result was extracted into (``resolve_schema("Invoice")``).
        gold_full: everything the source says, used only where ``gold`` is silent.
        doc_id: a name for reports; default: the result's file name.
        family: a group for reports (the manifest's ``family``); default: ``"-"``.

    Returns:
        DocScore with one FieldScore per field that has a gold value or a prediction.
    """
    if isinstance(gold.get("gold"), Mapping):
        gold_full = gold_full if gold_full is not None else gold.get("gold_full")
        doc_id = doc_id or gold.get("id")
        family = family or gold.get("family")
        gold = gold["gold"]
    scores: list[FieldScore] = []
    for fspec in spec.fields:
        fr = result.fields.get(fspec.path)
        pred = fr.value if fr is not None else None
        g = gold_value(gold, fspec.path)
        if g is None and pred is None:
            continue
        conf = fr.confidence if fr is not None else 0.0
        scores.append(score_value(fspec.path, fspec.path, match_kind(fspec), gold=g,
                                   full=gold_value(gold_full, fspec.path), pred=pred, conf=conf))
    tables: list[TableScore] = []
    for tspec in spec.tables:
        cells, table = _score_table(tspec, result, gold, gold_full)
        scores.extend(cells)
        if table is not None:
            tables.append(table)
    name = result.file.replace("\\", "/").rsplit("/", 1)[-1]
    return DocScore(
        doc_id=str(doc_id or name), family=str(family or "-"), file=name, status=result.status,
        threshold=result.threshold, fields=scores, tables=tables,
        error=result.error.type if result.error is not None else None,
    )
