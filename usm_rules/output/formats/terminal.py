"""The text format as a terminal shows it: colour, the offending source line with a caret under
the column, the rule's page, and summaries per requirement and per rule.

Only for a terminal, or when colour is forced (``--color always``, ``FORCE_COLOR``): in a pipe
the text format stays the plain, parseable ``file:line:col: severity rule name message`` lines.
Every value from the input is shown with its control characters written out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from ...model.findings import Finding, Severity
from ...model.requirements import REQUIREMENTS
from ...model.results import Result
from ...model.rules import Catalog
from ...verdict.phrases import plural
from ..escape import line_start, quoted_span, visible
from .base import help_uri

RESET = "\x1b[0m"
BOLD = "\x1b[1m"
RED = "\x1b[31m"
YELLOW = "\x1b[33m"
BLUE = "\x1b[34m"
CYAN = "\x1b[36m"
SEVERITY = {Severity.ERROR: RED + BOLD, Severity.WARNING: YELLOW + BOLD, Severity.INFO: BLUE + BOLD}


def paint(text: str, style: str) -> str:
    return f"{style}{text}{RESET}"


def link(text: str, uri: str) -> str:
    """A terminal hyperlink (OSC 8): the text, which opens ``uri`` where the terminal allows."""
    return f"\x1b]8;;{uri}\x1b\\{text}\x1b]8;;\x1b\\"


def finding_block(f: Finding, lines: tuple[str, ...], catalog: Catalog, docs_url: str = "") -> str:
    """A finding as a terminal shows it: its line, the source line with a caret under the word the
    message quotes, and the rule's page where the reference is published."""
    rule = catalog.rules.get(f.rule)
    uri = help_uri(rule, docs_url) if rule is not None else ""
    place = paint(f"{line_start(visible(f.file))}:{f.line}:{f.column}", BOLD)
    code = paint(link(f.rule, uri) if uri else f.rule, CYAN + BOLD)
    head = f"{place}: {paint(f.severity.value, SEVERITY[f.severity])} {code} {f.name} {visible(f.message)}"
    out = [head]
    if 1 <= f.line <= len(lines):
        source = visible(lines[f.line - 1], keep="\t").replace("\t", " ")
        width = len(str(f.line))
        gutter = paint(" " * width + " |", BLUE)
        column = max(1, min(f.column, len(source) + 1))
        start, length = quoted_span(source, column - 1, visible(f.message))
        carets = "^" * max(1, length)
        out += [gutter, f"{paint(str(f.line), BLUE)} {paint('|', BLUE)} {source}",
                f"{gutter} {' ' * start}{paint(carets, SEVERITY[f.severity])}"]
    if uri:
        out.append(f"{paint(' ' * len(str(max(f.line, 1))) + ' =', BLUE)} {paint('doc:', BOLD)} {uri}")
    return "\n".join(out) + "\n"


def by_requirement(findings: Iterable[Finding]) -> list[str]:
    """One line per requirement with counting findings: its number, title and counts."""
    counts: dict[int, Counter[Severity]] = {}
    for f in findings:
        if f.counts:
            counts.setdefault(f.requirement, Counter())[f.severity] += 1
    lines = []
    for number in sorted(counts):
        found = ", ".join(plural(counts[number][s], s.value) for s in Severity if counts[number][s])
        lines.append(f"  {paint(f'R{number:<2}', BOLD)} {REQUIREMENTS.get(number, ''):<66} {found}")
    return lines


def statistics(result: Result, color: bool) -> list[str]:
    """A count per rule of the findings that count, most frequent first (as ruff --statistics)."""
    counted = Counter(f.rule for f in result.findings if f.counts)
    first = {f.rule: f for f in result.findings if f.counts}
    lines = []
    for rule, count in sorted(counted.items(), key=lambda item: (-item[1], item[0])):
        f = first[rule]
        severity = paint(f.severity.value, SEVERITY[f.severity]) if color else f.severity.value
        code = paint(rule, CYAN + BOLD) if color else rule
        lines.append(f"{count:>6}  {code}  {f.name:<34} R{f.requirement:<2} {severity}")
    return lines
