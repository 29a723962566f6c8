"""Rules on currency fields: the value is an ISO 4217 code."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from docextract.result import Issue
from docextract.schema import SchemaSpec
from docextract.validators.fields import paths_of_kind


class CurrencyIso4217:
    """Every currency field holds an ISO 4217 code ("EUR"), not a symbol or a name."""

    name = "currency_iso4217"

    def check(self, values: Mapping[str, Any], spec: SchemaSpec) -> list[Issue]:
        from docextract.coerce import is_iso_currency

        issues = []
        for path in paths_of_kind(spec, values, "currency", "currency"):
            value = values[path]
            if isinstance(value, str) and not is_iso_currency(value):
                issues.append(Issue(code=self.name, severity="error", fields=(path,),
                                    message=f"{path} {value!r} is not an ISO 4217 currency code"))
        return issues
