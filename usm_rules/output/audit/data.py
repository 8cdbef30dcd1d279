"""What an audit report shows, as plain frozen values: both renderers read only these."""

from __future__ import annotations

from dataclasses import dataclass

from ...model.trend import History
from ...verdict.grades import Step


@dataclass(frozen=True)
class InputFile:
    """One input file: its displayed path, whether it was read, and the SHA-256 of its bytes."""

    path: str
    status: str  # checked | error
    documents: int
    sha256: str  # "" when the file cannot be read
    languages: str = ""  # the languages its processes were read in ("en", "nl", "unknown"), "" for none


@dataclass(frozen=True)
class Provenance:
    tool: str
    version: str
    rule_packs: tuple[str, ...]  # "shipped" and each --rules folder, as displayed
    rules: int
    rule_hash: str
    mapping: str
    generated: str  # UTC, ISO 8601
    inputs: tuple[InputFile, ...]


@dataclass(frozen=True)
class Ref:
    """A link to one finding of the evidence section (F1, F2, ... in the order listed there)."""

    number: int
    rule: str

    @property
    def anchor(self) -> str:
        return f"F{self.number}"


@dataclass(frozen=True)
class Holder:
    """A rule that holds a ceiling down, with links to its findings."""

    rule: str
    name: str
    requirement: int
    refs: tuple[Ref, ...]


@dataclass(frozen=True)
class Verdict:
    ceiling: int
    level: str
    lead: str  # what the ceiling means; with the holders after it, one sentence
    holders: tuple[Holder, ...]
    errors: int
    warnings: int
    infos: int
    suppressed: int
    at_risk: tuple[str, ...]
    likely: str  # "Likely ceiling 3 ... if the 11 warnings are confirmed", "" when not below the ceiling
    design: int  # what the design allows, accepted findings included
    design_level: str
    accepted: str  # "With 83 accepted findings the design allows 2 ...", "" when they hide nothing
    complete: bool
    unreadable: tuple[str, ...]
    missing: str  # why there is no ceiling ("4 files could not be read or understood"), "" when complete
    files: int
    documents: int
    processes: int

    @property
    def statement(self) -> str:
        """The verdict in one sentence: the ceiling, and the rules and findings that hold it there."""
        if not self.holders:
            return self.lead
        held = ", ".join(f"{h.rule} {h.name} (requirement {h.requirement}, {len(h.refs)} "
                         f"finding{'' if len(h.refs) == 1 else 's'})" for h in self.holders)
        return f"{self.lead} {held}."


@dataclass(frozen=True)
class Cell:
    """One requirement for one process (links to each finding), or for the whole input (a count)."""

    status: str  # pass | fail | warn
    refs: tuple[Ref, ...] = ()
    count: int = 0


@dataclass(frozen=True)
class MatrixRow:
    process: str
    title: str
    cells: tuple[Cell, ...]  # requirements 1-10 in order


@dataclass(frozen=True)
class Bar:
    """One row of the value chart: a process (or the whole model) and its ceiling."""

    label: str
    ceiling: int
    level: str
    model: bool
    holders: tuple[Holder, ...]


@dataclass(frozen=True)
class Reclassified:
    process: str
    title: str
    trigger: tuple[str, ...]
    kind: str  # practice | procedure | work instruction
    kind_reason: str
    belongs_to: str  # a USM process, "A or B" on a tie, "" when nothing points anywhere
    belongs_reason: str
    evidence: tuple[Ref, ...]


@dataclass(frozen=True)
class QuoteLine:
    number: int
    text: str
    hit: bool


@dataclass(frozen=True)
class Evidence:
    anchor: str
    severity: str
    confidence: str
    file: str
    line: int
    column: int
    message: str
    subject: str
    quote: tuple[QuoteLine, ...]
    grade: str = ""  # major nonconformity | minor nonconformity | observation


@dataclass(frozen=True)
class RuleEvidence:
    rule: str
    name: str
    severity: str
    ceiling: int | None
    rationale: str
    remediation: str
    findings: tuple[Evidence, ...]


@dataclass(frozen=True)
class RequirementEvidence:
    number: int
    title: str
    status: str
    rules: tuple[RuleEvidence, ...]


@dataclass(frozen=True)
class SuppressedRow:
    anchor: str
    rule: str
    name: str
    severity: str
    file: str
    line: int
    column: int
    message: str
    kind: str
    reason: str
    approver: str
    expires: str
    grade: str = ""  # the grade it keeps: accepted is never passed


@dataclass(frozen=True)
class Level:
    number: int
    name: str
    description: str


@dataclass(frozen=True)
class MappingRow:
    rule: str
    name: str
    requirement: int
    severity: str
    ceiling: int | None


@dataclass(frozen=True)
class AuditFrame:
    """What an audit report states before its findings (ISO 19011): who and what was audited,
    why, against which criteria, by whom; and the report's identity."""

    auditee: str
    scope: str
    objective: str
    auditor: str
    report_id: str  # from the inputs' and the rules' hashes and the mapping: the same audit, the same id
    criteria: tuple[str, ...]
    grades: tuple[str, ...]  # "3 major nonconformities", "1 minor nonconformity", "11 observations"


@dataclass(frozen=True)
class ReportData:
    """Everything one report shows, in the order it shows it."""

    provenance: Provenance
    verdict: Verdict
    requirements: tuple[tuple[int, str], ...]  # 1-10, as the matrix columns and the appendix list them
    matrix: tuple[MatrixRow, ...]
    overall: tuple[Cell, ...]  # the whole input, per requirement 1-10
    bars: tuple[Bar, ...]
    reclassified: tuple[Reclassified, ...]
    triggers: tuple[tuple[str, str], ...]  # the heuristic, shown in the report: trigger -> process
    keywords: tuple[tuple[str, tuple[str, ...]], ...]  # process -> keyword stems
    evidence: tuple[RequirementEvidence, ...]
    suppressed: tuple[SuppressedRow, ...]
    levels: tuple[Level, ...]
    mapping: tuple[MappingRow, ...]
    frame: AuditFrame | None = None
    roadmap: tuple[Step, ...] = ()  # lowest level first
    csv: str = ""  # every finding as CSV, for the report's download link
    history: History | None = None  # the ceiling at each commit, when asked for
