"""``csv``: one row per finding, for spreadsheets (see :mod:`usm_rules.spreadsheet`)."""

from __future__ import annotations

from ..model.results import Result
from ..spreadsheet import table
from ..verdict.grades import graded
from .base import Reporter


class CsvReporter(Reporter):
    name = "csv"
    description = "one row per finding with its grade and whether it was accepted (spreadsheets)"

    def finish(self, result: Result) -> None:
        self.stream.write(table(result.findings, lambda f: graded(f, self.context.catalog)))
