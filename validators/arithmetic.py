"""Rules that tie amounts together: net + tax = gross, the lines add up, quantity × price = line total."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from docextract.result import Issue
from docextract.schema import SchemaSpec
from docextract.validators.fields import (
    DUE,
    GROSS,
    LINE_TOTAL,
    NET,
    QUANTITY,
    TAX,
    UNIT_PRICE,
    first_of,
    money,
    rounding_tolerance,
    scalar_path,
    table_rows,
    to_decimal,
)


def _amount(spec: SchemaSpec, values: Mapping[str, Any], names: tuple[str, ...]) -> tuple[str, Decimal] | None:
    path = scalar_path(spec, values, names)
    if path is None:
        return None
    value = to_decimal(values.get(path))
    return None if value is None else (path, value)


class TotalsAddUp:
    """total_net + total_tax == total_gross, within rounding; amount_due above the gross total is
    suspicious (below it is a prepayment, which is fine)."""

    name = "totals_add_up"

    def check(self, values: Mapping[str, Any], spec: SchemaSpec) -> list[Issue]:
        net, tax, gross = _amount(spec, values, NET), _amount(spec, values, TAX), _amount(spec, values, GROSS)
        issues = []
        if net and tax and gross and len({net[0], tax[0], gross[0]}) == 3:
            paths = (net[0], tax[0], gross[0])
            diff = net[1] + tax[1] - gross[1]
            if abs(diff) <= rounding_tolerance(gross[1]):
                issues.append(Issue(code=f"{self.name}_confirmed", severity="info", fields=paths,
                                    message=f"{net[0]} + {tax[0]} = {gross[0]}"))
            else:
                issues.append(Issue(
                    code=self.name, severity="error", fields=paths,
                    message=f"{net[0]} {money(net[1])} + {tax[0]} {money(tax[1])} = {money(net[1] + tax[1])}, "
                            f"but {gross[0]} is {money(gross[1])}",
                ))
        due = _amount(spec, values, DUE)
        # Compare magnitudes: on a credit note both are negative, and -90 due against -100 is a normal refund.
        if due and gross and due[0] != gross[0] and abs(due[1]) > abs(gross[1]) + rounding_tolerance(gross[1]):
            issues.append(Issue(
                code="amount_due_above_total", severity="warning", fields=(due[0], gross[0]),
                message=f"{due[0]} {money(due[1])} is more than {gross[0]} {money(gross[1])}",
            ))
        return issues


class LinesSumToNet:
    """The line totals add up to total_net (or, for gross-priced invoices, total_gross)."""

    name = "lines_sum_to_net"

    def check(self, values: Mapping[str, Any], spec: SchemaSpec) -> list[Issue]:
        net, gross = _amount(spec, values, NET), _amount(spec, values, GROSS)
        if net is None and gross is None:
            return []
        issues = []
        for rows in table_rows(values).values():
            cells = [(p, v) for row in rows.values() if (p := first_of(row, LINE_TOTAL)) and
                     (v := to_decimal(values[p])) is not None]
            if not cells:
                continue
            paths = tuple(p for p, _ in cells)
            total = sum((v for _, v in cells), Decimal(0))
            target = next((t for t in (net, gross) if t and abs(total - t[1]) <= rounding_tolerance(t[1])), None)
            if target is not None:
                issues.append(Issue(code=f"{self.name}_confirmed", severity="info", fields=(*paths, target[0]),
                                    message=f"the {len(paths)} line totals add up to {target[0]}"))
                continue
            ref = net or gross
            assert ref is not None
            issues.append(Issue(
                # Name the line totals, not the whole table: a missed row or a document-level allowance says
                # nothing against the descriptions and quantities that were read.
                code=self.name, severity="warning", fields=(*paths, ref[0]),
                message=f"the {len(paths)} line totals add up to {money(total)}, not {ref[0]} {money(ref[1])} "
                        "(lines missed or misread?)",
            ))
        return issues


class LineArithmetic:
    """quantity × unit_price == line_total on each line, within max(0.01, 0.5 %) for rounded prices."""

    name = "line_arithmetic"

    def check(self, values: Mapping[str, Any], spec: SchemaSpec) -> list[Issue]:
        issues = []
        for table, rows in table_rows(values).items():
            for index, row in sorted(rows.items()):
                paths = (first_of(row, QUANTITY), first_of(row, UNIT_PRICE), first_of(row, LINE_TOTAL))
                if None in paths:
                    continue
                qty, price, total = (to_decimal(values[p]) for p in paths if p is not None)
                if qty is None or price is None or total is None:
                    continue
                fields = tuple(p for p in paths if p is not None)
                expected = qty * price
                if abs(expected - total) <= max(Decimal("0.01"), abs(total) * Decimal("0.005")):
                    issues.append(Issue(code=f"{self.name}_confirmed", severity="info", fields=fields,
                                        message=f"{table}[{index}]: quantity × unit price = line total"))
                else:
                    issues.append(Issue(
                        code=self.name, severity="warning", fields=fields,
                        message=f"{table}[{index}]: {qty} × {price} = {money(expected)}, but the line total is "
                                f"{money(total)} (a discount, or a misread cell)",
                    ))
        return issues
