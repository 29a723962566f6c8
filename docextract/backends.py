"""The backends an ExtractOptions names, each with its options checked against the backend's ``Options``.

``ExtractOptions.backends`` maps a backend name ("tesseract", or "ocr.tesseract" where a name is used by
two kinds) to its options, a dict or the backend's Options instance. Everything is checked here, once,
when an Extractor is built or the CLI reads its arguments: an unknown backend or option is a ConfigError
that names it and lists the known ones, before any file is opened.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from docextract import registry
from docextract.backend import BackendOptions, Runtime
from docextract.errors import ConfigError
from docextract.options import ExtractOptions

if TYPE_CHECKING:
    from docextract.protocols import OcrEngine

# The kinds a name in ``ExtractOptions.backends`` may refer to (rules are configured by the schema).
_KINDS: tuple[registry.Kind, ...] = ("loader", "ocr", "layout", "tier")


@dataclass(frozen=True, slots=True)
class Choice:
    """One backend to build: its kind, name, class and checked options."""

    kind: registry.Kind
    name: str
    cls: Any
    options: BackendOptions

    def build(self, runtime: Runtime) -> Any:
        """The backend, built as ``cls(options, runtime)``.

        Raises:
            ConfigError: the class cannot be built that way (a backend written before contract v2).
        """
        try:
            return self.cls(self.options, runtime)
        except TypeError as exc:
            where = f"{self.cls.__module__}.{self.cls.__qualname__}"
            raise ConfigError(
                f"{self.kind} backend {self.name!r} ({where}) cannot be built as Backend(options, runtime): {exc}; "
                "backends subclass docextract.backend.Backend (or take those two arguments)"
            ) from exc


@dataclass(frozen=True, slots=True)
class Plan:
    """Every backend an ExtractOptions uses, checked."""

    tiers: tuple[Choice, ...]
    layout: Choice
    ocr: Choice
    loaders: Mapping[str, Choice]


def find(key: str) -> tuple[registry.Kind, str]:
    """The kind and name of a key of ``ExtractOptions.backends``.

    Raises:
        ConfigError: no backend has that name, or two kinds do and the key does not say which.
    """
    prefix, dot, rest = key.partition(".")
    for kind in _KINDS:
        if dot and prefix == kind:
            if rest in registry.names(kind):
                return kind, rest
            raise ConfigError(f"unknown {kind} backend {rest!r}; known: {', '.join(registry.names(kind)) or 'none'}")
    kinds = [k for k in _KINDS if key in registry.names(k)]
    if len(kinds) > 1:
        raise ConfigError(f"backend name {key!r} is used by {' and '.join(kinds)}: write it as "
                          + " or ".join(f"{k}.{key}" for k in kinds))
    if not kinds:
        known = sorted({n for k in _KINDS for n in registry.names(k)})
        raise ConfigError(f"unknown backend {key!r}; known: {', '.join(known)}")
    return kinds[0], key


def checked_options(cls: Any, name: str, given: Any) -> BackendOptions:
    """``given`` (None, a dict or an Options instance) as ``cls.Options``.

    Raises:
        ConfigError: an unknown option (the message lists the known ones), a bad value, or options of
            another backend's class.
    """
    opts_cls: type[BackendOptions] = getattr(cls, "Options", BackendOptions)
    if isinstance(given, BaseModel):
        if not isinstance(given, opts_cls):
            raise ConfigError(f"backend {name!r} takes {opts_cls.__name__}, not {type(given).__name__}")
        return given
    try:
        return opts_cls.model_validate(given or {})
    except (ValidationError, ConfigError) as exc:
        # Options models raise ConfigError over pydantic's error; a plugin's may raise the error itself.
        cause = exc if isinstance(exc, ValidationError) else exc.__cause__
        if not isinstance(cause, ValidationError):
            raise
        raise ConfigError(f"backend {name!r}: {_explain(cause, opts_cls)}") from exc


def _explain(exc: ValidationError, opts_cls: type[BackendOptions]) -> str:
    known = ", ".join(k for k in opts_cls.model_fields if k != "kind") or "none"
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"])
        if err["type"] == "extra_forbidden":
            parts.append(f"unknown option {where!r} (known: {known})")
        else:
            parts.append(f"{where}: {err['msg']}")
    return "; ".join(parts)


def given_options(options: ExtractOptions) -> dict[tuple[registry.Kind, str], Any]:
    """``options.backends`` keyed by (kind, name), every key checked."""
    out: dict[tuple[registry.Kind, str], Any] = {}
    for key, value in options.backends.items():
        kind, name = find(key)
        if (kind, name) in out:
            raise ConfigError(f"options for backend {name!r} are given twice ({key!r})")
        out[(kind, name)] = value
    return out


def plan(options: ExtractOptions) -> Plan:
    """Check every backend ``options`` names and every option given to one; what to build.

    Raises:
        ConfigError: an unknown tier, OCR engine, layout model or backend option.
    """
    given = given_options(options)
    for (kind, name), value in given.items():
        checked_options(registry.load(kind, name), name, value)

    def choose(kind: registry.Kind, name: str) -> Choice:
        cls = registry.load(kind, name)
        return Choice(kind, name, cls, checked_options(cls, name, given.get((kind, name))))

    if not options.tiers:
        raise ConfigError("no tiers to run; name at least one (known: " + ", ".join(registry.names("tier")) + ")")
    return Plan(
        tiers=tuple(choose("tier", t) for t in options.tiers),
        layout=choose("layout", options.layout),
        ocr=choose("ocr", options.ocr.engine),
        loaders={n: choose("loader", n) for n in registry.names("loader")},
    )


def ocr_engine(choice: Choice, runtime: Runtime) -> OcrEngine:
    """The OCR engine of ``choice``, from the process-wide pool (built on first use, then reused)."""
    from docextract.pool import shared_pool

    engine: OcrEngine = shared_pool().get(choice.kind, choice.name, choice.options, runtime,
                                          lambda: choice.build(runtime))
    return engine

