"""The reporter plugin interface: a lifecycle of start, one call per file, finish."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TextIO

from ...model.findings import Finding
from ...model.results import FileOutcome, Result
from ...model.rules import Rule
from ...model.shipped import shipped


@dataclass(frozen=True)
class Context:
    """What every reporter may need beyond the result: the tool and the rules in force."""

    tool: str
    version: str
    fail_on: str = "error"  # the gate in force, for formats that state it (junit)
    min_maturity: int = 1
    color: bool = False  # text: a terminal's view (colour, the source line, a caret, the rule's page)
    quiet: bool = False  # text: the findings only, no summary
    statistics: bool = False  # text: a count per rule instead of each finding
    docs_url: str = ""  # where the rule reference is published (the configuration's docs-url); "": no links


class Reporter:
    """Subclasses set ``name`` and override the hooks they need.

    A reporter is made for one result (with the rules in force: ``result.catalog``) and never
    reads an input again. :func:`report` calls :meth:`start`, then :meth:`file` once per input
    file in order with that file's findings, then :meth:`finish`. Output goes to ``stream``.
    """

    name = ""

    def __init__(self, stream: TextIO, context: Context, result: Result) -> None:
        self.stream = stream
        self.context = context
        self.result = result

    def start(self) -> None:
        """Called once before any file."""

    def file(self, outcome: FileOutcome, findings: list[Finding]) -> None:
        """Called once per input file, in order, with the findings located in it."""

    def finish(self) -> None:
        """Called once after every file."""


def help_uri(rule: Rule, docs_url: str) -> str:
    """The rule's page where the reference is published (``docs_url``), or "" when there is none
    or the rule is not in the shipped reference (a pack's rule): never a path on this machine,
    which is a dead link anywhere else."""
    if not docs_url or not (shipped("docs") / "rules" / f"{rule.id}.md").is_file():
        return ""
    return f"{docs_url.rstrip('/')}/rules/{rule.id}.md"


def report(reporter: Reporter) -> None:
    """Drive a reporter through its lifecycle for its result."""
    result = reporter.result
    by_file: dict[str, list[Finding]] = {}
    for finding in result.findings:
        by_file.setdefault(finding.file, []).append(finding)
    reporter.start()
    known = set()
    for outcome in result.files:
        known.add(outcome.path)
        reporter.file(outcome, by_file.get(outcome.path, []))
    for path in sorted(set(by_file) - known):  # findings outside input files, e.g. a crashed rule
        reporter.file(FileOutcome(path, "checked"), by_file[path])
    reporter.finish()
