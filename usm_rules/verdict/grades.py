"""Findings graded as an audit grades them (ISO 19011 style), and the roadmap to the next level.

- A **major nonconformity** lowers the maturity ceiling (an error with a ceiling below 5), or
  keeps it from being determined (an input that could not be read or understood).
- A **minor nonconformity** is any other error.
- An **observation** is a warning or an info: evidence that suggests, not proves.

An accepted finding (baseline, waiver, inline suppression) keeps its grade and is listed with
its reason and approver: accepted is never passed.

The **roadmap** says what it takes to reach each next level: the ceiling is the lowest ceiling
among the counting errors, so the smallest set of rules to fix for the next level is the set of
rules whose findings hold the ceiling where it is; fixing them lifts it to the next ceiling
that findings hold, and so on up to 5.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model.findings import Finding, Severity
from ..model.results import Result
from .ceiling import LEVELS, TOP

if TYPE_CHECKING:
    from ..model.rules import Catalog

MAJOR = "major"
MINOR = "minor"
OBSERVATION = "observation"
GRADES = {MAJOR: "major nonconformity", MINOR: "minor nonconformity", OBSERVATION: "observation"}


def grade(finding: Finding, incomplete: bool = False) -> str:
    """``major``, ``minor`` or ``observation``; ``incomplete``: the finding's rule leaves the
    result undetermined (an input that could not be read)."""
    if finding.severity is not Severity.ERROR:
        return OBSERVATION
    if (finding.ceiling is not None and finding.ceiling < TOP) or incomplete:
        return MAJOR
    return MINOR


def graded(finding: Finding, catalog: Catalog) -> str:
    """The finding's grade under the catalogue in force (whose rules say which findings leave
    the result undetermined)."""
    rule = catalog.rules.get(finding.rule)
    return grade(finding, incomplete=bool(rule is not None and rule.incomplete))


def roadmap_for(result: Result, catalog: Catalog) -> tuple[Step, ...]:
    """The roadmap of a result, with the catalogue's remediation texts."""
    return roadmap(result, {rule.id: rule.remediation for rule in catalog},
                   frozenset(rule.id for rule in catalog if rule.incomplete))


@dataclass(frozen=True)
class RoadmapRule:
    """One rule to fix on a step: its findings, where they are, and how to fix them."""

    rule: str
    name: str
    requirement: int
    ceiling: int | None
    findings: int
    processes: tuple[tuple[str, int], ...]  # (process, findings about it), most first
    files: tuple[str, ...]
    remediation: str


@dataclass(frozen=True)
class Step:
    """Fix these rules' findings and the ceiling rises to ``level`` (or, on the first step of an
    incomplete result, becomes determined)."""

    level: int
    name: str  # the level's name
    rules: tuple[RoadmapRule, ...]
    findings: int
    files: tuple[str, ...]
    readable: bool = False  # the step that makes every input readable (requirement 0)

    def to_dict(self) -> dict:
        return {"level": self.level, "levelName": self.name, "readable": self.readable, "findings": self.findings,
                "files": list(self.files),
                "rules": [{"rule": r.rule, "name": r.name, "requirement": r.requirement, "ceiling": r.ceiling,
                           "findings": r.findings, "files": list(r.files),
                           "processes": [{"process": p, "findings": n} for p, n in r.processes],
                           "remediation": r.remediation} for r in self.rules]}


def roadmap(result: Result, remediation: dict[str, str], incomplete_rules: frozenset[str]) -> tuple[Step, ...]:
    """The steps from the current ceiling to 5, lowest first. ``remediation`` by rule id;
    ``incomplete_rules`` are the rules whose findings leave the result undetermined."""
    counting = [f for f in result.findings if f.counts]
    steps: list[Step] = []
    unread = [f for f in counting if f.rule in incomplete_rules]
    if unread:
        steps.append(_step(result.maturity.ceiling, unread, remediation, result.processes, readable=True))
    holding = sorted({f.ceiling for f in counting
                      if f.severity is Severity.ERROR and f.ceiling is not None and f.ceiling < TOP})
    for index, ceiling in enumerate(holding):
        reached = holding[index + 1] if index + 1 < len(holding) else TOP
        found = [f for f in counting if f.severity is Severity.ERROR and f.ceiling == ceiling]
        steps.append(_step(reached, found, remediation, result.processes))
    return tuple(steps)


def _step(level: int, findings: list[Finding], remediation: dict[str, str], processes: tuple[str, ...],
          readable: bool = False) -> Step:
    by_rule: dict[str, list[Finding]] = {}
    for finding in findings:
        by_rule.setdefault(finding.rule, []).append(finding)
    rules = []
    for rule, found in sorted(by_rule.items(), key=lambda item: (-len(item[1]), item[0])):
        about: Counter[str] = Counter()
        for finding in found:
            name = _process(finding, processes)
            if name:
                about[name] += 1
        first = found[0]
        rules.append(RoadmapRule(rule, first.name, first.requirement, first.ceiling, len(found),
                                 tuple(sorted(about.items(), key=lambda item: (-item[1], item[0]))),
                                 tuple(sorted({f.file for f in found})), remediation.get(rule, "")))
    return Step(level, LEVELS[level], tuple(rules), len(findings), tuple(sorted({f.file for f in findings})),
                readable)


def _process(finding: Finding, processes: tuple[str, ...]) -> str:
    """The process a finding is about (its subject's process), or ""."""
    if not finding.subject.startswith("Process/"):
        return ""
    parts = finding.subject[len("Process/"):].split("/")
    for end in range(len(parts), 0, -1):  # the longest name that is a process ("a/b" may be one)
        name = "/".join(parts[:end])
        if name in processes:
            return name
    return ""
