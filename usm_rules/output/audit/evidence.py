"""The evidence: every counting finding numbered, grouped by requirement and rule, with the
YAML lines it points at; the suppressed findings apart, with who accepted them and why."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import groupby

from ...model.findings import Finding
from ...model.inputs import Input
from ...model.requirements import REQUIREMENTS
from ...model.results import Result
from ...model.rules import Catalog
from ...verdict.grades import GRADES, graded
from .capability import status
from .data import Evidence, QuoteLine, Ref, RequirementEvidence, RuleEvidence, SuppressedRow

CONTEXT = 1  # lines quoted before and after a finding's line
MAX_QUOTE = 200  # characters shown of one quoted line


class Quotes:
    """The decoded lines of every input, by displayed path, as the run read them."""

    def __init__(self, inputs: Iterable[Input]) -> None:
        self._lines = {item.path: item.lines for item in inputs}

    def lines(self, path: str) -> tuple[str, ...]:
        """A file's lines (none for a file that could not be read, or a rule file)."""
        return self._lines.get(path, ())


def _order(finding: Finding) -> tuple:
    return finding.requirement, finding.rule, finding.file, finding.line, finding.column


def number_findings(result: Result) -> dict[Finding, Ref]:
    """F1, F2, ... for the counting findings in the order the evidence section lists them."""
    ordered = sorted(result.active, key=_order)
    return {f: Ref(n, f.rule) for n, f in enumerate(ordered, 1)}


def evidence(result: Result, catalog: Catalog, refs: dict[Finding, Ref],
             inputs: Quotes) -> tuple[RequirementEvidence, ...]:
    sections = []
    ordered = sorted(result.active, key=_order)
    for number, in_requirement in groupby(ordered, key=lambda f: f.requirement):
        found = list(in_requirement)
        rules = tuple(
            _rule(catalog, list(in_rule), refs, inputs) for _, in_rule in groupby(found, key=lambda f: f.rule)
        )
        sections.append(RequirementEvidence(number, REQUIREMENTS.get(number, ""), status(found), rules))
    return tuple(sections)


def _rule(catalog: Catalog, found: list[Finding], refs: dict[Finding, Ref], inputs: Quotes) -> RuleEvidence:
    first = found[0]
    rule = catalog.rules.get(first.rule)
    return RuleEvidence(
        rule=first.rule, name=first.name, severity=first.severity.value, ceiling=first.ceiling,
        rationale=rule.rationale if rule else "", remediation=rule.remediation if rule else "",
        findings=tuple(_evidence(f, refs[f], inputs, GRADES[graded(f, catalog)]) for f in found),
    )


def _evidence(finding: Finding, ref: Ref, inputs: Quotes, grade_name: str) -> Evidence:
    return Evidence(
        anchor=ref.anchor, severity=finding.severity.value, confidence=finding.confidence,
        file=finding.file, line=finding.line, column=finding.column, message=finding.message,
        subject=finding.subject, quote=quote(inputs.lines(finding.file), finding.line), grade=grade_name,
    )


def quote(lines: tuple[str, ...], line: int) -> tuple[QuoteLine, ...]:
    """The finding's line with :data:`CONTEXT` lines either side, as written in the file."""
    if not 1 <= line <= len(lines):
        return ()
    first, last = max(1, line - CONTEXT), min(len(lines), line + CONTEXT)
    return tuple(QuoteLine(n, _clip(lines[n - 1]), n == line) for n in range(first, last + 1))


def _clip(text: str) -> str:
    return text if len(text) <= MAX_QUOTE else text[: MAX_QUOTE - 1] + "\u2026"


def suppressed(result: Result, catalog: Catalog | None = None) -> tuple[SuppressedRow, ...]:
    rows = sorted(((f, f.suppressed) for f in result.findings if f.suppressed is not None),
                  key=lambda row: _order(row[0]))
    return tuple(
        SuppressedRow(
            anchor=f"S{n}", rule=f.rule, name=f.name, severity=f.severity.value, file=f.file, line=f.line,
            column=f.column, message=f.message, kind=why.kind, reason=why.reason,
            approver=why.approver, expires=why.expires,
            grade=GRADES[graded(f, catalog)] if catalog is not None else "",
        )
        for n, (f, why) in enumerate(rows, 1)
    )
