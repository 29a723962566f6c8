"""Soft validation rules. PLACEHOLDER: replaced by the validators work."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from docextract.result import Issue
from docextract.schema import SchemaSpec


def run_rules(spec: SchemaSpec, values: Mapping[str, Any]) -> list[Issue]:
    return []
