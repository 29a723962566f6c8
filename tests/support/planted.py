"""Values planted in a generated PDF and read back by a tier, so a test sets each field's score exactly.

A page word ``DX|<path>|<value>|<score>`` becomes a Candidate for ``path``. The tier reads only the
document, so it behaves the same in a worker process; the pipeline, scoring and status code run for real.
Registered by tests as ``registry.register("tier", "planted", "tests.support.planted:PlantedTier")``.
"""

from __future__ import annotations

from collections.abc import Set
from decimal import Decimal
from pathlib import Path
from typing import Any

import pymupdf
from pydantic import BaseModel

from docextract.backend import Backend, TierOutput
from docextract.result import Candidate, Evidence

PREFIX = "DX|"


def planted_pdf(path: Path, values: dict[str, tuple[str, float]], *, title: str = "Planted") -> Path:
    """A one-page PDF holding ``{path: (value, score)}`` as marker words, one per line."""
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 60), title, fontsize=14)
    for i, (field, (value, score)) in enumerate(values.items()):
        page.insert_text((72, 100 + 18 * i), f"{PREFIX}{field}|{value}|{score}", fontsize=10)
    doc.save(path)
    doc.close()
    return path


class PlantedTier(Backend):
    name = "planted"

    def extract(self, document: Any, spec: Any, wanted: Set[str], options: Any) -> TierOutput:
        out = []
        for page, word in document.all_words():
            if not word.text.startswith(PREFIX):
                continue
            _, path, value, score = word.text.split("|")
            box = (word.box.x0, word.box.y0, word.box.x1, word.box.y1)
            out.append(Candidate(path=path, value=value, raw=value, score=float(score), source="planted",
                                 evidence=(Evidence(page=page, box=box, text=word.text),)))
        return TierOutput(out)


class Who(BaseModel):
    name: str | None = None
    city: str | None = None


class Row(BaseModel):
    description: str
    amount: Decimal | None = None


class Slip(BaseModel):
    """Required: number, total, the issuer (a nested model with only optional fields). Optional: the rest."""

    number: str
    total: Decimal
    issuer: Who
    reference: str | None = None
    rows: list[Row] = []


class SlipWithoutIssuer(BaseModel):
    number: str
    total: Decimal
    issuer: Who | None = None


class Ledger(BaseModel):
    """A required table."""

    number: str
    rows: list[Row]
