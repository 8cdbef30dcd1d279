"""The values every stage passes on: findings, file outcomes and the result of a run."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Severity(str, Enum):
    """How bad a finding is; ordered so that ``rank`` compares them."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


@dataclass(frozen=True, order=True)
class Finding:
    """One problem at one place. Sorting orders findings by file, line, column, rule."""

    file: str
    line: int
    column: int
    rule: str
    name: str = field(compare=False)
    requirement: int = field(compare=False)
    severity: Severity = field(compare=False)
    confidence: str = field(compare=False)
    ceiling: int | None = field(compare=False)
    message: str = field(compare=False)
    subject: str = ""

    def to_dict(self) -> dict:
        return {
            "rule": self.rule,
            "name": self.name,
            "requirement": self.requirement,
            "severity": self.severity.value,
            "confidence": self.confidence,
            "ceiling": self.ceiling,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "subject": self.subject,
        }


@dataclass(frozen=True)
class FileOutcome:
    """Whether an input file could be read and understood (``checked``) or not (``error``)."""

    path: str
    status: str
    documents: int = 0


@dataclass(frozen=True)
class Limiter:
    """A rule that holds a ceiling down, with the findings that violate it."""

    rule: str
    requirement: int
    ceiling: int
    findings: tuple[Finding, ...] = ()


@dataclass(frozen=True)
class Maturity:
    """The ceiling the design allows, for the model and for each process."""

    ceiling: int
    level: str
    limited_by: tuple[Limiter, ...]
    processes: tuple[tuple[str, int, tuple[Limiter, ...]], ...] = ()
    at_risk: tuple[str, ...] = ()


@dataclass(frozen=True)
class Result:
    """Everything one run found. Built by :func:`usm_rules.check_paths`; never printed by it."""

    findings: tuple[Finding, ...]
    files: tuple[FileOutcome, ...]
    documents: int
    processes: tuple[str, ...]
    maturity: Maturity
    complete: bool

    def count(self, severity: Severity) -> int:
        return sum(1 for finding in self.findings if finding.severity is severity)
