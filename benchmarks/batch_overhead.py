"""Per-file cost of isolated worker processes against in-process extraction, on generated one-page PDFs.

    python benchmarks/batch_overhead.py [--files 40] [--workers 1]

Reports wall time for the whole batch and per file, for ``isolate=False`` (one process) and for the worker
pool, with the tiers limited to ``rules`` so that the engine work is the same in both.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import pymupdf

from docextract.batch import run_batch
from docextract.options import ExtractOptions
from docextract.schema import resolve_schema


def make_pdfs(directory: Path, count: int) -> list[Path]:
    paths = []
    for i in range(count):
        doc = pymupdf.open()
        page = doc.new_page()
        page.insert_text((72, 90), f"Invoice No INV-{1000 + i}\nDate 2024-03-{1 + i % 28:02d}\nTotal {100 + i}.00 EUR")
        path = directory / f"inv{i:03d}.pdf"
        doc.save(path)
        doc.close()
        paths.append(path)
    return paths


def timed(paths: list[Path], workers: int, isolate: bool, tiers: tuple[str, ...]) -> float:
    opts = ExtractOptions(tiers=tiers)
    spec = resolve_schema("Invoice")
    t = time.perf_counter()
    results = list(run_batch(paths, spec, "Invoice", opts, workers=workers, isolate=isolate))
    elapsed = time.perf_counter() - t
    failed = sum(r.status == "failed" for r in results)
    if failed:
        print(f"  ({failed} failed: {next(r.error for r in results if r.error)})")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=40)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--tiers", default="rules")
    args = parser.parse_args()
    tiers = tuple(args.tiers.split(","))
    with tempfile.TemporaryDirectory() as tmp:
        paths = make_pdfs(Path(tmp), args.files)
        timed(paths[:2], 1, False, tiers)  # warm imports in this process, as a long-running caller would have
        inline = timed(paths, 1, False, tiers)
        pooled = timed(paths, args.workers, True, tiers)
        single = timed(paths[:1], 1, True, tiers)
    n = args.files
    print(f"in-process          {inline:6.2f} s  {inline / n * 1000:7.1f} ms/file")
    print(f"workers={args.workers:<2} isolated {pooled:6.2f} s  {pooled / n * 1000:7.1f} ms/file")
    print(f"per-file overhead   {(pooled - inline) / n * 1000:7.1f} ms/file (includes worker start-up)")
    print(f"one file, isolated  {single:6.2f} s  (start-up of one worker + one file)")



if __name__ == "__main__":
    main()
