"""``text``: one line per finding, as compilers print them, then a summary."""

from __future__ import annotations

from ..markup import line_start, visible
from ..model import FileOutcome, Finding, Result, Severity
from ..verdict import plural, sentence
from .base import Reporter


class TextReporter(Reporter):
    name = "text"
    description = "file:line:col: severity rule name message, then a summary (default)"

    def file(self, outcome: FileOutcome, findings: list[Finding]) -> None:
        for f in findings:
            if not f.counts:
                continue
            self.stream.write(finding_line(f) + "\n")

    def finish(self, result: Result) -> None:
        self.stream.write(summary_line(result) + "\n")
        self.stream.write(ceiling_line(result) + "\n")


def finding_line(f: Finding) -> str:
    """``file:line:col: severity rule name message``, as compilers print them; what comes from
    the input (the path, quoted titles) with its control characters written out."""
    place = f"{line_start(visible(f.file))}:{f.line}:{f.column}"
    return f"{place}: {f.severity.value} {f.rule} {f.name} {visible(f.message)}"


def summary_line(result: Result) -> str:
    counts = ", ".join(plural(result.count(s), s.value) for s in Severity)
    unread = len(result.unreadable)
    text = (f"{counts} in {plural(len(result.files), 'file')} "
            f"({plural(result.documents, 'document')}, {plural(len(result.processes), 'process', 'processes')})")
    if result.suppressed:
        text += f"; {result.suppressed} suppressed"
    if result.skipped:
        text += f"; {plural(result.skipped, 'file')} skipped: not usm documents"
    if unread:
        text += f"; {plural(unread, 'file')} could not be fully read: result incomplete"
    if result.fixed:
        text += (f"; {plural(len(result.fixed), 'baseline finding')} no longer occur: "
                 "recreate the baseline to shrink it")
    return text


def ceiling_line(result: Result) -> str:
    return visible(sentence(result))  # the configuration names the ceiling mapping
