"""What a run found: file outcomes, languages, the maturity ceilings, and the result itself."""

from __future__ import annotations

from dataclasses import dataclass, field

from .findings import Finding, Severity
from .inputs import Input
from .rules import Catalog

DEFAULT_MAPPING = "default (docs/usm.md)"


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
    """Everything one run found. Built by :func:`usm_rules.api.run`; never printed by it."""

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
    # given files checked in their model: the models' roots, and how many other files were read as context
    model_roots: tuple[str, ...] = ()
    context_files: int = 0
    # the rules in force (configured severities and ceilings applied): what reporters describe
    catalog: Catalog = field(default_factory=lambda: Catalog(()), repr=False, compare=False)

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
        return len(self.skipped_files)

    @property
    def skipped_files(self) -> tuple[str, ...]:
        """The input files that hold no usm document, in input order."""
        return tuple(f.path for f in self.files if f.status == "skipped")
