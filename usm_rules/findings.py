"""Findings are made here, and only here: from load problems, engine matches, crashed rules, and
the suppression and waiver checks. The built-in rules are named here too.

The built-in rules (requirement 0 and the suppression checks) are findings made by Python, not
by the engine; their files in ``rules/`` hold their metadata (severity, whether a finding
makes the result incomplete, docs). Their ids are the constants below; a test keeps this list
equal to the rule files that say ``when: builtin``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from .model import Finding, Severity
from .vocabulary import aspect

YAML_SYNTAX = "USM0001"
DUPLICATE_KEY = "USM0002"
ENCODING = "USM0003"
EMPTY = "USM0004"
NOT_A_MAPPING = "USM0005"
SCHEMA = "USM0006"
UNREADABLE = "USM0007"
UNSUPPORTED_TAG = "USM0008"
ALIAS_BOMB = "USM0009"
RULE_CRASHED = "USM0010"
NO_REASON = "USM0011"
UNUSED_SUPPRESSION = "USM0012"
WAIVER_EXPIRED = "USM0013"
UNUSED_WAIVER = "USM0014"
LANGUAGE_NOT_READ = "USM0015"
WHOLE_REQUIREMENT = "USM0016"
OVER_LIMIT = "USM0017"
BPMN_SYNTAX = "USM0018"
BPMN_WITHOUT_MODEL = "USM0708"
BUILTIN = frozenset({
    YAML_SYNTAX, DUPLICATE_KEY, ENCODING, EMPTY, NOT_A_MAPPING, SCHEMA, UNREADABLE, UNSUPPORTED_TAG, ALIAS_BOMB,
    RULE_CRASHED, NO_REASON, UNUSED_SUPPRESSION, WAIVER_EXPIRED, UNUSED_WAIVER, LANGUAGE_NOT_READ,
    WHOLE_REQUIREMENT, OVER_LIMIT, BPMN_SYNTAX, BPMN_WITHOUT_MODEL,
})

PLACEHOLDER = re.compile(r"\{([a-z][a-zA-Z0-9]*)\.([a-zA-Z][a-zA-Z0-9]*)\}")


@dataclass(frozen=True)
class Problem:
    """Why a file or a document could not be read as it stands: a built-in rule, a message, a place."""

    rule: str
    message: str
    line: int
    column: int


class RuleInfo(Protocol):
    """What a finding copies from its rule (a :class:`usm_rules.catalog.Rule`)."""

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
    """What a finding needs of a matched fact (a :class:`usm_rules.facts.Fact`)."""

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

    def crash(self, rule: RuleInfo, problem: str) -> Finding:
        message = f"rule {rule.id} ({rule.name}) crashed and was skipped: {problem}; please report this"
        return self.make(RULE_CRASHED, rule.source, 1, 1, message, f"Rule/{rule.id}")


def render_message(template: str, bound: Mapping[str, Mapping[str, Any]]) -> str:
    """The message with each ``{alias.attribute}`` replaced by the matched fact's value."""
    return PLACEHOLDER.sub(lambda m: str(bound[m.group(1)][m.group(2)]), template)


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
