"""Harvest: every candidate the tiers consider on the labelled documents, cached for fitting and measuring.

    python benchmarks/trust_data.py                 # dev + calib, invoices (digital, scanned) and receipts
    python benchmarks/trust_data.py --force         # re-extract documents already cached

Each document variant (invoices: ``digital`` and ``scanned``; receipts: ``image``) is loaded, OCR'd where the
pipeline would, laid out, and every configured tier is asked for every field. Stored per document, under
``.trust_cache/harvest/`` (gitignored): the tiers' candidates as returned (values, raw text, scores, signals),
the tiers' issues, how each page was read (OCR or text layer, mean word confidence), the manifest entry (gold,
gold_full, family, vendor) and the cross-validation group. ``benchmarks/trust_fit.py`` and
``benchmarks/trust_cv.py`` replay the pipeline's choice, validation and scoring from this cache, so refitting
never re-extracts. OCR results are cached by the package (user cache dir); the first run over the receipt
scans takes minutes. Nothing is printed but counts and document ids.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from docextract.options import ExtractOptions
from docextract.result import Candidate, Issue
from docextract.trust.features import PageRead, group_key

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data"
DEFAULT_CACHE = ROOT / ".trust_cache" / "harvest"
VARIANTS = {"invoice": ("digital", "scanned"), "receipt": ("image",)}
SCHEMAS = {"invoice": "Invoice", "receipt": "Receipt"}


@dataclass
class DocRecord:
    """One document variant as the tiers saw it."""

    doc_id: str
    variant: str
    kind: str  # "invoice" | "receipt"
    group: str  # cross-validation group: the family (invoices) or the normalised vendor (receipts)
    entry: dict[str, Any]  # the manifest entry: gold, gold_full, id, family, vendor
    candidates: list[Candidate] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    pages: list[PageRead] = field(default_factory=list)
    error: str | None = None

    @property
    def doc_kind(self) -> str:
        """The kind of document for reports: digital invoices, scanned invoices, receipts."""
        return {"digital": "invoice/digital", "scanned": "invoice/scanned"}.get(self.variant, "receipt")


def documents(data: Path) -> Iterator[tuple[str, dict[str, Any], str, Path]]:
    """(split, manifest entry, variant, file) for every variant to harvest."""
    for split in ("dev", "calib"):
        manifest = data / split / "manifest.json"
        if not manifest.is_file():
            continue
        for entry in json.loads(manifest.read_text(encoding="utf-8"))["documents"]:
            for variant in VARIANTS.get(entry["kind"], ()):
                rel = entry["variants"].get(variant)
                if rel is not None:
                    yield split, entry, variant, data / split / rel


_EXTRACTORS: list[Any] = []  # one Extractor for the whole harvest: its backends are built once


def harvest_one(path: Path, kind: str) -> tuple[list[Candidate], list[Issue], list[PageRead]]:
    """Run the pipeline's stages before the tier loop (with its own Extractor's backends), then every tier for
    every field, as if nothing were found yet."""
    from docextract import backends, status
    from docextract.evidence import ground
    from docextract.load import open_document
    from docextract.ocr import apply_ocr, pages_to_ocr
    from docextract.pipeline import Extractor
    from docextract.schema import resolve_schema

    options = ExtractOptions()
    if not _EXTRACTORS:
        _EXTRACTORS.append(Extractor(options))
    ex = _EXTRACTORS[0]
    spec = resolve_schema(SCHEMAS[kind])
    doc = open_document(path, options, ex._loaders)
    issues: list[Issue] = [status.repaired_issue()] if doc.repaired else []
    engine = backends.ocr_engine(ex._plan.ocr, ex.runtime) if pages_to_ocr(doc, options.ocr) else None
    issues.extend(apply_ocr(doc, options, engine))
    for page in doc.pages:
        ex._layout.analyze(page, doc)
    wanted = frozenset({f.path for f in spec.fields} | {t.path for t in spec.tables})
    cands: list[Candidate] = []
    for tier in ex._tiers.values():
        if tier.available():
            continue
        out = tier.extract(doc, spec, wanted, options)
        found, unplaced, _ = ground(doc, spec, list(out.candidates), None)
        cands.extend(found)
        issues.extend(out.issues)
        issues.extend(unplaced)
    return cands, issues, [PageRead.of(p) for p in doc.pages]


def cache_name(doc_id: str, variant: str) -> str:
    return f"{doc_id}__{variant}.pkl"


def harvest(data: Path, cache: Path, force: bool = False) -> int:
    cache.mkdir(parents=True, exist_ok=True)
    n = 0
    for _split, entry, variant, path in documents(data):
        out = cache / cache_name(entry["id"], variant)
        if out.exists() and not force:
            continue
        t = time.perf_counter()
        rec = DocRecord(entry["id"], variant, entry["kind"], _group(entry), entry)
        try:
            rec.candidates, rec.issues, rec.pages = harvest_one(path, entry["kind"])
        except Exception as exc:  # a failing document is recorded (all its gold fields count as missing)
            rec.error = type(exc).__name__
        out.write_bytes(pickle.dumps(rec))
        n += 1
        print(f"{entry['id'][:40]:40} {variant:8} {len(rec.candidates):5} candidates "
              f"{time.perf_counter() - t:6.1f}s{' ' + rec.error if rec.error else ''}", flush=True)
    return n


def _group(entry: dict[str, Any]) -> str:
    if entry["kind"] == "invoice":
        return f"family:{entry.get('family') or entry['id']}"
    return "vendor:" + group_key(str(entry.get("vendor") or entry["id"]))


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        # Records pickled by this script run as __main__ name their class there.
        return DocRecord if name == "DocRecord" else super().find_class(module, name)


def load(cache: Path = DEFAULT_CACHE) -> list[DocRecord]:
    """Every cached document record, in file-name order."""
    out = []
    for p in sorted(cache.glob("*.pkl")):
        with p.open("rb") as fh:
            out.append(_Unpickler(fh).load())
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--force", action="store_true", help="re-extract documents already cached")
    args = parser.parse_args(argv)
    n = harvest(args.data, args.cache, args.force)
    print(f"harvested {n} document variant(s) into {args.cache}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
