"""The capability lens: does each process meet requirements 1-10? Pass, fail or warn per cell.

A cell holds the counting findings of one requirement whose subject is the process
(``Process/<name>``) or something inside it (``Process/<name>/...``): any error fails it, any
other finding makes it a warning, none passes it. The last row is the whole input, findings
about models, practices, projects and files included.
"""

from __future__ import annotations

from ...model.findings import Finding
from ...model.requirements import status
from ...model.results import Result
from .data import Cell, MatrixRow, Ref
from .reclassify import Declared

COLUMNS = tuple(range(1, 11))


def concerns(finding: Finding, process: str) -> bool:
    """Whether a finding is about the process or something inside it."""
    return finding.is_about(process)


def processes(result: Result) -> tuple[str, ...]:
    """Each declared process once, in input order (a name declared twice is a finding of its own)."""
    return tuple(dict.fromkeys(result.processes))


def matrix(result: Result, refs: dict[Finding, Ref], declared: dict[str, Declared]) -> tuple[MatrixRow, ...]:
    rows = []
    for name in processes(result):
        own = [f for f in result.active if concerns(f, name)]
        title = declared[name].title if name in declared else name
        rows.append(MatrixRow(name, title, _cells(own, refs)))
    return tuple(rows)


def overall(result: Result) -> tuple[Cell, ...]:
    """Per requirement over the whole input: a status and a count (the cell links to its section)."""
    found = result.active
    return tuple(Cell(status(f for f in found if f.requirement == n),
                      count=sum(1 for f in found if f.requirement == n)) for n in COLUMNS)


def _cells(found: list[Finding], refs: dict[Finding, Ref]) -> tuple[Cell, ...]:
    cells = []
    for number in COLUMNS:
        here = sorted((refs[f] for f in found if f.requirement == number), key=lambda r: r.number)
        cells.append(Cell(status(f for f in found if f.requirement == number), tuple(here), len(here)))
    return tuple(cells)
