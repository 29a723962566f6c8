"""Field accuracy, coverage, precision and calibration of docextract on the labelled sets.

    python benchmarks/accuracy.py --variant digital
    python benchmarks/accuracy.py --variant image --split all      # dev | calib | all (default: dev)
    python benchmarks/accuracy.py --variant all --threshold 0.9 --json accuracy.json
    python benchmarks/accuracy.py --variant scanned --show-errors     # developers only: prints values

The development set lives outside the repository (``../shared/data`` next to it, or ``--data DIR``); see
its README. Nothing from the documents is printed except with ``--show-errors``: the tables hold counts,
field paths, document ids and families only.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

import docextract
from docextract.eval import DocScore, Report, compare, expected_calibration_error, summarise
from docextract.inputs import file_sha256
from docextract.result import ErrorInfo, ExtractionResult
from docextract.schema import SchemaSpec, resolve_schema

VARIANTS = ("digital", "scanned", "xml", "image")
DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
SCHEMA_OF_KIND = {"invoice": "Invoice", "receipt": "Receipt"}


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.1f}%"


SPLITS = ("dev", "calib")


def load_manifest(data: Path, split: str = "dev") -> list[tuple[Path, dict[str, Any]]]:
    """(folder, entry) for every document of ``split`` ("dev", "calib" or "all"): variant paths are relative
    to their own split's folder. Exits with a message when the data is not there."""
    out: list[tuple[Path, dict[str, Any]]] = []
    for name in SPLITS if split == "all" else (split,):
        folder = data / name
        manifest = folder / "manifest.json"
        if not manifest.is_file():
            sys.exit(f"no {name} data at {folder} (expected manifest.json); pass --data DIR")
        out.extend((folder, e) for e in json.loads(manifest.read_text(encoding="utf-8"))["documents"])
    return out


def run_variant(
    entries: list[tuple[Path, dict[str, Any]]], variant: str, options: dict[str, Any], show_errors: bool,
    console: Console,
) -> tuple[list[DocScore], list[float], list[str]]:
    """Extract every document that has ``variant`` and score it. Returns scores, seconds per file, and the
    exception type names of files that raised something other than a DocExtractError (bugs).
    ``options`` are ExtractOptions keywords (threshold, tiers)."""
    threshold = float(options["threshold"])
    specs: dict[str, SchemaSpec] = {}
    scores: list[DocScore] = []
    seconds: list[float] = []
    crashes: list[str] = []
    for folder, entry in entries:
        rel = entry["variants"].get(variant)
        if rel is None:
            continue
        schema = SCHEMA_OF_KIND[entry["kind"]]
        spec = specs.setdefault(schema, resolve_schema(schema))
        path = folder / rel
        t0 = time.perf_counter()
        result: ExtractionResult
        try:
            result = docextract.extract(path, schema=spec, **options)
        except docextract.DocExtractError as exc:
            result = ExtractionResult.failed(path, schema, exc, threshold, sha256=file_sha256(path))
        except Exception as exc:  # a bug in the pipeline: record it and go on with the rest
            crashes.append(type(exc).__name__)
            if show_errors:
                console.print(f"[red]{entry['id']}: unexpected {type(exc).__name__}[/red]")
                console.print(traceback.format_exc(), markup=False, highlight=False)
            result = ExtractionResult(file=str(path), schema_name=schema, status="failed",
                                      threshold=threshold,
                                      error=ErrorInfo(type=type(exc).__name__, code="bug", message="unexpected"))
        seconds.append(time.perf_counter() - t0)
        scores.append(compare(result, entry, spec))
    return scores, seconds, crashes


def fields_table(report: Report, title: str) -> Table:
    table = Table(title=title, title_justify="left")
    for col in ("field", "gold", "predicted", "correct", "accuracy", "accepted", "coverage", "precision",
                "wrong", "extra", "unverif.", "text sim."):
        table.add_column(col, justify="left" if col == "field" else "right")
    rows = [*report.fields.items(), ("ALL", report.overall)]
    for name, a in rows:
        table.add_row(
            name, str(a.gold), str(a.predicted), str(a.correct), _pct(a.accuracy), str(a.accepted),
            _pct(a.coverage), _pct(a.precision), str(a.wrong), str(a.extra), str(a.unverifiable),
            "-" if a.mean_similarity is None else f"{a.mean_similarity:.2f}",
            end_section=name == list(report.fields)[-1] if report.fields else False,
        )
    return table


def families_table(report: Report, scores: list[DocScore], title: str) -> Table:
    table = Table(title=title, title_justify="left")
    for col in ("family", "docs", "ok", "review", "failed", "gold", "accuracy", "coverage", "precision", "wrong"):
        table.add_column(col, justify="left" if col == "family" else "right")
    for family, a in report.families.items():
        docs = [d for d in scores if d.family == family]
        count = {s: sum(d.status == s for d in docs) for s in ("ok", "review", "failed")}
        table.add_row(family, str(len(docs)), str(count["ok"]), str(count["review"]), str(count["failed"]),
                      str(a.gold), _pct(a.accuracy), _pct(a.coverage), _pct(a.precision), str(a.wrong))
    return table


def calibration_rich(report: Report, title: str) -> Table:
    table = Table(title=title, title_justify="left")
    for col in ("confidence", "n", "correct", "accuracy", "mean conf."):
        table.add_column(col, justify="right")
    for b in report.calibration:
        closing = "]" if b is report.calibration[-1] else ")"
        table.add_row(f"[{b.lo:.2f}, {b.hi:.2f}{closing}", str(b.n), str(b.correct), _pct(b.accuracy),
                      "-" if b.mean_confidence is None else f"{b.mean_confidence:.3f}")
    ece = expected_calibration_error(report.calibration)
    table.caption = f"expected calibration error: {'-' if ece is None else f'{ece:.3f}'}"
    return table


def print_report(
    console: Console, variant: str, report: Report, scores: list[DocScore], seconds: list[float], crashes: list[str]
) -> None:
    console.rule(f"variant: {variant}")
    status = ", ".join(f"{k} {v}" for k, v in report.status.items())
    mean_s = sum(seconds) / len(seconds) if seconds else 0.0
    console.print(f"{report.documents} documents ({status}); threshold {report.threshold}; {mean_s:.2f} s/document")
    if crashes:
        console.print(f"[red]{len(crashes)} file(s) raised unexpected exceptions: {', '.join(sorted(set(crashes)))} "
                      "(run with --show-errors for tracebacks)[/red]")
    console.print(fields_table(report, "Per field (accuracy = correct/gold; coverage = accepted/gold; "
                                       "precision = correct accepted/accepted)"))
    console.print(families_table(report, scores, "Per family"))
    for t in report.tables.values():
        console.print(f"table {t.path}: {t.gold_rows} gold rows, {t.predicted_rows} predicted, "
                      f"{t.matched_rows} aligned")
    console.print(calibration_rich(report, "Calibration (verifiable predictions)"))
    bad = report.ok_with_wrong
    console.print(f"documents marked ok with a wrong field: {len(bad)} "
                  f"(with a wrong accepted field: {len(report.ok_with_wrong_accepted)})")
    for doc_id, paths in bad.items():
        strict = " [red]accepted[/red]" if doc_id in report.ok_with_wrong_accepted else ""
        console.print(f"  {doc_id}: {', '.join(paths)}{strict}")
    n_unverif = sum(len(v) for v in report.unverifiable.values())
    console.print(f"unverifiable predictions (no gold, no gold_full): {n_unverif}")


def print_errors(console: Console, scores: list[DocScore]) -> None:
    """Developer mode: every wrong, missing or contradicted field with expected and predicted values."""
    table = Table(title="Errors (contains document values: do not share)", title_justify="left")
    for col in ("document", "field", "verdict", "conf.", "expected", "got"):
        table.add_column(col)
    for doc in scores:
        if doc.error:
            table.add_row(doc.doc_id, "-", f"failed: {doc.error}", "", "", "")
        for f in doc.fields:
            if f.verdict in ("wrong", "missing", "contradicted"):
                table.add_row(doc.doc_id, f.path, f.verdict, f"{f.confidence:.2f}", repr(f.gold),
                              "" if f.verdict == "missing" else repr(f.predicted))
    console.print(table)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder holding dev/ and calib/")
    parser.add_argument("--split", choices=(*SPLITS, "all"), default="dev",
                        help="which labelled set to run (calib: more documents of unseen vendors)")
    parser.add_argument("--variant", choices=(*VARIANTS, "all"), default="digital")
    parser.add_argument("--threshold", type=float, default=0.8)
    parser.add_argument("--json", type=Path, help="write the reports (no document values) to this file")
    parser.add_argument("--show-errors", action="store_true", help="print expected vs got values (developers)")
    parser.add_argument("--tiers", help="comma-separated tiers to run (default: the library's default)")
    parser.add_argument("--only", help="only documents whose id contains this text")
    args = parser.parse_args(argv)

    entries = load_manifest(args.data, args.split)
    if args.only:
        entries = [(d, e) for d, e in entries if args.only in e["id"]]
    console = Console()
    if not console.is_terminal:  # piped to a file: do not squeeze the tables into 80 columns
        console = Console(width=180)
    out: dict[str, Any] = {}
    options: dict[str, Any] = {"threshold": args.threshold}
    if args.tiers:
        options["tiers"] = tuple(t.strip() for t in args.tiers.split(",") if t.strip())
    for variant in VARIANTS if args.variant == "all" else (args.variant,):
        scores, seconds, crashes = run_variant(entries, variant, options, args.show_errors, console)
        if not scores:
            console.print(f"variant {variant}: no documents")
            continue
        report = summarise(scores, args.threshold)
        print_report(console, variant, report, scores, seconds, crashes)
        if args.show_errors:
            print_errors(console, scores)
        out[variant] = {**report.to_dict(), "seconds_per_document": sum(seconds) / len(seconds),
                        "unexpected_exceptions": crashes,
                        "documents": [d.to_dict(include_values=args.show_errors) for d in scores]}
    if args.json:
        args.json.write_text(json.dumps(out, indent=2), encoding="utf-8")
        console.print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
