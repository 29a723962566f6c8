"""The OCR stage: pick the pages that need it, render, clean up, OCR (cached, in parallel), fill the words.

Pages are rendered one at a time in the calling thread (pymupdf and pypdfium2 are not thread-safe) and
OCR'd in a small thread pool: tesserocr releases the GIL while it recognises, so threads use the cores
without the start-up, pickling and memory cost of processes. At most ``workers`` page images are alive
at once, and each render is capped at ``max_pixels``.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import TYPE_CHECKING, Any

from docextract.backend import Runtime
from docextract.document import Document, Page
from docextract.errors import BackendError, BackendUnavailableError
from docextract.ocr.cache import OcrCache, cache_key, image_digest
from docextract.ocr.pageocr import PREPROCESS_VERSION, PageOcr, mean_confidence, ocr_image, ocr_images
from docextract.options import ExtractOptions, OcrOptions
from docextract.result import Issue

if TYPE_CHECKING:
    from PIL.Image import Image

    from docextract.protocols import OcrEngine

# A page whose words average below this is flagged: its fields need review.
LOW_PAGE_CONFIDENCE = 0.60
# Scans below this resolution are upsampled to it: Tesseract misreads text only a few pixels high.
MIN_OCR_DPI = 200

_pools: dict[int, ThreadPoolExecutor] = {}
_lock = threading.Lock()


def pages_to_ocr(doc: Document, options: OcrOptions) -> list[Page]:
    """The pages whose words must come from OCR: no usable text layer, or every page when forced."""
    return [p for p in doc.pages if options.force or not p.text_layer_usable]


def ocr_dpi(page: Page, options: OcrOptions) -> int:
    """The render resolution for OCR: ``options.dpi``, but not above a scan's own resolution (upsampling
    a 200-dpi scan to 300 costs half again the time for no gain), and not below ``MIN_OCR_DPI``."""
    if page.image_dpi is None or page.image_dpi <= 0:
        return options.dpi
    return int(min(options.dpi, max(round(page.image_dpi), MIN_OCR_DPI)))


def get_engine(options: ExtractOptions, runtime: Runtime | None = None) -> OcrEngine:
    """The engine named by ``options.ocr.engine`` with its options from ``options.backends``, from the
    process-wide pool: built once per configuration and reused (Tesseract's per-thread API objects are
    costly to build).

    Raises:
        ConfigError: the engine name or one of its options is unknown.
    """
    from docextract import registry
    from docextract.backends import Choice, checked_options, given_options, ocr_engine

    name = options.ocr.engine
    cls = registry.ocr(name)
    opts = checked_options(cls, name, given_options(options).get(("ocr", name)))
    return ocr_engine(Choice("ocr", name, cls, opts), runtime or Runtime.from_options(options))


def choose_langs(engine: OcrEngine, options: OcrOptions, where: str) -> tuple[list[str], list[Issue]]:
    """The languages to OCR with: those the engine can read, with an info issue for each dropped one.

    Raises:
        BackendUnavailableError: none of the languages is readable, or (an engine that refuses languages
            it cannot read, such as RapidOCR) a language it cannot read was asked for explicitly.
    """
    langs = list(options.langs)
    use, lost = engine.usable_langs(langs)
    explicit = "langs" in options.model_fields_set
    if lost and engine.strict_langs and explicit:
        raise BackendUnavailableError(
            f"OCR engine {engine.name} cannot read {'+'.join(lost)}", path=where,
            hint=engine.lang_hint or "choose another engine with --ocr, or other languages with --lang",
        )
    if not use:
        hint = engine.missing_langs_hint(lost) or "install the language data, or choose others with --lang"
        raise BackendUnavailableError(f"OCR engine {engine.name} has none of the languages {'+'.join(langs)}",
                                      path=where, hint=hint)
    issues = [Issue(code="ocr_lang_missing", severity="info",
                    message=f"OCR language {x} is not available to {engine.name}; OCR'd without it") for x in lost]
    return use, issues


def _workers(options: OcrOptions, n_pages: int) -> int:
    if options.workers:
        cores = options.workers
    else:
        affinity = getattr(os, "sched_getaffinity", None)
        cores = len(affinity(0)) if affinity is not None else (os.cpu_count() or 1)
    return max(1, min(cores, n_pages))


def _pool(n: int) -> ThreadPoolExecutor:
    # Kept for the process's life so its threads keep their Tesseract API objects between documents.
    with _lock:
        if n not in _pools:
            _pools[n] = ThreadPoolExecutor(max_workers=n, thread_name_prefix="docextract-ocr")
        return _pools[n]


def apply_ocr(doc: Document, options: ExtractOptions, engine: OcrEngine | None = None) -> list[Issue]:
    """OCR the pages of ``doc`` that need it, in place: their ``words`` and ``text_source`` are replaced.

    Args:
        doc: a loaded Document; pages without a usable text layer (or all, with ``options.ocr.force``) are
            OCR'd.
        options: ``options.ocr`` chooses the engine, languages, dpi, clean-up, cache and workers.
        engine: the engine to use; by default ``get_engine(options)``, asked for only when a page needs it.

    Returns:
        Issues: which pages were OCR'd (info), dropped languages (info), pages read with low confidence
        (warning).

    Raises:
        BackendUnavailableError: a page needs OCR and the engine or its language data is missing (the
            hint says how to install it).
        BackendError: the engine failed on a page.
    """
    opts = options.ocr
    pages = pages_to_ocr(doc, opts)
    if not pages:
        return []
    if engine is None:
        engine = get_engine(options)
    reason = engine.available()
    if reason:
        raise BackendUnavailableError(
            f"{len(pages)} page(s) need OCR, but the OCR engine {engine.name} cannot run: {reason}",
            path=doc.path, hint=engine.install_hint,
        )
    langs, issues = choose_langs(engine, opts, str(doc.path))
    settings = {"engine": engine.name, "version": engine.version(), "langs": langs,
                **engine.cache_settings(), "clean": opts.preprocess, "clean_version": PREPROCESS_VERSION}
    cache = OcrCache(opts.cache_dir) if opts.cache else None
    try:
        for page, result in _run(doc, pages, engine, langs=langs, opts=opts, settings=settings, cache=cache):
            issues.extend(_fill(page, result, engine.name))
    except (BackendError, BackendUnavailableError) as exc:
        if exc.path is None:
            raise type(exc)(exc.message, path=doc.path, hint=exc.hint) from exc
        raise
    issues.insert(0, Issue(code="ocr_pages", severity="info",
                           message=f"OCR ({engine.name}, {'+'.join(langs)}) on page(s) "
                                   + ", ".join(str(p.index + 1) for p in pages)))
    return issues


def _run(
    doc: Document, pages: list[Page], engine: OcrEngine, *, langs: list[str], opts: OcrOptions,
    settings: dict[str, Any], cache: OcrCache | None,
) -> Iterator[tuple[Page, PageOcr]]:
    from docextract.load.render import render_page

    def render(page: Page) -> tuple[Image, str | None]:
        image = render_page(doc, page.index, ocr_dpi(page, opts), opts.max_pixels)
        return image, (cache_key(image_digest(image), settings) if cache is not None else None)

    def cached(key: str | None) -> PageOcr | None:
        entry = cache.get(key) if cache is not None and key is not None else None
        if entry is None:
            return None
        try:
            return PageOcr(words=entry["words"], rotation=float(entry["rotation"]),
                           quarter_turn=int(entry["quarter_turn"]), turned_size=tuple(entry["turned_size"]))
        except (KeyError, TypeError, ValueError):
            return None

    def store(key: str | None, res: PageOcr) -> None:
        if cache is not None and key is not None:
            cache.put(key, res.words, rotation=res.rotation, quarter_turn=res.quarter_turn,
                      turned_size=list(res.turned_size))

    if engine.batch_size > 1:
        # A model engine reads pages in batches; it is not threaded (it uses its own cores or a GPU).
        todo = list(pages)
        while todo:
            batch: list[tuple[Page, Image, str | None]] = []
            while todo and len(batch) < engine.batch_size:
                page = todo.pop(0)
                image, key = render(page)
                hit = cached(key)
                if hit is not None:
                    yield page, hit
                else:
                    batch.append((page, image, key))
            if batch:
                read = ocr_images(engine, [im for _, im, _ in batch], langs, clean=opts.preprocess)
                for (page, _, key), got in zip(batch, read, strict=True):
                    store(key, got)
                    yield page, got
        return

    n = _workers(opts, len(pages))
    if n == 1:
        for page in pages:
            image, key = render(page)
            res = cached(key)
            if res is None:
                res = ocr_image(engine, image, langs, clean=opts.preprocess)
                store(key, res)
            del image
            yield page, res
        return

    pool = _pool(n)
    running: dict[Future[PageOcr], tuple[Page, str | None]] = {}
    todo = list(pages)
    try:
        while todo or running:
            while todo and len(running) < n:
                page = todo.pop(0)
                image, key = render(page)
                hit = cached(key)
                if hit is not None:
                    yield page, hit
                    continue
                running[pool.submit(ocr_image, engine, image, langs, clean=opts.preprocess)] = (page, key)
                del image
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for fut in done:
                page, key = running.pop(fut)
                res = fut.result()
                store(key, res)
                yield page, res
    finally:
        for fut in running:
            fut.cancel()


def _fill(page: Page, res: PageOcr, engine_name: str) -> list[Issue]:
    page.words = res.words
    page.text_source = f"ocr:{engine_name}"
    page.ocr_rotation = res.rotation
    if res.quarter_turn in (90, 270):
        # Words are in the upright frame: give the page the upright frame's shape too.
        page.width, page.height = page.height, page.width
    page.lines, page.blocks, page.tables = [], [], []
    conf = mean_confidence(res.words)
    issues: list[Issue] = []
    if res.quarter_turn:
        issues.append(Issue(code="ocr_rotated", severity="info", page=page.index,
                            message=f"page {page.index + 1} was turned {res.quarter_turn}° to read it"))
    if not res.words:
        issues.append(Issue(code="ocr_no_text", severity="warning", page=page.index,
                            message=f"OCR found no text on page {page.index + 1}"))
    elif conf < LOW_PAGE_CONFIDENCE:
        issues.append(Issue(code="ocr_low_confidence", severity="warning", page=page.index,
                            message=f"page {page.index + 1} was read with low OCR confidence ({conf:.2f}); "
                                    "fields from it need review"))
    return issues


__all__ = ["apply_ocr", "choose_langs", "get_engine", "ocr_dpi", "pages_to_ocr"]
