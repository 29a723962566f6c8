"""A JSON Schema file turned into a pydantic model, so a user's JSON Schema is read like a model class.

Translated: object properties (nested objects become models, arrays lists), the scalar types, ``enum``,
``format: date``, local ``$ref``, ``required``, and the docextract hints (``labels``, ``kind``, ``position``,
or ``x-labels`` / ``x-kind``). Every field is optional in the model, so a partial record is still built
(and sent to review); the file itself is kept to validate the output with jsonschema.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, create_model
from pydantic.fields import FieldInfo

from docextract.errors import SchemaError


def read_json_schema(path: Path) -> tuple[str, dict[str, Any], type[BaseModel]]:
    """Read and check a JSON Schema file.

    Returns:
        Its name (``title``, else the file's stem), the schema as read, and the model built from it.

    Raises:
        SchemaError: the file is missing or unreadable, not a valid JSON Schema, or not an object with
            properties.
    """
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise SchemaError("JSON Schema file does not exist", path=path) from exc
    except (OSError, ValueError) as exc:
        raise SchemaError(f"not a readable JSON file: {exc}", path=path) from exc
    import jsonschema

    try:
        jsonschema.validators.validator_for(raw).check_schema(raw)
    except jsonschema.SchemaError as exc:
        raise SchemaError(f"not a valid JSON Schema: {exc.message}", path=path) from exc
    if raw.get("type") != "object" or not isinstance(raw.get("properties"), dict):
        raise SchemaError("the JSON Schema must describe an object with properties", path=path)
    name = str(raw.get("title") or path.stem.removesuffix(".schema"))
    return name, raw, model_from_json_schema(name, raw, raw)


def model_from_json_schema(name: str, node: dict[str, Any], root: dict[str, Any]) -> type[BaseModel]:
    required = set(node.get("required", ()))
    defs: dict[str, Any] = {}
    for prop, sub in node.get("properties", {}).items():
        sub = _deref(sub, root)
        py_type = _json_type(f"{name}_{prop}", sub, root)
        extra: dict[str, Any] = {k: sub[k] for k in ("labels", "kind", "position") if k in sub}
        for key in ("x-labels", "x-kind"):
            if key in sub:
                extra[key[2:]] = sub[key]
        if prop in required:
            # Required-ness matters for "ok"; pydantic still accepts a partial record (review, not crash).
            extra["required"] = True
        info = FieldInfo(default=None, description=sub.get("description"), json_schema_extra=extra or None)
        defs[prop] = (py_type | None, info)
    return create_model(re.sub(r"\W", "_", name) or "Schema", **defs)


def _deref(node: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/"):
        target: Any = root
        for part in ref[2:].split("/"):
            target = target.get(part, {})
        return dict(target)
    return node


def _json_type(name: str, node: dict[str, Any], root: dict[str, Any]) -> Any:
    typ = node.get("type")
    if isinstance(typ, list):
        typ = next((t for t in typ if t != "null"), "string")
    if "enum" in node:
        return Literal[tuple(node["enum"])]
    if typ == "object":
        return model_from_json_schema(name, node, root)
    if typ == "array":
        return list[_json_type(name + "_item", _deref(node.get("items", {}), root), root)]  # type: ignore[misc]
    if typ == "integer":
        return int
    if typ == "number":
        return float
    if typ == "boolean":
        return bool
    if node.get("format") == "date":
        return dt.date
    return str
