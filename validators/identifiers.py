"""Rules on identifiers with check digits: IBANs and VAT ids (python-stdnum)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from docextract.result import Issue
from docextract.schema import SchemaSpec
from docextract.validators.fields import paths_of_kind


def _masked(number: str) -> str:
    """Enough of an account number to find it on the page, not enough to leak it into logs."""
    return f"{number[:4]}…{number[-4:]}" if len(number) > 8 else "…"


class IbanChecksum:
    """Every IBAN field passes the ISO 7064 mod 97 check and its country's length and format."""

    name = "iban_checksum"

    def check(self, values: Mapping[str, Any], spec: SchemaSpec) -> list[Issue]:
        from stdnum import iban
        from stdnum.exceptions import InvalidChecksum, ValidationError

        issues = []
        for path in paths_of_kind(spec, values, "iban", "iban"):
            value = values[path]
            if not isinstance(value, str) or not value.strip():
                continue
            number = iban.compact(value)
            try:
                iban.validate(number)
            except InvalidChecksum:
                issues.append(Issue(code=self.name, severity="error", fields=(path,),
                                    message=f"{path} {_masked(number)} fails the IBAN checksum"))
            except ValidationError:
                issues.append(Issue(code=self.name, severity="error", fields=(path,),
                                    message=f"{path} {_masked(number)} is not a valid IBAN for its country"))
            else:
                issues.append(Issue(code=f"{self.name}_confirmed", severity="info", fields=(path,),
                                    message=f"{path} passes the IBAN checksum"))
        return issues


_PREFIX = re.compile(r"^(CHE|[A-Z]{2})")


class VatIdFormat:
    """Every VAT id field fits its country's format and check digits (EU, GB, CH, NO and the other
    countries python-stdnum knows). An id of a country stdnum does not know is left alone."""

    name = "vat_id_format"

    def check(self, values: Mapping[str, Any], spec: SchemaSpec) -> list[Issue]:
        from stdnum.exceptions import InvalidChecksum, ValidationError

        from docextract.coerce.identifiers import vat_module

        issues = []
        for path in paths_of_kind(spec, values, "vat_id", "vat"):
            value = values[path]
            if not isinstance(value, str):
                continue
            number = re.sub(r"[\s.\-/]", "", value).upper()
            prefix = _PREFIX.match(number)
            module = vat_module(prefix.group()) if prefix else None
            if module is None:
                continue
            error: ValidationError | None = None
            for candidate in (number, number[len(prefix.group()) :] if prefix else number):
                try:
                    module.validate(candidate)
                    error = None
                    break
                except ValidationError as exc:
                    error = exc if error is None or isinstance(exc, InvalidChecksum) else error
            if error is None:
                issues.append(Issue(code=f"{self.name}_confirmed", severity="info", fields=(path,),
                                    message=f"{path} passes its country's VAT id check"))
            else:
                what = "fails its check digits" if isinstance(error, InvalidChecksum) else "has the wrong format"
                issues.append(Issue(code=self.name, severity="warning", fields=(path,),
                                    message=f"{path} {number} {what} for a {prefix.group() if prefix else ''} VAT id"))
        return issues
