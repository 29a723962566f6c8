"""Rules on dates: payment is due on or after the invoice date."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from docextract.result import Issue
from docextract.schema import SchemaSpec
from docextract.validators.fields import DUE_DATE, ISSUE_DATE, scalar_path, to_date

# Payment terms longer than a year are rare; such a gap is more often a misread year.
_LONGEST_TERM_DAYS = 366


class DueAfterIssue:
    """due_date >= issue_date (an error otherwise); a due date more than a year later is a warning."""

    name = "due_after_issue"

    def check(self, values: Mapping[str, Any], spec: SchemaSpec) -> list[Issue]:
        issue_path, due_path = scalar_path(spec, values, ISSUE_DATE), scalar_path(spec, values, DUE_DATE)
        if issue_path is None or due_path is None or issue_path == due_path:
            return []
        issued, due = to_date(values.get(issue_path)), to_date(values.get(due_path))
        if issued is None or due is None:
            return []
        if due < issued:
            return [Issue(code=self.name, severity="error", fields=(issue_path, due_path),
                          message=f"{due_path} {due.isoformat()} is before {issue_path} {issued.isoformat()}")]
        if (due - issued).days > _LONGEST_TERM_DAYS:
            return [Issue(code="due_long_after_issue", severity="warning", fields=(issue_path, due_path),
                          message=f"{due_path} is {(due - issued).days} days after {issue_path} (a misread year?)")]
        return []
