"""OCR cost per page: docextract's whole OCR path against the bare Tesseract command, in the same run.

    .venv/bin/python benchmarks/ocr_speed.py                       # scanned dev invoices + receipt images
    .venv/bin/python benchmarks/ocr_speed.py --langs eng --limit 3

For every page of the scanned development invoices and every receipt image, interleaved page by page:

- ``ours``: ``docextract.ocr.apply_ocr`` on the loaded document with the cache off and one worker:
  render (pypdfium2 / Pillow) + clean-up (greyscale, contrast, deskew, orientation check) + OCR, words
  normalised into the page. The engine is warmed up once first, as it is in any long-lived process.
- ``cli``: ``tesseract IMG stdout -l LANGS --psm 3 tsv`` with ``OMP_THREAD_LIMIT=1`` on the same page
  image at the same dpi (written to a temporary PNG outside the timing; its decode is inside).
- ``engine``: the OCR call alone on that image (tesserocr in-process), for reference.

Prints seconds per page and the ratio ours/cli per document and overall (target: at most 1.0x). Nothing
from the documents is printed, only file ids and timings.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from docextract.load import open_document
from docextract.load.render import render_page
from docextract.ocr import apply_ocr
from docextract.ocr.apply import get_engine, ocr_dpi
from docextract.options import ExtractOptions, OcrOptions

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def bare_cli(image_path: Path, langs: str, psm: int) -> float:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    t = time.perf_counter()
    subprocess.run(["tesseract", str(image_path), "stdout", "-l", langs, "--psm", str(psm), "tsv"],
                   check=True, capture_output=True, env=env)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--langs", default="+".join(OcrOptions().langs))
    ap.add_argument("--limit", type=int, default=0, help="files per set (0 = all)")
    ap.add_argument("--no-clean", action="store_true", help="switch the image clean-up off")
    args = ap.parse_args()

    dev = args.data / "dev"
    sets = {
        "invoices (scanned pdf)": sorted((dev / "invoices" / "scanned").glob("*.pdf")),
        "receipts (jpeg)": sorted((dev / "receipts" / "image").glob("*.jpg")),
    }
    if not any(sets.values()):
        sys.exit(f"no development data under {dev}; pass --data DIR")
    langs = tuple(args.langs.split("+"))
    ocr = OcrOptions(langs=langs, cache=False, workers=1, preprocess=not args.no_clean)
    options = ExtractOptions(ocr=ocr)
    engine = get_engine(options)
    psm = int(engine.cache_settings().get("psm", 3))
    print(f"engine {engine.name} {engine.version()}, langs {args.langs}, psm {psm}, "
          f"clean-up {'on' if ocr.preprocess else 'off'}")

    # Warm-up: the engine's per-thread API and the CLI's page cache.
    first = next(p for files in sets.values() for p in files)
    apply_ocr(open_document(first, options), options)

    grand = {"ours": 0.0, "cli": 0.0, "engine": 0.0, "pages": 0}
    with tempfile.TemporaryDirectory() as tmp:
        for name, files in sets.items():
            files = files[: args.limit] if args.limit else files
            totals = {"ours": 0.0, "cli": 0.0, "engine": 0.0, "pages": 0}
            print(f"\n{name}\n{'file':<48} {'pages':>5} {'dpi':>4} {'ours s/p':>9} {'cli s/p':>8} "
                  f"{'engine s/p':>10} {'ours/cli':>8}")
            for i, path in enumerate(files):
                doc = open_document(path, options)
                n = len(doc.pages)
                # The same images the OCR path renders, saved for the CLI (outside any timing).
                images = []
                for page in doc.pages:
                    img = render_page(doc, page.index, ocr_dpi(page, ocr), ocr.max_pixels)
                    png = Path(tmp) / f"p{page.index}.png"
                    img.save(png)
                    images.append((img.convert("L"), png, img.info.get("render_dpi")))

                def run_ours(path: Path = path) -> float:
                    t = time.perf_counter()
                    apply_ocr(open_document(path, options), options)
                    return time.perf_counter() - t

                # Alternate which goes first, so drift in machine load does not favour one side.
                if i % 2:
                    cli = sum(bare_cli(png, args.langs, psm) for _, png, _ in images)
                    ours = run_ours()
                else:
                    ours = run_ours()
                    cli = sum(bare_cli(png, args.langs, psm) for _, png, _ in images)
                t = time.perf_counter()
                engine.recognize([img for img, _, _ in images], list(langs))
                eng = time.perf_counter() - t
                dpi = images[0][2]
                print(f"{path.stem[:48]:<48} {n:>5} {dpi!s:>4} {ours / n:>9.2f} {cli / n:>8.2f} {eng / n:>10.2f} "
                      f"{ours / cli:>7.2f}x")
                for k, v in (("ours", ours), ("cli", cli), ("engine", eng), ("pages", n)):
                    totals[k] += v
                    grand[k] += v
            if totals["pages"]:
                _summary(name, totals)
    _summary("ALL", grand)


def _summary(name: str, t: dict[str, float]) -> None:
    n = t["pages"]
    print(f"{name}: {int(n)} pages; ours {t['ours'] / n:.2f} s/page, bare CLI {t['cli'] / n:.2f} s/page, "
          f"engine alone {t['engine'] / n:.2f} s/page; ours/cli = {t['ours'] / t['cli']:.2f}x, "
          f"engine/cli = {t['engine'] / t['cli']:.2f}x")


if __name__ == "__main__":
    main()
