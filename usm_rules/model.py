"""The values every stage passes on: findings, file outcomes and the result of a run."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # for the annotation only: model stays a leaf at run time
    from .inputs import Input

DEFAULT_MAPPING = "default (USM.md)"


class Severity(str, Enum):
    """How bad a finding is; ordered so that ``rank`` compares them."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


@dataclass(frozen=True)
class Suppression:
    """Why a finding does not count: an inline comment, a file-wide comment, a waiver or a baseline."""

    kind: str  # inline | file | waiver | baseline
    reason: str
    approver: str = ""
    expires: str = ""

    def to_dict(self) -> dict:
        data = {"kind": self.kind, "reason": self.reason}
        if self.approver:
            data["approver"] = self.approver
        if self.expires:
            data["expires"] = self.expires
        return data


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
    suppressed: Suppression | None = field(default=None, compare=False)
    aspect: str = field(default="", compare=False)  # who, how or condition: what it is evidence of

    @property
    def fingerprint(self) -> str:
        """Stable across moved lines and reformatting: the rule and what it is about."""
        # without a subject (a file-level problem) the message stands in, less its numbers:
        # "first defined at line 18" must not change when lines move
        about = self.subject or f"{self.file}:{re.sub(r'[0-9]+', '#', self.message)}"
        return hashlib.sha256(f"{self.rule}\0{about}".encode()).hexdigest()[:16]

    def is_about(self, process: str) -> bool:
        """Whether the finding concerns the process ``process`` or something inside it."""
        prefix = f"Process/{process}"
        return self.subject == prefix or self.subject.startswith(prefix + "/")

    @property
    def counts(self) -> bool:
        """Whether the finding fails gates and lowers ceilings (suppressed ones do not)."""
        return self.suppressed is None

    @property
    def acceptable(self) -> bool:
        """Whether a baseline, a waiver or a suppression may accept it: never an unreadable,
        unparsable or schema-invalid input (a requirement-0 error), whose checks never ran."""
        return not (self.requirement == 0 and self.severity is Severity.ERROR)

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
            "fingerprint": self.fingerprint,
            "suppressed": self.suppressed.to_dict() if self.suppressed else None,
        }


@dataclass(frozen=True)
class FileOutcome:
    """Whether an input file could be read and understood (``checked``) or not (``error``)."""

    path: str
    status: str
    documents: int = 0


@dataclass(frozen=True)
class DocumentLanguage:
    """The language a process document was read in (``""`` when none is read) and why."""

    file: str
    line: int
    name: str
    language: str
    source: str  # metadata | configuration | detected

    def to_dict(self) -> dict:
        return {"file": self.file, "line": self.line, "process": self.name, "language": self.language or None,
                "source": self.source}


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
    likely: int = 5  # the ceiling if every counting warning is confirmed
    likely_by: tuple[Limiter, ...] = ()  # the warnings (and errors) that set it
    warnings: int = 0  # counting warnings that carry a ceiling
    likely_processes: tuple[tuple[str, int], ...] = ()
    design: int = 5  # the same over every error finding, accepted ones included: what the design allows
    design_by: tuple[Limiter, ...] = ()
    accepted: int = 0  # findings accepted by a baseline, a waiver or a suppression


@dataclass(frozen=True)
class Result:
    """Everything one run found. Built by :func:`usm_rules.check_paths`; never printed by it."""

    findings: tuple[Finding, ...]
    files: tuple[FileOutcome, ...]
    documents: int
    processes: tuple[str, ...]
    maturity: Maturity
    complete: bool
    mapping: str = DEFAULT_MAPPING
    fixed: tuple[str, ...] = ()  # baseline fingerprints that no longer occur
    languages: tuple[DocumentLanguage, ...] = ()  # each process document's language
    # every input as read (path, hash, lines, documents): what reports quote, never read again
    inputs: tuple[Input, ...] = field(default=(), repr=False, compare=False)

    @property
    def active(self) -> tuple[Finding, ...]:
        """The findings that count: not suppressed, not waived, not in the baseline."""
        return tuple(f for f in self.findings if f.counts)

    def count(self, severity: Severity) -> int:
        """Findings of a severity that count (suppressed ones are listed, not counted)."""
        return sum(1 for finding in self.findings if finding.severity is severity and finding.counts)

    @property
    def suppressed(self) -> int:
        return sum(1 for finding in self.findings if not finding.counts)

    @property
    def unreadable(self) -> tuple[str, ...]:
        """The input files that could not be read or understood (they make the result incomplete)."""
        return tuple(f.path for f in self.files if f.status == "error")

    @property
    def skipped(self) -> int:
        """Input files that hold no usm document (another tool's YAML)."""
        return sum(1 for f in self.files if f.status == "skipped")
