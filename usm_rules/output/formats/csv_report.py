"""``csv``: findings as CSV, for spreadsheets: one row per finding with its grade and acceptance.

Every finding is a row, accepted ones too (``accepted`` names how: baseline, waiver, inline or
file suppression, with the reason, approver and expiry), so a spreadsheet never shows an
accepted finding as passed. Cells are RFC 4180 (quoted where needed, CRLF line ends), and a
cell that a spreadsheet would run as a formula (one that starts with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return: titles are untrusted input) starts with an apostrophe instead.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable

from ...model.findings import Finding
from ...verdict.grades import GRADES, graded
from .base import Reporter

COLUMNS = ("file", "line", "column", "rule", "name", "requirement", "severity", "confidence", "ceiling", "grade",
           "accepted", "reason", "approver", "expires", "subject", "message")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def table(findings: Iterable[Finding], grade_of: Callable[[Finding], str]) -> str:
    """The findings as one CSV text, a header row first; ``grade_of`` gives a finding's grade key."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for f in findings:
        accepted = f.suppressed
        writer.writerow([cell(value) for value in (
            f.file, f.line, f.column, f.rule, f.name, f.requirement, f.severity.value, f.confidence, f.ceiling,
            GRADES[grade_of(f)], accepted.kind if accepted else "", accepted.reason if accepted else "",
            accepted.approver if accepted else "", accepted.expires if accepted else "", f.subject, f.message)])
    return buffer.getvalue()


class CsvReporter(Reporter):
    name = "csv"

    def finish(self) -> None:
        result = self.result
        self.stream.write(table(result.findings, lambda f: graded(f, self.result.catalog)))


REPORTER = CsvReporter
