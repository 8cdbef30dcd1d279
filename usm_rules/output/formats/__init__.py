"""Reporter plugins, chosen by name from :data:`REPORTERS`."""

from __future__ import annotations

from .base import Context, Reporter, report
from .csv_report import CsvReporter
from .github import GithubReporter
from .gitlab import GitlabReporter
from .html import HtmlReporter
from .json_report import JsonReporter
from .junit import JunitReporter
from .markdown import MarkdownReporter
from .sarif import SarifReporter
from .text import TextReporter

REPORTERS: dict[str, type[Reporter]] = {
    cls.name: cls
    for cls in (TextReporter, JsonReporter, SarifReporter, JunitReporter, GithubReporter, GitlabReporter,
                MarkdownReporter, HtmlReporter, CsvReporter)
}

__all__ = ["REPORTERS", "Context", "Reporter", "report"]
