"""Jupyter display of results: each page as an image with the fields' evidence boxes, and a field table.

Boxes are green when the field's confidence reaches the result's threshold and amber below it. Every piece
of text (values, evidence, file names, messages) is HTML-escaped: document text is hostile. When the file
can no longer be opened, the display falls back to the table alone.
"""

from __future__ import annotations

import base64
import html
import io
from collections import defaultdict
from pathlib import Path
from typing import Any

from docextract.result import ExtractionResult, FieldResult, register_display

GREEN = "#1a9850"
AMBER = "#f39c12"
DISPLAY_DPI = 60
MAX_PAGES = 10
MAX_PIXELS = 3_000_000
_STATUS_COLOUR = {"ok": GREEN, "review": AMBER, "failed": "#c0392b"}


def result_html(result: ExtractionResult, *, dpi: int = DISPLAY_DPI, max_pages: int = MAX_PAGES) -> str:
    """HTML for a notebook: header, page images with evidence boxes, and the table of fields.

    Args:
        result: the result to show.
        dpi: resolution of the page images (low: they are a guide, not a reading copy).
        max_pages: pages shown at most.

    Returns:
        A self-contained HTML fragment (images inline as base64 PNG).
    """
    parts = ['<div class="docextract-result" style="font-family:sans-serif;font-size:13px">', _header(result)]
    if result.status != "failed" or result.pages:
        parts.append(_pages_html(result, dpi, max_pages))
    parts.append(_fields_table(result))
    parts.append(_issues_list(result))
    parts.append("</div>")
    return "".join(parts)


def result_text(result: ExtractionResult) -> str:
    """A plain-text summary: status, then one line per field with value, confidence and source."""
    lines = [f"{result.schema_name} from {result.file}: {result.status} (threshold {result.threshold})"]
    if result.error is not None:
        lines.append(f"  error {result.error.type}: {result.error.message}")
    for path, field in result.fields.items():
        mark = "" if field.confidence >= result.threshold else "  < threshold"
        lines.append(f"  {path} = {field.value!r}  [{field.confidence:.2f} {field.source or ''}]{mark}")
    for issue in result.issues:
        lines.append(f"  ! {issue.severity} {issue.code}: {issue.message}")
    return "\n".join(lines)


def mimebundle(result: ExtractionResult) -> dict[str, str]:
    """``{"text/plain": ..., "text/html": ...}`` for ``_repr_mimebundle_``."""
    return {"text/plain": result_text(result), "text/html": result_html(result)}


register_display(mimebundle)


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _colour(field: FieldResult, threshold: float) -> str:
    return GREEN if field.confidence >= threshold else AMBER


def _header(result: ExtractionResult) -> str:
    colour = _STATUS_COLOUR.get(result.status, AMBER)
    out = (f'<div><b>{_e(Path(result.file).name)}</b> &middot; {_e(result.schema_name)} &middot; '
           f'<span style="color:#fff;background:{colour};padding:1px 6px;border-radius:3px">'
           f"{_e(result.status)}</span> &middot; threshold {_e(result.threshold)}</div>")
    if result.error is not None:
        out += f'<div style="color:#c0392b">{_e(result.error.type)}: {_e(result.error.message)}</div>'
    return out


def _pages_html(result: ExtractionResult, dpi: int, max_pages: int) -> str:
    try:
        images = _render(result, dpi, max_pages)
    except Exception as exc:  # the file moved, changed or cannot be rendered: the table still shows
        return f'<div style="color:#777">page images unavailable: {_e(type(exc).__name__)}: {_e(exc)}</div>'
    boxes: dict[int, list[tuple[str, FieldResult, tuple[float, float, float, float]]]] = defaultdict(list)
    for path, field in result.fields.items():
        for ev in field.evidence:
            if ev.page is not None and ev.box is not None:
                boxes[ev.page].append((path, field, ev.box))
    out = ['<div style="display:flex;flex-wrap:wrap;gap:8px;margin:6px 0">']
    for index, (png, width, height) in enumerate(images):
        rects = "".join(
            f'<rect x="{x0:.4f}" y="{y0:.4f}" width="{max(x1 - x0, 0.002):.4f}" height="{max(y1 - y0, 0.002):.4f}" '
            f'fill="{_colour(f, result.threshold)}" fill-opacity="0.18" stroke="{_colour(f, result.threshold)}" '
            f'stroke-width="0.002"><title>{_e(path)} = {_e(f.value)} ({f.confidence:.2f})</title></rect>'
            for path, f, (x0, y0, x1, y1) in boxes.get(index, [])
        )
        out.append(
            f'<div style="position:relative;width:{width}px;height:{height}px;border:1px solid #ccc">'
            f'<img alt="page {index + 1}" width="{width}" height="{height}" '
            f'src="data:image/png;base64,{png}" style="position:absolute;left:0;top:0"/>'
            f'<svg viewBox="0 0 1 1" preserveAspectRatio="none" width="{width}" height="{height}" '
            f'style="position:absolute;left:0;top:0">{rects}</svg></div>'
        )
    out.append("</div>")
    return "".join(out)


def _render(result: ExtractionResult, dpi: int, max_pages: int) -> list[tuple[str, int, int]]:
    from docextract.load import open_document
    from docextract.load.render import render_page
    from docextract.options import ExtractOptions

    doc = open_document(Path(result.file), ExtractOptions())
    if result.sha256 is not None and doc.sha256 != result.sha256:
        raise ValueError("the file has changed since it was extracted")
    images = []
    for index in range(min(len(doc.pages), max_pages)):
        image = render_page(doc, index, dpi, MAX_PIXELS)
        buf = io.BytesIO()
        image.save(buf, format="PNG", optimize=True)
        images.append((base64.b64encode(buf.getvalue()).decode("ascii"), image.width, image.height))
    return images


def _fields_table(result: ExtractionResult) -> str:
    if not result.fields:
        return '<div style="color:#777">no fields</div>'
    rows = []
    for path, field in result.fields.items():
        colour = _colour(field, result.threshold)
        evidence = "; ".join(
            (f"p{ev.page + 1} " if ev.page is not None else "") + (ev.text or ev.xpath or "") for ev in field.evidence
        )
        rows.append(
            f"<tr><td><code>{_e(path)}</code></td><td>{_e('' if field.value is None else field.value)}</td>"
            f'<td style="color:{colour};font-weight:bold">{field.confidence:.2f}</td>'
            f"<td>{_e(field.source or '')}</td><td>{_e(evidence)}</td></tr>"
        )
    return ('<table style="border-collapse:collapse;text-align:left"><thead><tr><th>field</th><th>value</th>'
            "<th>confidence</th><th>source</th><th>evidence</th></tr></thead><tbody>" + "".join(rows)
            + "</tbody></table>")


def _issues_list(result: ExtractionResult) -> str:
    if not result.issues:
        return ""
    items = "".join(f"<li>{_e(i.severity)} <code>{_e(i.code)}</code>: {_e(i.message)}</li>" for i in result.issues)
    return f"<ul>{items}</ul>"
