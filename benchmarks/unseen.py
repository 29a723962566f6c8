"""How the extractor does on invoice layouts it was not developed on (``tests/support/unseen_gen.py``).

    python benchmarks/unseen.py                       # digital and scanned
    python benchmarks/unseen.py --variant digital --seeds 6
    python benchmarks/unseen.py --layout de_craft --show-errors

The documents are generated into a temporary folder (seeds 0..N-1 of every layout; the first
``--scanned`` seeds of every layout also as degraded scans) and scored with ``docextract.eval``.
A field the page does not print (a due date on "Zahlbar innerhalb 14 Tagen") counts as wrong when a
value is read for it. The values are synthetic, so ``--show-errors`` prints them.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import docextract
from benchmarks.accuracy import print_errors
from docextract.eval import DocScore, compare, summarise
from docextract.schema import resolve_schema
from tests.support.unseen_gen import LAYOUTS, make_invoice, render, scan


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.1f}%"


def run(variant: str, layouts: list[str], seeds: int, folder: Path, threshold: float) -> list[DocScore]:
    """Generate, extract and score the documents of one variant."""
    spec = resolve_schema("Invoice")
    scores = []
    for layout in layouts:
        for seed in range(seeds):
            inv = make_invoice(layout, seed)
            pdf = render(inv)
            if variant == "scanned":
                pdf = scan(pdf, seed)
            path = folder / f"{layout}-{seed}-{variant}.pdf"
            path.write_bytes(pdf)
            result = docextract.extract(path, schema=spec, threshold=threshold)
            scores.append(compare(result, inv.gold(), spec, gold_full=inv.gold_full(),
                                  doc_id=f"{layout}-{seed}", family=layout))
    return scores


def report(console: Console, variant: str, scores: list[DocScore], threshold: float, seconds: float,
           show_errors: bool) -> None:
    rep = summarise(scores, threshold)
    console.rule(f"unseen layouts: {variant}")
    status = ", ".join(f"{k} {v}" for k, v in rep.status.items())
    console.print(f"{rep.documents} documents ({status}); {seconds / max(1, rep.documents):.2f} s/document")
    table = Table(title="Per field (coverage = accepted/gold; precision = correct accepted/accepted)",
                  title_justify="left")
    for col in ("field", "gold", "correct", "accepted", "coverage", "precision", "wrong", "wrong accepted"):
        table.add_column(col, justify="left" if col == "field" else "right")

    def wrong_acc(field: str | None) -> int:
        return sum(1 for d in scores for f in d.fields if (field is None or f.field == field) and f.is_wrong
                   and f.accepted(threshold))

    for name, a in [*rep.fields.items(), ("ALL", rep.overall)]:
        table.add_row(name, str(a.gold), str(a.correct), str(a.accepted), _pct(a.coverage), _pct(a.precision),
                      str(a.wrong), str(wrong_acc(None if name == "ALL" else name)), end_section=name == "amount_due")
    console.print(table)
    fam = Table(title="Per layout", title_justify="left")
    for col in ("layout", "docs", "ok", "coverage", "precision", "wrong accepted"):
        fam.add_column(col, justify="left" if col == "layout" else "right")
    for family, a in rep.families.items():
        docs = [d for d in scores if d.family == family]
        bad = sum(1 for d in docs for f in d.fields if f.is_wrong and f.accepted(threshold))
        fam.add_row(family, str(len(docs)), str(sum(d.status == "ok" for d in docs)), _pct(a.coverage),
                    _pct(a.precision), str(bad))
    console.print(fam)
    console.print(f"documents ok with a wrong field: {len(rep.ok_with_wrong)} "
                  f"(with a wrong accepted field: {len(rep.ok_with_wrong_accepted)})")
    for doc_id, paths in rep.ok_with_wrong.items():
        console.print(f"  {doc_id}: {', '.join(paths)}")
    if show_errors:
        print_errors(console, scores)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--variant", choices=("digital", "scanned", "all"), default="all")
    parser.add_argument("--seeds", type=int, default=4, help="digital documents per layout")
    parser.add_argument("--scanned", type=int, default=2, help="scanned documents per layout")
    parser.add_argument("--layout", action="append", choices=LAYOUTS, help="only these layouts")
    parser.add_argument("--threshold", type=float, default=0.8)
    parser.add_argument("--show-errors", action="store_true")
    parser.add_argument("--scalars", action="store_true", help="leave line items out of the scores")
    args = parser.parse_args(argv)
    console = Console() if Console().is_terminal else Console(width=160)
    layouts = args.layout or list(LAYOUTS)
    with tempfile.TemporaryDirectory() as tmp:
        for variant in ("digital", "scanned") if args.variant == "all" else (args.variant,):
            t0 = time.perf_counter()
            n = args.seeds if variant == "digital" else args.scanned
            scores = run(variant, layouts, n, Path(tmp), args.threshold)
            if args.scalars:
                for d in scores:
                    d.fields = [f for f in d.fields if "[" not in f.path]
            report(console, variant, scores, args.threshold, time.perf_counter() - t0, args.show_errors)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
