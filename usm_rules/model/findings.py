"""A finding: one problem at one place, how bad it is, and whether it was accepted."""

from __future__ import annotations

import hashlib
import re
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


FAIL_ON = (*(severity.value for severity in Severity), "never")  # the lowest severity that fails a run


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
