"""The ``docextract`` command: arguments → ExtractOptions → library → JSON lines / JSON / CSV.

    docextract invoices/*.pdf --schema Invoice --out invoices.jsonl
    docextract scans/ --schema Receipt --format csv --out receipts.csv
    docextract schemas

Data goes to stdout (or ``--out``); progress and the summary go to stderr, so a pipe receives only data.
Exit status: 0 every file processed (ok or review), 1 some files failed, 2 usage error (bad option, unknown
schema or backend) before any work, 130 interrupted.
"""

from __future__ import annotations

import json
import os
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

if TYPE_CHECKING:
    from docextract.options import ExtractOptions
    from docextract.result import ExtractionResult

EXIT_OK = 0
EXIT_SOME_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

_EPILOG = (
    "Other command: 'docextract schemas' lists the built-in schemas and their fields. "
    "Exit status: 0 all files processed (ok or review), 1 some files failed, 2 usage error. "
    "Environment: DOCEXTRACT_THRESHOLD, DOCEXTRACT_TIERS, DOCEXTRACT_OCR_ENGINE, DOCEXTRACT_OCR_LANGS, "
    "DOCEXTRACT_OCR_DPI set defaults; options given here win."
)


class OutputFormat(str, Enum):
    jsonl = "jsonl"
    json = "json"
    csv = "csv"


app = typer.Typer(
    name="docextract", add_completion=False, rich_markup_mode=None, pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
schemas_app = typer.Typer(
    name="docextract schemas", add_completion=False, rich_markup_mode=None, pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _default_workers() -> int:
    return min(2, os.cpu_count() or 1)


def _version(value: bool) -> None:
    if value:
        from docextract import __version__

        typer.echo(f"docextract {__version__}")
        raise typer.Exit()


@app.command(epilog=_EPILOG)
def extract(
    files: Annotated[list[str], typer.Argument(
        metavar="FILES", show_default=False,
        help="PDFs, images (PNG, JPEG, TIFF, WebP) or e-invoice XML; directories are searched recursively; "
             "glob patterns such as 'invoices/**/*.pdf' are expanded.")],
    *,
    schema: Annotated[str, typer.Option(
        "--schema", "-s", metavar="NAME",
        help="Schema to extract into: a built-in name (Invoice, Receipt; see 'docextract schemas'), "
             "'pkg.module:Class', 'file.py:Class' or a JSON Schema file '*.json'.")] = "Invoice",
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", metavar="FILE", dir_okay=False,
        help="Write results to FILE instead of stdout. JSON lines are written and synced as each file "
             "finishes; JSON and CSV are written whole at the end (atomically).")] = None,
    fmt: Annotated[OutputFormat | None, typer.Option(
        "--format", "-f", case_sensitive=False, metavar="jsonl|json|csv",
        help="Output format: jsonl (one JSON object per file), json (one array) or csv (one row per file, "
             "data flattened). Default: from the --out suffix, else jsonl.")] = None,
    threshold: Annotated[float | None, typer.Option(
        "--threshold", "-t", min=0.0, max=1.0, metavar="0..1",
        help="Confidence (0..1) a field needs to be accepted; fields below it are escalated to the next tier "
             "or marked for review. Default 0.8.")] = None,
    password: Annotated[str | None, typer.Option(
        "--password", envvar="DOCEXTRACT_PASSWORD", show_envvar=True, metavar="PW",
        help="Password for encrypted PDFs (prefer the environment variable: command lines are visible to "
             "other users).")] = None,
    workers: Annotated[int | None, typer.Option(
        "--workers", "-w", min=1, metavar="N",
        help="Worker processes; each file runs in one, so a crash or hang in a native engine costs only that "
             "file. Default: min(2, number of CPUs).")] = None,
    in_process: Annotated[bool, typer.Option(
        "--in-process",
        help="Run every file in this process, one after another: faster start-up, but no protection against "
             "engine crashes, hangs or memory blow-ups, and no per-file timeout.")] = False,
    timeout: Annotated[float | None, typer.Option(
        "--timeout", min=0.1, metavar="SECONDS",
        help="Per-file deadline; a file still running is stopped and reported as failed. Default 120.")] = None,
    max_memory: Annotated[int | None, typer.Option(
        "--max-memory", min=64, metavar="MB",
        help="Memory cap of a worker process; a file that drives it past the cap is reported as failed. "
             "Default 2048.")] = None,
    ocr: Annotated[str | None, typer.Option(
        "--ocr", metavar="ENGINE",
        help="OCR engine for pages without a usable text layer: tesseract (default), rapidocr, or a plugin's "
             "name.")] = None,
    lang: Annotated[str | None, typer.Option(
        "--lang", metavar="LANGS",
        help="OCR languages, Tesseract codes joined with '+' or ',' (e.g. deu+eng). "
             "Default: eng+deu+fra; add spa, ita, nld, por (installed) when a document needs them.")] = None,
    force_ocr: Annotated[bool, typer.Option(
        "--force-ocr", help="OCR every page, even pages whose text layer is usable.")] = False,
    no_cache: Annotated[bool, typer.Option(
        "--no-cache", help="Neither read nor write the OCR cache in the user cache directory.")] = False,
    tiers: Annotated[str | None, typer.Option(
        "--tiers", metavar="NAMES",
        help="Extraction tiers to run, in order, comma-separated (e.g. einvoice,rules). Default: einvoice,rules.")]
        = None,
    keep_unsure: Annotated[bool, typer.Option(
        "--keep-unsure",
        help="Keep optional values below the threshold in data (by default they are withheld: null in data, "
             "listed under 'unsure', value and confidence still under 'fields').")] = False,
    settings: Annotated[list[str] | None, typer.Option(
        "--set", metavar="NAME.KEY=VALUE",
        help="Set an option of a backend (an OCR engine, layout model, tier or loader), e.g. --set tesseract.psm=6; "
             "repeat for more. VALUE is read as JSON when it parses (6, true, [1,2]), else as text.")] = None,
    resume: Annotated[bool, typer.Option(
        "--resume",
        help="With --out FILE in JSON lines: keep the records FILE already holds for unchanged files (same "
             "path, content, schema and every option that shapes the output; not failed) and extract only "
             "the rest. A run that was killed goes on where it stopped.")] = False,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="No progress bar and no summary on stderr.")] = False,
    version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True, help="Print the version and exit.")] = False,
) -> None:
    """Extract structured data from documents into a schema, one record per file.

    Each record has the file, its sha256, the schema, a status (ok, review or failed), the data, every
    field's value with its confidence and evidence (page, box, text), the issues found and, for a failed
    file, the typed error. One bad file never stops the batch.
    """
    from docextract.errors import ConfigError, SchemaError
    from docextract.schema import resolve_schema

    try:
        options = build_options(threshold=threshold, password=password, timeout=timeout, max_memory=max_memory,
                                ocr=ocr, lang=lang, force_ocr=force_ocr, no_cache=no_cache, tiers=tiers,
                                keep_unsure=keep_unsure, settings=settings or [])
        spec = resolve_schema(schema)
    except (ConfigError, SchemaError) as exc:
        _usage_error(str(exc))
    chosen = fmt.value if fmt is not None else _format_from_suffix(out)
    if resume and (out is None or chosen != "jsonl"):
        _usage_error("--resume needs --out FILE with JSON lines output")
    code = run(files, schema=schema, spec=spec, options=options, out=out, fmt=chosen,
               workers=workers or _default_workers(), isolate=not in_process, quiet=quiet, resume=resume)
    raise typer.Exit(code)


def build_options(
    *,
    threshold: float | None = None,
    password: str | None = None,
    timeout: float | None = None,
    max_memory: int | None = None,
    ocr: str | None = None,
    lang: str | None = None,
    force_ocr: bool = False,
    no_cache: bool = False,
    tiers: str | None = None,
    keep_unsure: bool = False,
    settings: list[str] | tuple[str, ...] = (),
) -> ExtractOptions:
    """Options from the environment (``DOCEXTRACT_*``), then the command line.

    Raises:
        ConfigError: an invalid value, a tier, OCR engine or layout name that is not registered, or an
            unknown backend option in ``settings`` ("NAME.KEY=VALUE").
    """
    from docextract import backends
    from docextract.errors import ConfigError
    from docextract.options import ExtractOptions

    merged: dict[str, Any] = ExtractOptions.from_env().model_dump()
    if threshold is not None:
        merged["threshold"] = threshold
    if password is not None:
        merged["password"] = password
    if tiers is not None:
        merged["tiers"] = tuple(t.strip() for t in tiers.split(",") if t.strip())
        if not merged["tiers"]:
            raise ConfigError("--tiers needs at least one tier name")
    if timeout is not None:
        merged["limits"]["timeout_s"] = timeout
    if max_memory is not None:
        merged["limits"]["max_worker_rss_mb"] = max_memory
    if ocr is not None:
        merged["ocr"]["engine"] = ocr
    if lang is not None:
        merged["ocr"]["langs"] = tuple(x for x in lang.replace(",", "+").split("+") if x)
    if force_ocr:
        merged["ocr"]["force"] = True
    if no_cache:
        merged["ocr"]["cache"] = False
    if keep_unsure:
        merged["keep_unsure"] = True
    for item in settings:
        name, key, value = parse_setting(item)
        merged["backends"].setdefault(name, {})[key] = value
    options = ExtractOptions.create(**merged)
    backends.plan(options)  # the library checks the same when the Extractor is built
    return options


def parse_setting(item: str) -> tuple[str, str, Any]:
    """``NAME.KEY=VALUE`` → (NAME, KEY, VALUE read as JSON, else the text). NAME may be "kind.name".

    Raises:
        ConfigError: no "=", or no "." before it.
    """
    from docextract.errors import ConfigError

    target, eq, raw = item.partition("=")
    name, dot, key = target.strip().rpartition(".")
    if not eq or not dot or not name or not key:
        raise ConfigError(f"--set {item!r}: expected NAME.KEY=VALUE, e.g. --set tesseract.psm=6")
    try:
        value: Any = json.loads(raw)
    except ValueError:
        value = raw
    return name, key, value


def run(
    files: list[str],
    *,
    schema: Any,
    spec: Any,
    options: ExtractOptions,
    out: Path | None,
    fmt: str,
    workers: int,
    isolate: bool,
    quiet: bool,
    resume: bool = False,
) -> int:
    """Expand the inputs, extract them, write the results; returns the exit status."""
    from docextract.batch import run_batch
    from docextract.errors import DocExtractError
    from docextract.fingerprint import options_hash
    from docextract.inputs import expand_inputs, file_sha256
    from docextract.output import finished_records, open_writer
    from docextract.result import ExtractionResult

    plan = expand_inputs(files)
    key = options_hash(options)
    finished = finished_records(out, spec.name, key) if resume and out is not None else {}
    reuse: dict[int, str] = {}
    for i, item in enumerate(plan):
        file_key = (str(item), file_sha256(item)) if isinstance(item, Path) and finished else None
        if file_key is not None and file_key in finished:
            reuse[i] = finished[file_key]
    paths = [p for i, p in enumerate(plan) if isinstance(p, Path) and i not in reuse]
    results = run_batch(paths, spec, schema, options, workers=workers, isolate=isolate)
    writer = open_writer(fmt, out, sys.stdout, keep=list(reuse.values()))  # type: ignore[arg-type]
    reused = {i: ExtractionResult.model_validate(json.loads(line)) for i, line in reuse.items()}
    done: list[ExtractionResult] = list(reused.values())
    progress = _progress(len(plan), quiet)
    interrupted = False
    try:
        for i, item in enumerate(plan):
            if i in reused:
                if progress is not None:
                    progress.advance(reused[i])
                continue
            if isinstance(item, DocExtractError):
                result = ExtractionResult.failed(item.path or "", spec.name, item, options.threshold,
                                                 sha256=file_sha256(item.path) if item.path else None,
                                                 options_hash=key)
            else:
                result = next(results)
            writer.write(result)
            done.append(result)
            if progress is not None:
                progress.advance(result)
    except KeyboardInterrupt:
        interrupted = True
    finally:
        if progress is not None:
            progress.stop()
        close = getattr(results, "close", None)
        if close is not None:
            close()  # stops the worker processes
        writer.close()
    if not quiet:
        _summary(done, len(plan))
    if interrupted:
        return EXIT_INTERRUPTED
    return EXIT_SOME_FAILED if any(r.status == "failed" for r in done) else EXIT_OK


def _format_from_suffix(out: Path | None) -> str:
    if out is not None and out.suffix.lower() in (".json", ".csv"):
        return out.suffix.lower()[1:]
    return "jsonl"


def _usage_error(message: str) -> NoReturn:
    typer.echo(f"docextract: error: {message}", err=True)
    raise typer.Exit(EXIT_USAGE)


class _Progress:
    def __init__(self, total: int) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self._bar = Progress(TextColumn("extracting"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                             TextColumn("{task.fields[last]}", markup=False),
                             console=Console(stderr=True), transient=True)
        self._task = self._bar.add_task("extract", total=total, last="")
        self._bar.start()

    def advance(self, result: ExtractionResult) -> None:
        self._bar.update(self._task, advance=1, last=f"{Path(result.file).name}: {result.status}")

    def stop(self) -> None:
        self._bar.stop()


def _progress(total: int, quiet: bool) -> _Progress | None:
    if quiet or not sys.stderr.isatty() or total == 0:
        return None
    return _Progress(total)


def _summary(results: list[ExtractionResult], planned: int) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(stderr=True, highlight=False)
    counts = {s: sum(1 for r in results if r.status == s) for s in ("ok", "review", "failed")}
    line = (f"{len(results)} of {planned} file(s): {counts['ok']} ok, {counts['review']} review, "
            f"{counts['failed']} failed")
    console.print(Text(line))
    failed = [r for r in results if r.status == "failed"]
    if not failed:
        return
    if not console.is_terminal:
        # Logs: one greppable line per failed file, never wrapped.
        for r in failed:
            err = f"{r.error.type}: {r.error.message}" if r.error else "unknown error"
            sys.stderr.write(f"failed: {r.file}: {err}\n")
        sys.stderr.flush()
        return
    table = Table("failed file", "error")
    for r in failed:
        # File names and messages can carry markup-like text; Text keeps them literal.
        table.add_row(Text(r.file), Text(f"{r.error.type}: {r.error.message}" if r.error else "unknown error"))
    console.print(table)


# ---------------------------------------------------------------------------------------------------------
# docextract schemas


@schemas_app.command()
def schemas(
    as_json: Annotated[bool, typer.Option("--json", help="Print the schemas as JSON instead of text.")] = False,
) -> None:
    """List the built-in schemas, their fields, each field's kind and whether it is required."""
    import json

    from docextract.schema import resolve_schema
    from docextract.schemas import BUILTIN

    listing: dict[str, Any] = {}
    for name in sorted(BUILTIN):
        spec = resolve_schema(name)
        fields = [{"path": f.path, "kind": f.kind, "required": f.required, "description": f.description}
                  for f in spec.fields]
        for table in spec.tables:
            fields.append({"path": f"{table.path}[]", "kind": "table", "required": table.required,
                           "description": table.description})
            fields += [{"path": f"{table.path}[].{f.path}", "kind": f.kind, "required": f.required,
                        "description": f.description} for f in table.item_fields]
        listing[name] = {"description": (spec.model.__doc__ or "").strip(), "fields": fields}
    if as_json:
        typer.echo(json.dumps(listing, indent=2, sort_keys=True))
        return
    for name, entry in listing.items():
        typer.echo(f"{name}: {entry['description']}")
        width = max(len(f["path"]) for f in entry["fields"])
        for f in entry["fields"]:
            req = "required" if f["required"] else "optional"
            typer.echo(f"  {f['path']:<{width}}  {f['kind']:<8}  {req:<8}  {f['description']}".rstrip())
        typer.echo("")


def main(argv: list[str] | None = None) -> None:
    """Console entry point: ``docextract schemas …`` or ``docextract FILES… [options]``."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["schemas"]:
        schemas_app(args=args[1:], prog_name="docextract schemas")
    else:
        app(args=args, prog_name="docextract")
