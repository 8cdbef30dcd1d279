"""An input as read: one frozen value per file that every stage after reading shares."""

from __future__ import annotations

from dataclasses import dataclass

from .documents import editor_lines
from .findings import Finding
from .problems import Problem


@dataclass(frozen=True)
class Directive:
    """A suppression comment (``# usm-rules: disable=RULE -- reason``) and where it stands."""

    file: str
    line: int
    column: int
    scope: str  # "line" or "file"
    handles: tuple[str, ...]
    reason: str
    standalone: bool  # alone on its line: applies to the next line

    def covers(self, finding: Finding, line_rules: set[str]) -> bool:
        if finding.rule not in line_rules:
            return False
        if self.scope == "file":
            return True
        return finding.line == self.line or (self.standalone and finding.line == self.line + 1)


@dataclass(frozen=True)
class Declaration:
    """A document's kind and name as written, with a Process's title and triggers."""

    kind: str
    name: str
    title: str
    trigger: tuple[str, ...] = ()


@dataclass(frozen=True)
class Input:
    """One input file as read: the single source of its bytes' hash, text, documents and problems."""

    path: str  # as displayed
    sha256: str  # of its bytes; "" when it could not be read
    text: str  # the decoded text, "" when it could not be read or decoded
    document_count: int  # its YAML documents that are mappings, valid or not
    problems: tuple[Problem, ...]
    directives: tuple[Directive, ...]
    declares: tuple[Declaration, ...]
    skipped: bool = False  # YAML, but no usm document: another tool's file, read no further
    missing: bool = False  # a given path that does not exist

    @property
    def lines(self) -> tuple[str, ...]:
        """The decoded text's lines, split where editors split them (CR LF, CR, LF; not at the
        other characters ``str.splitlines`` takes for breaks); kept as one string: a tenth of the
        memory of its lines."""
        return tuple(editor_lines(self.text))
