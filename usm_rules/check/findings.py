"""Findings are made here, and only here: from load problems, engine matches, crashed rules, and
the suppression and waiver checks (the built-in rules' ids: :mod:`usm_rules.model.problems`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

from ..engine.vocabulary import aspect
from ..language.lexicons import supported
from ..model.findings import Finding, Severity
from ..model.problems import LANGUAGE_NOT_READ, RULE_CRASHED, Problem
from .messages import render_grouped, render_message


class RuleInfo(Protocol):
    """What a finding copies from its rule (a :class:`usm_rules.check.catalog.Rule`)."""

    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def requirement(self) -> int: ...
    @property
    def severity(self) -> Severity: ...
    @property
    def confidence(self) -> str: ...
    @property
    def ceiling(self) -> int | None: ...
    @property
    def source(self) -> str: ...


class Located(Protocol):
    """What a finding needs of a matched fact (a :class:`usm_rules.check.facts.Fact`)."""

    attrs: dict[str, Any]
    subject: str
    file: str

    def position(self, name: str) -> tuple[int, int]: ...


class Findings:
    """Makes every finding of a run from the rules in force (``rules``: id to rule)."""

    def __init__(self, rules: Mapping[str, RuleInfo]) -> None:
        self._rules = rules

    def make(self, rule_id: str, file: str, line: int, column: int, message: str, subject: str = "",
             evidence: str = "") -> Finding:
        rule = self._rules[rule_id]
        return Finding(
            file=file, line=line, column=column, rule=rule.id, name=rule.name, requirement=rule.requirement,
            severity=rule.severity, confidence=rule.confidence, ceiling=rule.ceiling, message=message,
            subject=subject, aspect=evidence,
        )

    def problem(self, file: str, problem: Problem) -> Finding:
        return self.make(problem.rule, file, problem.line, problem.column, problem.message)

    def match(self, rule: RuleInfo, message: str, bound: Mapping[str, Located], report_fact: str,
              report_at: str) -> Finding:
        """The finding of one engine match, at the reported fact's place."""
        fact = bound[report_fact]
        at = report_at or "at"
        line, column = fact.position(at)
        text = render_message(message, {alias: f.attrs for alias, f in bound.items()})
        return self.make(rule.id, fact.file, line, column, text, fact.subject,
                         aspect(fact.attrs.get("type", ""), at, fact.attrs))

    def language_not_read(self, file: str, line: int, column: int, process: str, language: str,
                          source: str) -> Finding:
        """The info finding for a process whose language checks are skipped, saying why."""
        readable = ", ".join(supported())
        why = (f"the text reads as '{language}' ({source})" if language
               else "the language of its text could not be determined")
        return self.make(LANGUAGE_NOT_READ, file, line, column,
                         f"language checks skipped: {why}; usm-rules reads {readable}; set `language` "
                         "if this is wrong", f"Process/{process}")

    def per_file(self, rule: RuleInfo, message: str, matches: Sequence[Mapping[str, Located]], report_fact: str,
                 report_at: str) -> list[Finding]:
        """The findings of a rule reported once per file: for each file, one finding about the file
        at its first match's place, whose message speaks of all the file's matches (in reading
        order)."""
        by_file: dict[str, list[Mapping[str, Located]]] = {}
        for bound in matches:
            by_file.setdefault(bound[report_fact].file, []).append(bound)
        found = []
        at = report_at or "at"
        for file, group in by_file.items():
            group.sort(key=lambda bound: bound[report_fact].attrs["fid"])
            line, column = min(bound[report_fact].position(at) for bound in group)
            text = render_grouped(message, [{alias: f.attrs for alias, f in bound.items()} for bound in group])
            found.append(self.make(rule.id, file, line, column, text, f"File/{file}"))
        return found

    def crash(self, rule: RuleInfo, problem: str) -> Finding:
        message = f"rule {rule.id} ({rule.name}) crashed and was skipped: {problem}; please report this"
        return self.make(RULE_CRASHED, rule.source, 1, 1, message, f"Rule/{rule.id}")


def deduplicate(findings: Iterable[Finding]) -> list[Finding]:
    """Sorted, one finding per rule and place."""
    seen: set[tuple] = set()
    unique = []
    for finding in sorted(findings):
        # a join can reach one place twice (same subject, other partner): keep one; findings
        # without a subject (several schema errors at one node) differ by their message
        key = (finding.file, finding.line, finding.column, finding.rule, finding.subject or finding.message)
        if key not in seen:
            seen.add(key)
            unique.append(finding)
    return unique
