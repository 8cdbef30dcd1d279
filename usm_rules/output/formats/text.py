"""``text``: one line per finding, as compilers print them, then a summary."""

from __future__ import annotations

from ...model.findings import Finding, Severity
from ...model.results import FileOutcome, Result
from ...verdict.phrases import plural, sentence
from ..escape import line_start, visible
from . import terminal
from .base import Reporter


class TextReporter(Reporter):
    name = "text"
    description = "file:line:col: severity rule name message, then a summary (default)"

    def file(self, outcome: FileOutcome, findings: list[Finding]) -> None:
        if self.context.statistics:
            return
        lines: tuple[str, ...] | None = None
        for f in findings:
            if not f.counts:
                continue
            if self.context.color:
                lines = self._lines(outcome.path) if lines is None else lines
                self.stream.write(terminal.finding_block(f, lines, self.context.catalog))
            else:
                self.stream.write(finding_line(f) + "\n")

    def finish(self, result: Result) -> None:
        color = self.context.color
        if self.context.statistics:
            self.stream.writelines(line + "\n" for line in terminal.statistics(result, color))
        if self.context.quiet:
            return
        if color and result.active:
            self.stream.write(terminal.paint("By requirement:", terminal.BOLD) + "\n")
            self.stream.writelines(line + "\n" for line in terminal.by_requirement(result.findings))
        self.stream.write(summary_line(result) + "\n")
        ceiling = ceiling_line(result)
        self.stream.write((terminal.paint(ceiling, terminal.BOLD) if color else ceiling) + "\n")

    def _lines(self, path: str) -> tuple[str, ...]:
        """The lines of an input, for the source shown under each of its findings."""
        if self.result is None:
            return ()
        if getattr(self, "_by_path", None) is None:
            self._by_path = {item.path: item for item in self.result.inputs}
        item = self._by_path.get(path)
        return item.lines if item is not None else ()


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
