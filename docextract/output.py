"""Writers for batch results: JSON lines (streamed, durable per record), a JSON array, CSV.

JSON lines go out as each file finishes, flushed (and fsync'd when writing a file), so a killed run keeps
everything it produced. JSON and CSV need every record first; they are written to a temporary file in the
same directory and moved into place with ``os.replace``, so the output is whole or absent, never partial.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal, Protocol, TextIO

from docextract.result import ExtractionResult

Format = Literal["jsonl", "json", "csv"]
FORMATS: tuple[Format, ...] = ("jsonl", "json", "csv")

# "unsure": the optional fields withheld from the data columns (their values are in the JSON output's fields).
CSV_FIXED_COLUMNS = ("file", "status", "schema", "sha256", "error_type", "error", "issues", "unsure")

# Spreadsheet programs evaluate cells starting with these (CSV injection); document text is hostile.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?([eE][+-]?\d+)?")


class ResultWriter(Protocol):
    """Receives results one by one; ``close`` finishes the output."""

    def write(self, result: ExtractionResult) -> None: ...

    def close(self) -> None: ...


def record_line(result: ExtractionResult) -> str:
    """One deterministic JSON line (sorted keys) for a result, without the trailing newline."""
    return json.dumps(result.to_json_dict(), sort_keys=True, ensure_ascii=False, default=str)


def finished_records(out: Path, schema: str, options_hash: str) -> dict[tuple[str, str], str]:
    """The records of an earlier JSONL run that a resumed run keeps: (file, sha256) → its line.

    Only whole lines that parse, for the same schema and options (``docextract.fingerprint.options_hash``:
    threshold, tiers, OCR and every other option that shapes a record), and not failed (a timeout or crash
    may not recur) are kept; a line cut off when the earlier run was killed is dropped and its file done again.
    """
    kept: dict[tuple[str, str], str] = {}
    if not out.is_file():
        return kept
    for line in out.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if not isinstance(record, dict) or record.get("status") not in ("ok", "review"):
            continue
        if record.get("schema") != schema or record.get("options_hash") != options_hash:
            continue
        if isinstance(record.get("file"), str) and isinstance(record.get("sha256"), str):
            kept[(record["file"], record["sha256"])] = line
    return kept


def open_writer(fmt: Format, out: Path | None, stream: TextIO, keep: Sequence[str] = ()) -> ResultWriter:
    """A writer for ``fmt`` to the file ``out``, or to ``stream`` when ``out`` is None; ``keep`` are the
    JSONL lines of a resumed run, written first."""
    if fmt == "jsonl":
        return JsonlWriter(out, stream, keep)
    if fmt == "json":
        return JsonWriter(out, stream)
    return CsvWriter(out, stream)


class JsonlWriter:
    """One JSON object per line, written and flushed as each result arrives.

    A file given as ``out`` is started afresh, holding only the ``keep`` lines of a run being resumed; each
    record is fsync'd before the next file is reported.
    """

    def __init__(self, out: Path | None, stream: TextIO, keep: Sequence[str] = ()) -> None:
        if out is not None:
            atomic_write_text(out, "".join(line + "\n" for line in keep))
        self._file = open(out, "a", encoding="utf-8") if out is not None else None  # noqa: SIM115
        self._stream = stream

    def write(self, result: ExtractionResult) -> None:
        target = self._file or self._stream
        target.write(record_line(result) + "\n")
        target.flush()
        if self._file is not None:
            os.fsync(self._file.fileno())

    def close(self) -> None:
        if self._file is not None:
            self._file.close()


class JsonWriter:
    """A JSON array of all records, written once at the end."""

    def __init__(self, out: Path | None, stream: TextIO) -> None:
        self._out = out
        self._stream = stream
        self._records: list[dict[str, Any]] = []

    def write(self, result: ExtractionResult) -> None:
        self._records.append(result.to_json_dict())

    def close(self) -> None:
        text = json.dumps(self._records, sort_keys=True, ensure_ascii=False, indent=2, default=str) + "\n"
        _emit(text, self._out, self._stream)


class CsvWriter:
    """One row per file: the fixed columns, then the data flattened to ``seller.name``,
    ``line_items[0].description``, … (columns in order of first appearance)."""

    def __init__(self, out: Path | None, stream: TextIO) -> None:
        self._out = out
        self._stream = stream
        self._rows: list[dict[str, str]] = []
        self._columns: dict[str, None] = dict.fromkeys(CSV_FIXED_COLUMNS)

    def write(self, result: ExtractionResult) -> None:
        rec = result.to_json_dict()
        row = {
            "file": rec["file"], "status": rec["status"], "schema": rec["schema"], "sha256": rec["sha256"] or "",
            "error_type": result.error.type if result.error else "",
            "error": result.error.message if result.error else "",
            "issues": "; ".join(sorted({i.code for i in result.issues})),
            "unsure": "; ".join(result.unsure),
        }
        for key, value in flatten(rec["data"]).items():
            self._columns.setdefault(key)
            row[key] = value
        self._rows.append({k: escape_cell(v) for k, v in row.items()})

    def close(self) -> None:
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(self._columns), restval="", lineterminator="\n")
        writer.writeheader()
        writer.writerows(self._rows)
        _emit(buf.getvalue(), self._out, self._stream)


def flatten(data: Any, prefix: str = "") -> dict[str, str]:
    """Nested dicts and lists → ``{"seller.name": "...", "line_items[0].quantity": "2"}`` (None is dropped)."""
    out: dict[str, str] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            out.update(flatten(value, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            out.update(flatten(value, f"{prefix}[{i}]"))
    elif data is not None:
        out[prefix or "value"] = _scalar(data)
    return out


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def escape_cell(value: str) -> str:
    """Defuse a cell a spreadsheet would run as a formula (a leading apostrophe); plain numbers pass."""
    if value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def _emit(text: str, out: Path | None, stream: TextIO) -> None:
    if out is None:
        stream.write(text)
        stream.flush()
    else:
        atomic_write_text(out, text)


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same directory and ``os.replace``."""
    directory = path.resolve().parent
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):  # durability of the rename; not possible on every platform
        dir_fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
