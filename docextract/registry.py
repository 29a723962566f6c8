"""kind + name → backend class. Built-ins are "module:Class" strings imported on first use; third parties
register through the entry-point group ``docextract.backends`` with names like ``ocr.myengine``."""

from __future__ import annotations

import importlib
from functools import cache
from importlib.metadata import entry_points
from typing import Any, Literal

from docextract.errors import ConfigError

Kind = Literal["ocr", "layout", "tier", "rule"]

ENTRY_POINT_GROUP = "docextract.backends"

BUILTIN: dict[str, dict[str, str]] = {
    "ocr": {
        "tesseract": "docextract.ocr.tesseract:TesseractEngine",
        "rapidocr": "docextract.ocr.rapidocr:RapidOcrEngine",
    },
    "layout": {
        "heuristic": "docextract.layout.heuristic:HeuristicLayout",
    },
    "tier": {
        "einvoice": "docextract.tiers.einvoice.tier:EInvoiceTier",
        "rules": "docextract.tiers.rules.tier:RulesTier",
    },
    "rule": {},  # built-in rules are listed by docextract.validators
}


@cache
def _plugins() -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {k: {} for k in BUILTIN}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        kind, _, name = ep.name.partition(".")
        if kind in found and name:
            found[kind][name] = ep
    return found


def names(kind: Kind) -> list[str]:
    """Every registered name of a kind, built-in and plugin."""
    return sorted(set(BUILTIN[kind]) | set(_plugins()[kind]))


def load(kind: Kind, name: str) -> Any:
    """The class registered as ``name``; imported now, not before.

    Raises:
        ConfigError: the name is unknown (the message lists the known ones).
    """
    plugin = _plugins()[kind].get(name)
    if plugin is not None:
        return plugin.load()
    ref = BUILTIN[kind].get(name)
    if ref is None:
        raise ConfigError(f"unknown {kind} backend {name!r}; known: {', '.join(names(kind)) or 'none'}")
    module, _, attr = ref.partition(":")
    return getattr(importlib.import_module(module), attr)


def register(kind: Kind, name: str, ref: str) -> None:
    """Register a backend in-process by "module:Class" (entry points are the way for packages)."""
    BUILTIN[kind][name] = ref
