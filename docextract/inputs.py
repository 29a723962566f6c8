"""Command-line inputs → files: plain files, directories (walked recursively) and glob patterns."""

from __future__ import annotations

import glob
import hashlib
from collections.abc import Iterable
from pathlib import Path

from docextract.errors import DocExtractError, InputError, MissingFileError

# Directory walks pick files by name; each file's real type is still decided from its content by the loader.
DOCUMENT_SUFFIXES = frozenset({".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".webp", ".xml"})

_GLOB_CHARS = frozenset("*?[")


def expand_inputs(items: Iterable[str | Path]) -> list[Path | DocExtractError]:
    """Expand files, directories and globs, in the order given; duplicates are kept once.

    A directory contributes its documents (by extension, recursively, sorted); a glob its matches
    (sorted). An item that yields nothing becomes an InputError in its place, so that it can be reported
    as a failed record while the other inputs go on.

    Args:
        items: paths, directories or glob patterns (``invoices/**/*.pdf``).

    Returns:
        Files to extract, and errors for the inputs that named no document.
    """
    out: list[Path | DocExtractError] = []
    seen: set[Path] = set()

    def add(path: Path) -> None:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            out.append(path)

    for item in items:
        text = str(item)
        path = Path(text)
        if path.is_dir():
            docs = _documents_under(path)
            if not docs:
                out.append(InputError(f"no documents found in {text}", path=text,
                                      hint="looked for " + " ".join(sorted(DOCUMENT_SUFFIXES))))
            for doc in docs:
                add(doc)
        elif path.exists() or not (_GLOB_CHARS & set(text)):
            if path.exists():
                add(path)
            else:
                out.append(MissingFileError("no such file", path=text))
        else:
            matches = sorted(Path(m) for m in glob.glob(text, recursive=True))
            files = [m for m in matches if m.is_file()]
            for m in matches:
                if m.is_dir():
                    files.extend(_documents_under(m))
            if not files:
                out.append(MissingFileError("no files match this pattern", path=text))
            for f in files:
                add(f)
    return out


def _documents_under(directory: Path) -> list[Path]:
    return sorted(
        p for p in directory.rglob("*")
        if p.suffix.lower() in DOCUMENT_SUFFIXES and p.is_file() and not any(
            part.startswith(".") for part in p.relative_to(directory).parts)
    )


def file_sha256(path: str | Path) -> str | None:
    """The sha256 of a file's bytes, read in chunks (a file refused as too large must not be loaded whole to
    be named); None when it cannot be read."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()

