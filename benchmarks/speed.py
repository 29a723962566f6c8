"""Pages per second of the whole extraction against the floor: raw pymupdf ``page.get_text("words")``.

    python benchmarks/speed.py                                   # the digital dev invoices
    python benchmarks/speed.py --files examples/invoices/*.pdf --reps 5

Both run in this one process, after a warm-up pass (imports and first-use costs excluded from both),
interleaved document by document so that machine noise hits both alike; the order of the two alternates
between repetitions. The process is pinned to one core (``--no-pin`` to leave it) and native thread
pools are held to one thread. Reported: ms/page per repetition, the median, and the ratio to the floor
(target: at most 10x), the share of docextract's time per stage, and peak RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
TARGET_RATIO = 10.0


def default_files(data: Path) -> list[Path]:
    """The digital variants of the dev invoices; exits with a message when the data is not there."""
    manifest = data / "dev" / "manifest.json"
    if not manifest.is_file():
        sys.exit(f"no development data at {manifest.parent} (expected manifest.json); pass --data DIR or --files")
    entries = json.loads(manifest.read_text(encoding="utf-8"))["documents"]
    return [data / "dev" / e["variants"]["digital"] for e in entries if "digital" in e["variants"]]


def pin_one_core() -> str:
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity here)"
    core = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {core})
    return f"pinned to core {core}"


def peak_rss_mb() -> float:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 1024 / 1024 if sys.platform == "darwin" else rss / 1024  # bytes on macOS, KiB on Linux


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", nargs="+", type=Path, help="PDFs to time (default: the digital dev invoices)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder holding dev/manifest.json")
    parser.add_argument("--schema", default="Invoice")
    parser.add_argument("--tiers", help="comma-separated tiers to run (default: the library's default)")
    parser.add_argument("--reps", type=int, default=3, help="timed repetitions after the warm-up (at least 1)")
    parser.add_argument("--no-pin", action="store_true", help="do not pin the process to one core")
    parser.add_argument("--per-file", action="store_true", help="also print ms/page per file (median)")
    parser.add_argument("--json", type=Path, help="write the measurements to this file")
    args = parser.parse_args(argv)
    files = args.files or default_files(args.data)
    missing = [f for f in files if not f.is_file()]
    if not files or missing:
        sys.exit(f"no files to time{': missing ' + ', '.join(map(str, missing)) if missing else ''}")
    pinned = "not pinned" if args.no_pin else pin_one_core()
    # Before any native library (imported below) starts its thread pool.
    for var in ("OMP_THREAD_LIMIT", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")

    import pymupdf

    import docextract
    from docextract.schema import resolve_schema

    resolve_schema(args.schema)  # fail on a bad schema name before timing anything
    options: dict[str, Any] = {}
    if args.tiers:
        options["tiers"] = tuple(t.strip() for t in args.tiers.split(",") if t.strip())

    def floor(path: Path) -> int:
        with pymupdf.open(path) as doc:  # type: ignore[no-untyped-call]
            for page in doc:
                page.get_text("words")
            return len(doc)

    def full(path: Path) -> tuple[str, dict[str, float]]:
        try:
            result = docextract.extract(path, schema=args.schema, **options)
        except docextract.DocExtractError as exc:
            return f"failed:{type(exc).__name__}", {}
        except Exception as exc:  # a pipeline bug: keep timing the rest, and say so in the statuses
            return f"BUG:{type(exc).__name__}", {}
        return result.status, result.timings

    pages = {f: floor(f) for f in files}
    total_pages = sum(pages.values())
    for f in files:  # warm-up: first-use imports (layout, tiers, validators), caches, page faults
        full(f)

    floor_ms: list[float] = []
    full_ms: list[float] = []
    per_file: dict[Path, tuple[list[float], list[float]]] = defaultdict(lambda: ([], []))
    statuses: Counter[str] = Counter()
    stages: Counter[str] = Counter()
    for rep in range(max(1, args.reps)):
        t_floor = t_full = 0.0
        for f in files:
            order = ("floor", "full") if rep % 2 == 0 else ("full", "floor")
            for which in order:
                t0 = time.perf_counter()
                if which == "floor":
                    floor(f)
                    dt_s = time.perf_counter() - t0
                    t_floor += dt_s
                    per_file[f][0].append(dt_s)
                else:
                    status, timings = full(f)
                    dt_s = time.perf_counter() - t0
                    t_full += dt_s
                    per_file[f][1].append(dt_s)
                    if rep == 0:
                        statuses[status] += 1
                    stages.update({k: v for k, v in timings.items() if k != "total"})
        floor_ms.append(1000 * t_floor / total_pages)
        full_ms.append(1000 * t_full / total_pages)

    ratios = [b / a for a, b in zip(floor_ms, full_ms, strict=True)]
    med_floor, med_full, med_ratio = (statistics.median(x) for x in (floor_ms, full_ms, ratios))
    print(f"{len(files)} files, {total_pages} pages, {len(floor_ms)} repetitions after a warm-up; {pinned}")
    tiers = ",".join(options.get("tiers", docextract.ExtractOptions().tiers))
    print(f"docextract {docextract.__version__}, pymupdf {pymupdf.__version__}, schema {args.schema}, tiers {tiers}")
    print(f"statuses: {dict(statuses)}")
    if any(k.startswith("BUG:") for k in statuses):
        print("WARNING: some extractions raised unexpected exceptions; their times are not a full extraction")
    print(f"{'':28} {'median':>9}  per repetition")
    print(f"{'pymupdf get_text(words)':28} {med_floor:7.2f}ms  " + "  ".join(f"{x:.2f}" for x in floor_ms))
    print(f"{'docextract.extract':28} {med_full:7.2f}ms  " + "  ".join(f"{x:.2f}" for x in full_ms))
    verdict = "within" if med_ratio <= TARGET_RATIO else "OVER"
    print(f"{'ratio (extract / floor)':28} {med_ratio:8.1f}x  " + "  ".join(f"{x:.1f}" for x in ratios)
          + f"   ({verdict} the {TARGET_RATIO:.0f}x target)")
    print(f"pages/s: floor {1000 / med_floor:.0f}, docextract {1000 / med_full:.1f}")
    stage_total = sum(stages.values())
    if stage_total:
        shares = ", ".join(f"{k} {100 * v / stage_total:.0f}%" for k, v in stages.most_common())
        print(f"docextract time by stage: {shares}")
    print(f"peak RSS: {peak_rss_mb():.0f} MB")
    if args.per_file:
        for f, (a, b) in per_file.items():
            fa, fb = 1000 * statistics.median(a) / pages[f], 1000 * statistics.median(b) / pages[f]
            print(f"  {f.name[:60]:60} {pages[f]:3d} p  floor {fa:6.2f}  extract {fb:8.2f} ms/page  {fb / fa:6.1f}x")
    if args.json:
        out: dict[str, Any] = {
            "files": len(files), "pages": total_pages, "pinned": pinned, "floor_ms_per_page": floor_ms,
            "extract_ms_per_page": full_ms, "ratios": ratios, "median_ratio": med_ratio,
            "statuses": dict(statuses), "stage_seconds": dict(stages), "peak_rss_mb": peak_rss_mb(),
        }
        args.json.write_text(json.dumps(out, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
