"""kind + name → backend class. Built-ins are "module:Class" strings imported on first use; third parties
register through the entry-point group ``docextract.backends`` with names like ``tier.mytier``.

A plugin may add names, never take one: a plugin named like a built-in would silently change what a
configuration means, so it is a ConfigError.
"""

from __future__ import annotations

import importlib
from functools import cache
from importlib.metadata import EntryPoint, entry_points
from typing import TYPE_CHECKING, Any, Literal, cast

from docextract.errors import ConfigError

if TYPE_CHECKING:
    from docextract.protocols import LayoutModel, Loader, OcrEngine, Tier

Kind = Literal["loader", "ocr", "layout", "tier", "rule"]
KINDS: tuple[Kind, ...] = ("loader", "ocr", "layout", "tier", "rule")

ENTRY_POINT_GROUP = "docextract.backends"

BUILTIN: dict[str, dict[str, str]] = {
    "loader": {
        "pdf": "docextract.load.pdf:PdfLoader",
        "image": "docextract.load.image:ImageLoader",
        "xml": "docextract.load.xmlfile:XmlLoader",
    },
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
# The names above as shipped: tests and in-process registrations add to BUILTIN, plugins may not shadow these.
_SHIPPED = {kind: frozenset(names) for kind, names in BUILTIN.items()}


@cache
def _plugins() -> dict[str, dict[str, EntryPoint]]:
    found: dict[str, dict[str, EntryPoint]] = {k: {} for k in BUILTIN}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        kind, _, name = ep.name.partition(".")
        if kind not in found or not name:
            continue
        if name in _SHIPPED.get(kind, ()):
            raise ConfigError(
                f"plugin entry point {ep.name!r} ({ep.value}) reuses the built-in {kind} name {name!r}; "
                f"rename it in the plugin's entry points (built-in {kind} names: {', '.join(sorted(_SHIPPED[kind]))})"
            )
        found[kind][name] = ep
    return found


def refresh() -> None:
    """Read the entry points again (after installing a plugin, or putting one on ``sys.path``)."""
    _plugins.cache_clear()


def names(kind: Kind) -> list[str]:
    """Every registered name of a kind, built-in and plugin."""
    return sorted(set(BUILTIN[kind]) | set(_plugins()[kind]))


def load(kind: Kind, name: str) -> Any:
    """The class registered as ``name``; imported now, not before. Prefer the typed ``tier`` / ``ocr`` /
    ``layout`` / ``loader``.

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


def tier(name: str) -> type[Tier]:
    """The tier class registered as ``name``."""
    return cast("type[Tier]", load("tier", name))


def ocr(name: str) -> type[OcrEngine]:
    """The OCR engine class registered as ``name``."""
    return cast("type[OcrEngine]", load("ocr", name))


def layout(name: str) -> type[LayoutModel]:
    """The layout model class registered as ``name``."""
    return cast("type[LayoutModel]", load("layout", name))


def loader(name: str) -> type[Loader]:
    """The loader class for a sniffed format ("pdf", "image", "xml")."""
    return cast("type[Loader]", load("loader", name))


def register(kind: Kind, name: str, ref: str) -> None:
    """Register a backend in-process by "module:Class" (entry points are the way for packages)."""
    BUILTIN[kind][name] = ref

