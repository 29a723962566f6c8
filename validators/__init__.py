"""Soft validation rules: a failed rule becomes an Issue on the fields involved and lowers their
confidence; a passed rule that ties independently read values together ("net + tax = gross", "the IBAN
checksum holds") becomes an "info" Issue coded ``<rule>_confirmed``, which raises them (see
``docextract.scoring.final_confidence``).

Built-in rules, each in the module named for what it checks:

    totals_add_up     arithmetic.py   total_net + total_tax == total_gross; amount_due not above it
    lines_sum_to_net  arithmetic.py   the line totals add up to total_net (or total_gross)
    line_arithmetic   arithmetic.py   quantity × unit_price == line_total, per line
    iban_checksum     identifiers.py  IBAN check digits and country format
    vat_id_format     identifiers.py  VAT id format and check digits per country
    due_after_issue   dates.py        due_date on or after issue_date
    currency_iso4217  currency.py     currency fields hold ISO 4217 codes

Rules find their values by field name (``total_net``, ``line_items[i].quantity``, with common
synonyms) or by field kind (iban, vat_id, currency), so they apply to a user's schema that names or
types its fields the same way. A schema lists the rules it wants (``docextract_rules`` on a pydantic
model, ``x-docextract-rules`` in a JSON Schema); rules registered with ``register_rule`` run for every
schema, and must return no issues where their fields are missing.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

from docextract import registry
from docextract.errors import ConfigError
from docextract.protocols import Rule
from docextract.result import Issue
from docextract.schema import SchemaSpec
from docextract.validators.arithmetic import LineArithmetic, LinesSumToNet, TotalsAddUp
from docextract.validators.currency import CurrencyIso4217
from docextract.validators.dates import DueAfterIssue
from docextract.validators.identifiers import IbanChecksum, VatIdFormat

_BUILTIN: dict[str, Rule] = {
    rule.name: rule
    for rule in (TotalsAddUp(), LinesSumToNet(), LineArithmetic(), IbanChecksum(), VatIdFormat(), DueAfterIssue(),
                 CurrencyIso4217())
}
_USER: dict[str, Rule] = {}
_LOCK = threading.Lock()


def register_rule(rule: Rule, *, name: str | None = None) -> None:
    """Add a rule that runs for every schema (and may be named in a schema's rules).

    Args:
        rule: an object with ``name`` and ``check(values, spec) -> list[Issue]`` (``docextract.protocols.Rule``).
        name: the name to register it under; defaults to ``rule.name``. Registering a name again replaces
            the earlier rule.

    Raises:
        ConfigError: the rule has no name or no ``check``, or the name is a built-in rule's.
    """
    key = name or getattr(rule, "name", None)
    if not isinstance(key, str) or not key:
        raise ConfigError("a rule needs a name: give it a `name` attribute or pass name=...")
    if not callable(getattr(rule, "check", None)):
        raise ConfigError(f"rule {key!r} has no check(values, spec) method")
    if key in _BUILTIN:
        raise ConfigError(f"{key!r} is a built-in rule; register yours under another name")
    with _LOCK:
        _USER[key] = rule


def unregister_rule(name: str) -> None:
    """Remove a rule added with ``register_rule`` (nothing happens for an unknown name)."""
    with _LOCK:
        _USER.pop(name, None)


def rule_names() -> list[str]:
    """Every rule a schema can name: built-in, registered in-process, and from entry points."""
    return sorted(set(_BUILTIN) | set(_USER) | set(registry.names("rule")))


def run_rules(spec: SchemaSpec, values: Mapping[str, Any]) -> list[Issue]:
    """Run the schema's rules and the registered ones over flat values.

    Args:
        spec: the schema; ``spec.rules`` names the rules it wants.
        values: flat paths → typed values (``{"total_net": Decimal("100.00"), "line_items[0].quantity": 2}``).

    Returns:
        The issues, failures and confirmations, in rule order.

    Raises:
        ConfigError: the schema names a rule that does not exist (the message lists the known ones).
    """
    with _LOCK:
        user = dict(_USER)
    issues: list[Issue] = []
    for name in dict.fromkeys([*spec.rules, *user]):
        rule = _BUILTIN.get(name) or user.get(name) or _plugin(name)
        if name in _BUILTIN:
            issues.extend(rule.check(values, spec))
            continue
        try:
            issues.extend(rule.check(values, spec))
        except Exception as exc:  # a user's rule: its failure is reported on the result, not raised
            issues.append(Issue(code="rule_failed", severity="warning",
                                message=f"rule {name!r} raised {type(exc).__name__}: {exc}"))
    return issues


def _plugin(name: str) -> Rule:
    if name not in registry.names("rule"):
        raise ConfigError(f"unknown validation rule {name!r}; known: {', '.join(rule_names())}")
    found = registry.load("rule", name)
    rule: Rule = found() if isinstance(found, type) else found
    return rule


__all__ = ["register_rule", "rule_names", "run_rules", "unregister_rule"]
