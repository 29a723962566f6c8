"""Mutation fuzzer: every damaged file must end in ok / review / failed(typed), never anything else.

    python benchmarks/fuzz.py [--mutants 300] [--seed 0] [--workers 2] [--timeout 30] [--keep fuzz-out]

Seeds are valid documents: the example invoices (``examples/invoices/*.pdf``), the generated invoice of
``tests/support/hostile_gen.py`` saved plain and compressed, and small Pillow images (PNG, JPEG, TIFF, GIF, BMP,
WebP). Each mutant applies one to three random operators with a fixed seed (byte flips, bit flips, a
truncation, a chunk duplicated, deleted or moved, a number replaced by an extreme one, a PDF keyword
swapped) and is extracted through ``docextract.batch.run_batch(isolate=True)``, so crashes, hangs and
runaway memory are contained and typed by the supervisor.

Outcomes are counted as ok / review / failed-by-error-type. These count as BUGS and are listed, with the
mutant kept under ``--keep`` for a reproducer:

- ``untyped``: a ``BackendError`` whose message says "internal error" (an exception that was not a
  ``DocExtractError`` escaped a stage and was caught by the last-resort wrap or the worker);
- ``ok_empty``: status "ok" with no value in it;
- ``unnamed``: a failed result whose message does not name the file.

Crashes (``EngineCrashError``), timeouts and memory kills are contained, so they are not bugs of ours,
but each is listed: it is an engine bug worth a tier-A reproducer.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from docextract.batch import run_batch  # noqa: E402
from docextract.options import ExtractOptions  # noqa: E402
from docextract.result import ExtractionResult  # noqa: E402
from docextract.schema import resolve_schema  # noqa: E402
from tests.support import hostile_gen  # noqa: E402

Mutator = Callable[[random.Random, bytes], tuple[bytes, str]]

_EXTREME = (b"0", b"-1", b"4294967295", b"2147483648", b"99999999999", b"1e308", b"-0.0", b"65536")
_PDF_TOKENS = (b"obj", b"endobj", b"stream", b"endstream", b" R", b"/Kids", b"/Count", b"/Length", b"/Filter",
               b"/FlateDecode", b"/Type", b"/Page", b"/Pages", b"/Parent", b"/Font", b"/Contents", b"xref",
               b"trailer", b"Tj", b"TJ", b"BT", b"ET", b"Tf", b"[", b"]", b"<<", b">>", b"(", b")")
BUG_CLASSES = ("untyped", "ok_empty", "unnamed")
CONTAINED = ("EngineCrashError", "ExtractionTimeoutError", "ResourceLimitError")


# -- seeds -------------------------------------------------------------------------------------------------


def seeds() -> dict[str, bytes]:
    """Valid documents to mutate, by name."""
    out = {p.name: p.read_bytes() for p in sorted((ROOT / "examples" / "invoices").glob("*.pdf"))}
    out["gen_plain.pdf"] = hostile_gen.invoice_pdf_bytes()
    out["gen_deflate.pdf"] = hostile_gen.invoice_pdf_bytes(deflate=True, garbage=3)
    out["gen_2pages.pdf"] = hostile_gen.invoice_pdf_bytes(pages=2)
    for fmt, ext in (("PNG", "png"), ("JPEG", "jpg"), ("TIFF", "tif"), ("GIF", "gif"), ("BMP", "bmp"),
                     ("WEBP", "webp")):
        out[f"gen_image.{ext}"] = hostile_gen.invoice_png_bytes(fmt)
    return out


# -- mutation operators ------------------------------------------------------------------------------------


def _flip(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    buf = bytearray(data)
    n = rng.randint(1, 16)
    for _ in range(n):
        buf[rng.randrange(len(buf))] = rng.randrange(256)
    return bytes(buf), f"flip{n}"


def _bitflip(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    buf = bytearray(data)
    n = rng.randint(1, 8)
    for _ in range(n):
        buf[rng.randrange(len(buf))] ^= 1 << rng.randrange(8)
    return bytes(buf), f"bitflip{n}"


def _truncate(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    cut = rng.randrange(1, len(data))
    return data[:cut], f"truncate@{cut}"


def _span(rng: random.Random, data: bytes) -> tuple[int, int]:
    a = rng.randrange(len(data))
    return a, min(len(data), a + rng.randint(1, max(1, min(4096, len(data) // 4))))


def _duplicate(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    a, b = _span(rng, data)
    at = rng.randrange(len(data))
    times = rng.choice((1, 1, 2, 16))
    return data[:at] + data[a:b] * times + data[at:], f"dup[{a}:{b}]x{times}@{at}"


def _delete(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    a, b = _span(rng, data)
    return data[:a] + data[b:], f"del[{a}:{b}]"


def _move(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    a, b = _span(rng, data)
    rest = data[:a] + data[b:]
    at = rng.randrange(len(rest) + 1)
    return rest[:at] + data[a:b] + rest[at:], f"move[{a}:{b}]@{at}"


def _number(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    import re

    runs = [m.span() for m in re.finditer(rb"\d+", data[:2_000_000])]
    if not runs:
        return _flip(rng, data)
    a, b = rng.choice(runs)
    new = rng.choice(_EXTREME)
    return data[:a] + new + data[b:], f"num[{a}]={new.decode()}"


def _token(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    old = rng.choice(_PDF_TOKENS)
    hits: list[int] = []
    start = data.find(old)
    while start != -1 and len(hits) < 2000:
        hits.append(start)
        start = data.find(old, start + 1)
    if not hits:
        return _flip(rng, data)
    at = rng.choice(hits)
    new = rng.choice(_PDF_TOKENS)
    return data[:at] + new + data[at + len(old) :], f"tok[{at}]{old.decode()}->{new.decode()}"


MUTATORS: tuple[Mutator, ...] = (_flip, _bitflip, _truncate, _duplicate, _delete, _move, _number, _token)


def mutate(rng: random.Random, data: bytes) -> tuple[bytes, list[str]]:
    """``data`` with one to three random operators applied, and their descriptions."""
    ops = []
    for _ in range(rng.choice((1, 1, 2, 3))):
        if len(data) < 2:
            break
        data, desc = rng.choice(MUTATORS)(rng, data)
        ops.append(desc)
    return data, ops


# -- classification ----------------------------------------------------------------------------------------


def classify(result: ExtractionResult, path: Path) -> str:
    """ok / review / an error type / one of BUG_CLASSES."""
    if result.status == "failed":
        err = result.error
        if err is None:
            return "untyped"
        if err.type == "BackendError" and "internal error" in err.message:
            return "untyped"
        if path.name not in err.message:
            return "unnamed"
        return err.type
    if result.status == "ok" and not any(f.value is not None for f in result.fields.values()):
        return "ok_empty"
    return result.status


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mutants", type=int, default=300)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=30.0, help="per-file deadline (s)")
    ap.add_argument("--rss-mb", type=int, default=1536, help="worker memory cap")
    ap.add_argument("--tiers", default="einvoice,rules")
    ap.add_argument("--only", default="", help="comma-separated seed name substrings")
    ap.add_argument("--keep", type=Path, default=None, help="folder for reproducers of bugs and contained kills")
    ap.add_argument("--json", type=Path, default=None, help="write every outcome here")
    args = ap.parse_args(argv)

    rng = random.Random(args.seed)
    pool = seeds()
    if args.only:
        pool = {k: v for k, v in pool.items() if any(s in k for s in args.only.split(","))}
    names = sorted(pool)
    options = ExtractOptions.create(
        tiers=tuple(t for t in args.tiers.split(",") if t),
        limits={"timeout_s": args.timeout, "max_worker_rss_mb": args.rss_mb, "max_pages": 50},
        ocr={"cache": False},  # mutants are all different: caching them would only fill the user's cache
    )
    spec = resolve_schema("Invoice")
    with tempfile.TemporaryDirectory(prefix="docextract-fuzz-") as tmp:
        folder = Path(tmp)
        plan: list[tuple[Path, str, list[str]]] = []
        for i in range(args.mutants):
            seed_name = rng.choice(names)
            data, ops = mutate(rng, pool[seed_name])
            path = folder / f"m{i:04d}_{seed_name}"
            path.write_bytes(data)
            plan.append((path, seed_name, ops))
        t0 = time.perf_counter()
        results = list(run_batch([p for p, _, _ in plan], spec, "Invoice", options, workers=args.workers,
                                 isolate=True))
        wall = time.perf_counter() - t0
        counts: Counter[str] = Counter()
        records = []
        for (path, seed_name, ops), result in zip(plan, results, strict=True):
            outcome = classify(result, path)
            counts[outcome] += 1
            message = result.error.message if result.error else ""
            records.append({"file": path.name, "seed": seed_name, "ops": ops, "outcome": outcome,
                            "message": message, "total_s": result.timings.get("total")})
            if outcome in BUG_CLASSES or outcome in CONTAINED:
                print(f"  {outcome:24s} {path.name}  {' '.join(ops)}\n      {message[:300]}")
                if args.keep is not None:
                    args.keep.mkdir(parents=True, exist_ok=True)
                    (args.keep / path.name).write_bytes(path.read_bytes())
    print(f"\n{args.mutants} mutants of {len(names)} seeds, seed {args.seed}, {args.workers} workers, "
          f"{wall:.1f} s ({wall / max(1, args.mutants):.2f} s per file)")
    for outcome, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        flag = "  <-- BUG" if outcome in BUG_CLASSES else "  (contained)" if outcome in CONTAINED else ""
        print(f"  {outcome:28s} {n:5d}{flag}")
    if args.json is not None:
        args.json.write_text(json.dumps({"counts": dict(counts), "records": records}, indent=1))
    return 1 if any(counts[b] for b in BUG_CLASSES) else 0


if __name__ == "__main__":
    raise SystemExit(main())
