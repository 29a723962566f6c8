"""Small PDF table generator for the table tests: pages with a header, body rows (cells may wrap onto
several lines), optional ruling, and free text lines; and a loader that turns the PDF into a Document."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pymupdf

from docextract.document import Document

FONT_SIZE = 9.0
LINE = 12.0


@dataclass
class Col:
    x0: float
    x1: float
    right: bool = False  # right-aligned (numbers)


@dataclass
class PageSpec:
    cols: list[Col]
    header: list[str] | list[list[str]] | None  # a list of lists: a header stacked over several lines
    rows: list[list[str | list[str]]]  # a list of strings is a cell wrapped onto several lines
    top: float = 150.0
    ruled: bool = False
    before: list[str] = field(default_factory=list)  # free lines above the table
    after: list[tuple[str, str]] = field(default_factory=list)  # (label, amount) lines under the table
    margin: str = ""  # text turned 90° in the left margin, running down beside the table
    row_gap: float = 0.0  # extra space between body rows (boxed items)


def _put(page: pymupdf.Page, col: Col, y: float, text: str) -> None:
    if not text:
        return
    x = col.x1 - pymupdf.get_text_length(text, fontsize=FONT_SIZE) if col.right else col.x0
    page.insert_text((x, y), text, fontsize=FONT_SIZE)


def _header_lines(header: list[str] | list[list[str]]) -> list[list[str]]:
    out: list[list[str]] = []
    for h in header:
        if isinstance(h, list):
            out.append(h)
        else:
            return [[str(x) for x in header]]
    return out


def write_pdf(path: Path, pages: list[PageSpec]) -> Path:
    doc = pymupdf.open()  # type: ignore[no-untyped-call]
    for spec in pages:
        page = doc.new_page(width=595, height=842)
        y = 60.0
        for line in spec.before:
            page.insert_text((50, y), line, fontsize=FONT_SIZE)
            y += LINE
        y = spec.top
        left, right = spec.cols[0].x0 - 4, spec.cols[-1].x1 + 4
        rule_ys = [y - LINE + 2]
        if spec.header:
            header = _header_lines(spec.header)
            for k, cells in enumerate(header):
                for col, text in zip(spec.cols, cells, strict=True):
                    _put(page, col, y + k * (LINE - 3), text)  # stacked lines set tight
            y += (len(header) - 1) * (LINE - 3) + LINE + 4
            rule_ys.append(y - LINE + 2)
        for row in spec.rows:
            height = max(len(c) if isinstance(c, list) else 1 for c in row)
            for col, cell in zip(spec.cols, row, strict=True):
                for k, text in enumerate(cell if isinstance(cell, list) else [cell]):
                    _put(page, col, y + k * LINE, text)
            y += height * LINE + (4 if spec.ruled else 2) + spec.row_gap
            rule_ys.append(y - LINE + 2)
        if spec.ruled:
            for ry in rule_ys:
                page.draw_line((left, ry), (right, ry), width=0.5)
            xs = [left] + [(a.x1 + b.x0) / 2 for a, b in zip(spec.cols, spec.cols[1:], strict=False)] + [right]
            for x in xs:
                page.draw_line((x, rule_ys[0]), (x, rule_ys[-1]), width=0.5)
        if spec.margin:
            page.insert_text((20, spec.top), spec.margin, fontsize=FONT_SIZE, rotate=270)
        y += LINE
        for label, amount in spec.after:
            _put(page, spec.cols[-2], y, label)
            _put(page, spec.cols[-1], y, amount)
            y += LINE
    doc.save(path)  # type: ignore[no-untyped-call]
    doc.close()  # type: ignore[no-untyped-call]
    return path


def load(path: Path) -> Document:
    """The Document as the pipeline sees it before layout: words and ruling from the real loader."""
    from docextract.load import open_document
    from docextract.options import ExtractOptions

    return open_document(path, ExtractOptions())
