"""Cross-validated figures of the learned confidence, against the hand-set scores of before, on held-out groups.

    python benchmarks/trust_cv.py                     # leave-one-family-out (invoices), 10 vendor folds (receipts)
    python benchmarks/trust_cv.py --fields --json cv.json

Folds are groups of documents: each invoice family is a fold of its own, receipt vendors are spread over
``--receipt-folds`` folds (GroupKFold). For each fold the model (regressions and calibration maps, see
``trust_fit.fit_model``) is fitted on the other folds' documents only, then the held-out documents are replayed
through the pipeline's choice, validation and scoring with it (``trust_replay``). "before" replays the same
harvest with the hand-set scores. Per kind of document (digital invoices, scanned invoices, receipts):
precision of accepted fields (confidence >= threshold), coverage (accepted / gold fields), accuracy, the share
of documents ``ok`` (every required field accepted, no error issue: Invoice invoice_number, issue_date,
seller.name, total_gross, currency; Receipt company, date, total), ``ok`` documents holding a wrong accepted
field, ECE (10 equal-width bins over every predicted value with gold) and a reliability table. Nothing is
printed but counts, field paths and rates.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from trust_data import DEFAULT_CACHE, DocRecord, load
from trust_fit import C, fit_model, rows_of
from trust_replay import Replay, replay

from docextract.trust.model import TrustModel

KINDS = ("invoice/digital", "invoice/scanned", "receipt")
VERIFIABLE = ("correct", "wrong", "extra", "contradicted")


def folds(records: Sequence[DocRecord], receipt_folds: int) -> list[set[str]]:
    """Sets of cross-validation groups: one per invoice family, ``receipt_folds`` of receipt vendors."""
    inv = sorted({r.group for r in records if r.kind == "invoice"})
    sizes: dict[str, int] = defaultdict(int)
    for r in records:
        if r.kind == "receipt":
            sizes[r.group] += 1
    bins: list[set[str]] = [set() for _ in range(receipt_folds)]
    load_ = [0] * receipt_folds
    for g in sorted(sizes, key=lambda g: (-sizes[g], g)):  # biggest first into the lightest fold (GroupKFold)
        i = load_.index(min(load_))
        bins[i].add(g)
        load_[i] += sizes[g]
    return [{g} for g in inv] + [b for b in bins if b]


def cross_validate(records: Sequence[DocRecord], receipt_folds: int = 10, c: float = C,
                   threshold: float = 0.8) -> list[Replay]:
    out: list[Replay] = []
    for held in folds(records, receipt_folds):
        train = [r for r in records if r.group not in held]
        model = TrustModel.from_dict(fit_model(rows_of(train), c))
        out.extend(replay(r, model, threshold) for r in records if r.group in held)
    return out


def metrics(replays: Sequence[Replay], threshold: float = 0.8) -> dict[str, Any]:
    """The figures of one kind of document."""
    gold = correct = acc_gold = accepted = acc_right = 0
    ok = ok_wrong = 0
    pairs: list[tuple[float, bool]] = []
    for rp in replays:
        wrong_accepted = False
        for f in rp.score.fields:
            is_acc = f.predicted is not None and f.confidence >= threshold
            if f.verdict in ("correct", "wrong", "missing"):
                gold += 1
                correct += f.verdict == "correct"
                acc_gold += is_acc and f.verdict != "missing"
            if f.verdict in ("correct", "wrong"):
                pairs.append((f.confidence, f.verdict == "correct"))
            if is_acc and f.verdict in VERIFIABLE:
                accepted += 1
                acc_right += f.verdict in ("correct", "extra")
                wrong_accepted |= f.verdict in ("wrong", "contradicted")
        if rp.status == "ok":
            ok += 1
            ok_wrong += wrong_accepted
    table = reliability(pairs)
    n = len(pairs)
    return {
        "documents": len(replays), "gold_fields": gold, "accepted": accepted,
        "precision": acc_right / accepted if accepted else None, "coverage": acc_gold / gold if gold else None,
        "accuracy": correct / gold if gold else None, "ok": ok / len(replays) if replays else None,
        "ok_docs": ok, "ok_with_wrong": ok_wrong / ok if ok else 0.0, "ok_with_wrong_docs": ok_wrong,
        "ece": sum(b["n"] * abs(b["accuracy"] - b["mean"]) for b in table) / n if n else None,
        "reliability": table,
    }


def reliability(pairs: Sequence[tuple[float, bool]], bins: int = 10) -> list[dict[str, Any]]:
    cells: dict[int, list[tuple[float, bool]]] = defaultdict(list)
    for p, ok in pairs:
        cells[min(int(p * bins), bins - 1)].append((p, ok))
    return [{"bin": f"[{i / bins:.1f}, {(i + 1) / bins:.1f})", "n": len(v),
             "accuracy": sum(o for _, o in v) / len(v), "mean": sum(p for p, _ in v) / len(v)}
            for i, v in sorted(cells.items())]


def per_field(replays: Sequence[Replay], threshold: float = 0.8) -> dict[str, dict[str, float | None]]:
    acc: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])  # gold, correct, accepted, right, with gold
    for rp in replays:
        for f in rp.score.fields:
            a = acc[f.field]
            is_acc = f.predicted is not None and f.confidence >= threshold
            if f.verdict in ("correct", "wrong", "missing"):
                a[0] += 1
                a[1] += f.verdict == "correct"
            if is_acc and f.verdict in VERIFIABLE:
                a[2] += 1
                a[3] += f.verdict in ("correct", "extra")
                a[4] += f.verdict in ("correct", "wrong")
    return {k: {"gold": a[0], "precision": a[3] / a[2] if a[2] else None,
                "coverage": a[4] / a[0] if a[0] else None, "accuracy": a[1] / a[0] if a[0] else None}
            for k, a in sorted(acc.items())}


def _f(v: float | None) -> str:
    return "   -  " if v is None else f"{v:6.3f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--receipt-folds", type=int, default=10)
    parser.add_argument("--threshold", type=float, default=0.8)
    parser.add_argument("--c", type=float, default=C)
    parser.add_argument("--fields", action="store_true", help="also the per-field table")
    parser.add_argument("--json", type=Path, help="write every figure here")
    args = parser.parse_args(argv)
    records = load(args.cache)
    before = [replay(r, None, args.threshold) for r in records]
    after = cross_validate(records, args.receipt_folds, args.c, args.threshold)
    report: dict[str, Any] = {}
    print(f"{'kind':16} {'':6} {'docs':>5} {'prec':>6} {'cover':>6} {'acc':>6} {'ok':>6} {'okWrong':>7} {'ECE':>6}")
    for kind in KINDS:
        for name, reps in (("before", before), ("after", after)):
            sel = [r for r in reps if r.record.doc_kind == kind]
            m = metrics(sel, args.threshold)
            m["fields"] = per_field(sel, args.threshold)
            report.setdefault(kind, {})[name] = m
            print(f"{kind:16} {name:6} {m['documents']:5} {_f(m['precision'])} {_f(m['coverage'])} "
                  f"{_f(m['accuracy'])} {_f(m['ok'])} {_f(m['ok_with_wrong'])} {_f(m['ece'])}"
                  f"   ({m['ok_with_wrong_docs']}/{m['ok_docs']} ok wrong, {m['accepted']} accepted)")
    for kind in KINDS:
        print(f"\nreliability after, {kind}:  bin  n  accuracy  mean score")
        for b in report[kind]["after"]["reliability"]:
            print(f"  {b['bin']:12} {b['n']:5} {b['accuracy']:6.3f} {b['mean']:6.3f}")
    if args.fields:
        for kind in KINDS:
            print(f"\nper field, {kind}: gold  precision before/after  coverage before/after  accuracy before/after")
            fb, fa = report[kind]["before"]["fields"], report[kind]["after"]["fields"]
            for path in sorted(set(fb) | set(fa)):
                b, a = fb.get(path, {}), fa.get(path, {})
                pairs = [f"{_f(b.get(k))}/{_f(a.get(k))}" for k in ("precision", "coverage", "accuracy")]
                print(f"  {path:28} {a.get('gold', 0):4} " + " ".join(pairs))
    if args.json:
        args.json.write_text(json.dumps(report, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
