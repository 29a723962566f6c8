"""Line-item extraction against gold: cell accuracy, precision of confident cells, detect_tables speed.

Runs the real loader (``docextract.load.open_document``), the real layout (``HeuristicLayout``, which
calls ``detect_tables``) and the rules tier's table reader (``table_candidates``) on the dev invoices, and
scores description, quantity, unit_price and line_total with ``docextract.eval``'s row alignment and
matching rules. Prints counts and document ids only; ``--show`` adds predicted and gold values (personal
data of real invoices: a developer's terminal only).

    .venv/bin/python benchmarks/line_items.py                       # digital dev invoices
    .venv/bin/python benchmarks/line_items.py --variant scanned     # through OCR (slow)
    .venv/bin/python benchmarks/line_items.py --show --only fnfe
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import time
from pathlib import Path
from typing import Any

from docextract.eval import align_rows, gold_value, match_kind, row_similarity, values_match
from docextract.layout.heuristic import HeuristicLayout
from docextract.layout.tables import detect_tables
from docextract.load import open_document
from docextract.options import ExtractOptions
from docextract.schema import resolve_schema
from docextract.tiers.rules.tables.candidates import table_candidates

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "dev"
FIELDS = ("description", "quantity", "unit_price", "line_total")
SURE = 0.8
_ROW = re.compile(r"^line_items\[(\d+)\]\.(\w+)$")


def _ocr(doc: Any, options: ExtractOptions) -> None:
    from docextract.ocr.apply import apply_ocr

    apply_ocr(doc, options)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--variant", default="digital", choices=["digital", "scanned"])
    ap.add_argument("--only", default="")
    ap.add_argument("--show", action="store_true")
    ap.add_argument("--reps", type=int, default=5, help="detect_tables repetitions per page for timing")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    spec = resolve_schema("Invoice")
    tspec = spec.table("line_items")
    assert tspec is not None
    options = ExtractOptions()
    layout = HeuristicLayout()
    tot = {"gold": 0, "correct": 0, "sure": 0, "sure_ok": 0, "pred_rows": 0, "gold_rows": 0}
    per_field = {f: {"gold": 0, "correct": 0, "sure": 0, "sure_ok": 0} for f in FIELDS}
    per_doc: dict[str, str] = {}
    page_ms: list[float] = []
    for pdf in sorted((DATA / "invoices" / args.variant).glob("*.pdf")):
        doc_id = pdf.stem.rsplit("__", 1)[0]
        if args.only and args.only not in doc_id:
            continue
        gold_file = json.loads((DATA / "gold" / f"{doc_id}.json").read_text())
        gold_rows = gold_value(gold_file["gold"], "line_items") or []
        doc = open_document(pdf, options)
        if args.variant == "scanned":
            _ocr(doc, options)
        for page in doc.pages:
            layout.analyze(page, doc)
            t0 = time.perf_counter()
            for _ in range(args.reps):
                detect_tables(page)
            page_ms.append((time.perf_counter() - t0) / args.reps * 1000)
        cands, _ = table_candidates(doc, tspec, options)
        rows: dict[int, dict[str, tuple[Any, float]]] = {}
        for c in cands:
            m = _ROW.match(c.path)
            if m and m.group(2) in FIELDS:
                rows.setdefault(int(m.group(1)), {})[m.group(2)] = (c.value, c.score)
        pred = [rows[i] for i in sorted(rows)]
        values = [{k: v for k, (v, _) in r.items()} for r in pred]
        pairs = align_rows(tspec, gold_rows, values)
        # A row the page prints elsewhere than the gold lists it (an add-on fee listed last) is still that
        # row: leftovers are paired out of order, best similarity first.
        free_g = set(range(len(gold_rows))) - {i for i, _ in pairs}
        free_p = set(range(len(values))) - {j for _, j in pairs}
        for sim, i, j in sorted(((row_similarity(tspec, gold_rows[i], values[j]), i, j)
                                 for i in free_g for j in free_p), reverse=True):
            if sim >= 0.5 and i in free_g and j in free_p:
                pairs.append((i, j))
                free_g.discard(i)
                free_p.discard(j)
        kinds = {f.path: match_kind(f) for f in tspec.item_fields}
        by_pred = {j: i for i, j in pairs}
        n_gold = sum(1 for g in gold_rows for f in FIELDS if g.get(f) is not None)
        for f in FIELDS:
            per_field[f]["gold"] += sum(1 for g in gold_rows if g.get(f) is not None)
        correct = sure = sure_ok = 0
        for j, row in enumerate(pred):
            g = gold_rows[by_pred[j]] if j in by_pred else {}
            for f, (v, s) in row.items():
                ok = g.get(f) is not None and values_match(kinds[f], g[f], v)
                correct += ok
                per_field[f]["correct"] += ok
                if s >= SURE and (g.get(f) is not None or j not in by_pred):
                    sure += 1
                    sure_ok += ok
                    per_field[f]["sure"] += 1
                    per_field[f]["sure_ok"] += ok
                if args.show and not ok:
                    print(f"  {doc_id[:30]} [{j}].{f} pred={v!r} ({s:.2f}) gold={g.get(f)!r}")
        if args.show:
            for i, g in enumerate(gold_rows):
                if i not in {gi for gi, _ in pairs}:
                    print(f"  {doc_id[:30]} missing gold row {i}: {[g.get(f) for f in FIELDS]}")
        for k, v in (("gold", n_gold), ("correct", correct), ("sure", sure), ("sure_ok", sure_ok),
                     ("pred_rows", len(pred)), ("gold_rows", len(gold_rows))):
            tot[k] += v
        per_doc[doc_id] = f"{correct}/{n_gold} rows {len(pred)}/{len(gold_rows)} sure {sure_ok}/{sure}"
        print(f"{doc_id[:60]:60s} {per_doc[doc_id]}")
    acc = tot["correct"] / max(1, tot["gold"])
    prec = tot["sure_ok"] / max(1, tot["sure"])
    for f, n in per_field.items():
        print(f"  {f:12s} right {n['correct']}/{n['gold']}; >= {SURE}: {n['sure_ok']}/{n['sure']} right")
    med = statistics.median(page_ms) if page_ms else 0.0
    print(f"\naccuracy {tot['correct']}/{tot['gold']} = {acc:.3f}; rows {tot['pred_rows']} predicted vs "
          f"{tot['gold_rows']} gold; cells >= {SURE}: {tot['sure_ok']}/{tot['sure']} right = {prec:.3f}")
    print(f"detect_tables ms/page: median {med:.2f}, mean {statistics.fmean(page_ms):.2f}, "
          f"max {max(page_ms):.2f} over {len(page_ms)} pages")
    if args.json:
        args.json.write_text(json.dumps({"totals": tot, "per_field": per_field, "per_doc": per_doc,
                                         "ms_per_page": page_ms}, indent=1))


if __name__ == "__main__":
    main()
