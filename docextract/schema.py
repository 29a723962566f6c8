"""A user's schema, whatever form it comes in, turned into a SchemaSpec the tiers can read.

Accepted: a pydantic model class; a built-in name (``"Invoice"``); ``"pkg.mod:Class"``;
``"path/file.py:Class"``; a JSON Schema file (``*.json``), validated with jsonschema on output.

Per field, a schema may say more through ``json_schema_extra``:
``labels`` (label wordings, any language), ``kind`` (see ``FieldKind``), ``position`` (where a
label-less field sits: ``"top"``, ``"after:<field>"``), and per model
``docextract_rules`` (a ClassVar tuple of validator names that apply).
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import functools
import importlib
import importlib.util
import re
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, Field, ValidationError, create_model

from docextract.errors import SchemaError
from docextract.json_schema import read_json_schema

FieldKind = Literal[
    "string", "text", "date", "amount", "number", "integer", "percent", "currency", "iban", "vat_id", "enum", "boolean"
]

# Names that make a bare float/Decimal a money amount rather than a plain number.
_MONEY_WORDS = re.compile(r"total|amount|price|net|tax|vat|gross|due|sum|balance|fee|cost|paid|subtotal|charge")


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One scalar field. ``path`` is dotted from the schema root (``seller.name``), or from the item for
    fields of a table (``quantity``)."""

    path: str
    kind: FieldKind
    required: bool
    description: str = ""
    labels: tuple[str, ...] = ()
    enum_values: tuple[str, ...] = ()
    # Where a field without a label sits: "top" (the first prominent lines of page 1), "after:<field>"
    # (the lines under that field's value). Read from ``json_schema_extra={"position": ...}``.
    position: str | None = None

    @property
    def name(self) -> str:
        return self.path.rsplit(".", 1)[-1]


@dataclass(frozen=True, slots=True)
class TableSpec:
    """A list-of-model field, read from tables: ``line_items`` with its item fields."""

    path: str
    item_fields: tuple[FieldSpec, ...]
    required: bool
    description: str = ""
    labels: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SchemaSpec:
    """A schema flattened for extraction."""

    name: str
    model: type[BaseModel]
    fields: tuple[FieldSpec, ...]
    tables: tuple[TableSpec, ...] = ()
    rules: tuple[str, ...] = ()
    json_schema: dict[str, Any] | None = None
    _by_path: dict[str, FieldSpec] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_path.update({f.path: f for f in self.fields})

    def field(self, path: str) -> FieldSpec | None:
        return self._by_path.get(path)

    def table(self, path: str) -> TableSpec | None:
        return next((t for t in self.tables if t.path == path), None)

    @property
    def required_paths(self) -> tuple[str, ...]:
        return tuple(f.path for f in self.fields if f.required) + tuple(t.path for t in self.tables if t.required)

    def build(self, values: dict[str, Any]) -> tuple[Any, list[str]]:
        """Nest flat ``values`` and validate them into the model.

        Returns the instance (a plain dict for a JSON Schema) and the paths pydantic rejected, which were
        dropped so that the rest still builds. A required field that was not found does not cost the record:
        the instance is then of a subclass of the model in which required fields may be None (the result's
        status already says "review").
        """
        model = self.model
        rejected: list[str] = []
        for _ in range(len(values) + 2):
            try:
                inst = model.model_validate(unflatten(values))
            except ValidationError as exc:
                errors = exc.errors()
                if model is self.model and any(e["type"] == "missing" for e in errors):
                    model = relaxed_model(self.model)
                    continue
                # A required cell missing inside a list row costs that row, not the record.
                bad = {loc_path(e["loc"][:-1] if e["type"] == "missing" else e["loc"]) for e in errors}
                drop = [p for p in values if any(p == b or p.startswith((b + ".", b + "[")) for b in bad)]
                if not drop:
                    return None, rejected + sorted(bad)
                rejected.extend(drop)
                values = {k: v for k, v in values.items() if k not in drop}
                continue
            if self.json_schema is not None:
                return inst.model_dump(mode="json", exclude_none=True), rejected
            return inst, rejected
        return None, rejected


@functools.cache
def relaxed_model(model: type[BaseModel]) -> type[BaseModel]:
    """A subclass of ``model`` (same name) whose required fields, nested ones included, default to None."""
    overrides: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        inner = _strip_optional(info.annotation)
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            relaxed = relaxed_model(inner)
            if relaxed is inner and not info.is_required():
                continue
            default = None if info.is_required() or info.default is None else Field(default_factory=relaxed)
            overrides[name] = (typing.Optional[relaxed], default)  # noqa: UP045 (built at run time)
        elif info.is_required():
            overrides[name] = (typing.Optional[info.annotation], None)  # noqa: UP045
    if not overrides:
        return model
    return create_model(model.__name__, __base__=model, __module__=model.__module__, **overrides)


def loc_path(loc: tuple[int | str, ...]) -> str:
    """A validation error location → our flat path: ("line_items", 2, "quantity") → "line_items[2].quantity"."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def unflatten(values: dict[str, Any]) -> dict[str, Any]:
    """``{"seller.name": "A", "line_items[0].quantity": 2}`` → nested dicts and lists."""
    root: dict[str, Any] = {}
    for path, value in values.items():
        parts: list[str | int] = [
            m.group(1) if m.group(1) is not None else int(m.group(2)) for m in _PATH_PART.finditer(path)
        ]
        node: Any = root
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            nxt: Any = value if last else ([] if isinstance(parts[i + 1], int) else {})
            if isinstance(part, int):
                while len(node) <= part:
                    node.append(None)
                if last or node[part] is None:
                    node[part] = nxt
                node = node[part]
            elif last:
                node[part] = nxt
            else:
                node = node.setdefault(part, nxt)
    nested: dict[str, Any] = _drop_holes(root)
    return nested


def _drop_holes(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _drop_holes(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_drop_holes(v) for v in node if v is not None]
    return node


# ---------------------------------------------------------------------------------------------------------
# Resolution


def resolve_schema(schema: type[BaseModel] | str | Path | SchemaSpec) -> SchemaSpec:
    """Turn any accepted schema form into a SchemaSpec.

    Raises:
        SchemaError: the name, module, file or class cannot be found, or it is not a pydantic model or
            a JSON Schema.
    """
    if isinstance(schema, SchemaSpec):
        return schema
    if isinstance(schema, type) and issubclass(schema, BaseModel):
        return spec_from_model(schema)
    if isinstance(schema, (str, Path)):
        text = str(schema)
        if text.lower().endswith(".json"):
            return _from_json_schema_file(Path(text))
        if ":" in text:
            return spec_from_model(_load_class(text))
        from docextract.schemas import BUILTIN

        if text in BUILTIN:
            return spec_from_model(BUILTIN[text])
        lowered = {k.lower(): v for k, v in BUILTIN.items()}
        if text.lower() in lowered:
            return spec_from_model(lowered[text.lower()])
        known = ", ".join(sorted(BUILTIN))
        raise SchemaError(
            f"unknown schema {text!r}",
            hint=f"use a built-in name ({known}), 'pkg.module:Class', 'file.py:Class' or a JSON Schema '*.json'",
        )
    raise SchemaError(f"a schema must be a pydantic model class, a name or a path, not {type(schema).__name__}")


def _load_class(ref: str) -> type[BaseModel]:
    target, _, cls_name = ref.rpartition(":")
    if not target or not cls_name:
        raise SchemaError(f"schema reference {ref!r} must look like 'pkg.module:Class' or 'file.py:Class'")
    try:
        if target.endswith(".py") or "/" in target or "\\" in target:
            path = Path(target)
            if not path.is_file():
                raise SchemaError(f"schema file {target} does not exist", path=target)
            mod_name = f"_docextract_user_schema_{abs(hash(path.resolve()))}"
            spec = importlib.util.spec_from_file_location(mod_name, path)
            if spec is None or spec.loader is None:
                raise SchemaError("cannot import this file as Python", path=target)
            module = importlib.util.module_from_spec(spec)
            import sys

            sys.modules[mod_name] = module
            spec.loader.exec_module(module)
        else:
            module = importlib.import_module(target)
    except SchemaError:
        raise
    except Exception as exc:  # user code: any error importing it is a schema error
        raise SchemaError(f"cannot import {target!r}: {type(exc).__name__}: {exc}", path=target) from exc
    cls = getattr(module, cls_name, None)
    if not (isinstance(cls, type) and issubclass(cls, BaseModel)):
        raise SchemaError(f"{cls_name!r} in {target!r} is not a pydantic model class", path=target)
    return cls


def _from_json_schema_file(path: Path) -> SchemaSpec:
    name, raw, model = read_json_schema(path)
    spec = spec_from_model(model)
    return SchemaSpec(
        name=name,
        model=model,
        fields=spec.fields,
        tables=spec.tables,
        rules=tuple(raw.get("x-docextract-rules", ())),
        json_schema=raw,
    )


def spec_from_model(model: type[BaseModel]) -> SchemaSpec:
    """Flatten a pydantic model into a SchemaSpec."""
    fields: list[FieldSpec] = []
    tables: list[TableSpec] = []
    _walk(model, "", fields, tables, parent_required=True)
    rules = tuple(getattr(model, "docextract_rules", ()))
    return SchemaSpec(name=model.__name__, model=model, fields=tuple(fields), tables=tuple(tables), rules=rules)


def _walk(
    model: type[BaseModel], prefix: str, fields: list[FieldSpec], tables: list[TableSpec], parent_required: bool
) -> None:
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        required = parent_required and (info.is_required() or bool(extra.get("required")))
        labels = tuple(str(x) for x in extra.get("labels", ()))  # type: ignore[union-attr]
        ann = _strip_optional(info.annotation)
        item = _list_item(ann)
        if item is not None and isinstance(item, type) and issubclass(item, BaseModel):
            item_fields: list[FieldSpec] = []
            _walk(item, "", item_fields, [], parent_required=True)
            tables.append(TableSpec(path, tuple(item_fields), required, info.description or "", labels))
            continue
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            _walk(ann, path + ".", fields, tables, parent_required=required)
            continue
        kind = _kind(extra.get("kind")) or _infer_kind(name, ann)
        enum_values = _enum_values(ann)
        position = extra.get("position")
        fields.append(
            FieldSpec(
                path,
                kind,
                required,
                info.description or "",
                labels,
                enum_values,  # type: ignore[arg-type]
                str(position) if position else None,
            )
        )


def _kind(value: Any) -> FieldKind | None:
    if value is None:
        return None
    if value not in get_args(FieldKind):
        raise SchemaError(f"unknown field kind {value!r}; known: {', '.join(get_args(FieldKind))}")
    return typing.cast(FieldKind, value)


def _strip_optional(ann: Any) -> Any:
    origin = get_origin(ann)
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(ann) if a is not type(None)]
        if len(args) == 1:
            return _strip_optional(args[0])
    if origin is typing.Annotated:
        return _strip_optional(get_args(ann)[0])
    return ann


def _list_item(ann: Any) -> Any:
    if get_origin(ann) in (list, tuple, typing.Sequence):
        args = get_args(ann)
        return _strip_optional(args[0]) if args else None
    return None


def _enum_values(ann: Any) -> tuple[str, ...]:
    if get_origin(ann) is Literal:
        return tuple(str(a) for a in get_args(ann))
    if isinstance(ann, type) and issubclass(ann, enum.Enum):
        return tuple(str(m.value) for m in ann)
    return ()


def _infer_kind(name: str, ann: Any) -> FieldKind:
    lowered = name.lower()
    if _enum_values(ann):
        return "enum"
    if ann is dt.date or ann is dt.datetime:
        return "date"
    if ann is bool:
        return "boolean"
    if ann is int:
        return "integer"
    if ann in (float, decimal.Decimal):
        if "percent" in lowered or lowered.endswith("_rate") or lowered == "rate":
            return "percent"
        return "amount" if _MONEY_WORDS.search(lowered) else "number"
    if "iban" in lowered:
        return "iban"
    if "vat" in lowered and "id" in lowered:
        return "vat_id"
    if lowered == "currency" or lowered.endswith("_currency"):
        return "currency"
    return "string"


def required_models(model: type[BaseModel]) -> tuple[str, ...]:
    """Dotted paths of the nested models that are required all the way from the root (``seller``).

    A required nested model whose own fields are all optional puts no path in ``required_paths``; the status
    needs to know it is required all the same, or a document missing it would pass as "ok".
    """
    out: list[str] = []

    def walk(m: type[BaseModel], prefix: str) -> None:
        for name, info in m.model_fields.items():
            extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
            ann = _strip_optional(info.annotation)
            if (info.is_required() or bool(extra.get("required"))) and isinstance(ann, type) and issubclass(
                ann, BaseModel
            ):
                out.append(prefix + name)
                walk(ann, f"{prefix}{name}.")

    walk(model, "")
    return tuple(out)
