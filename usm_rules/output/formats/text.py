"""``text``: one line per finding, as compilers print them, then a summary."""

from __future__ import annotations

from ...model.findings import Finding
from ...model.results import FileOutcome
from . import terminal
from .base import Reporter
from .lines import ceiling_line, finding_line, model_line, summary_line


class TextReporter(Reporter):
    name = "text"

    def file(self, outcome: FileOutcome, findings: list[Finding]) -> None:
        if self.context.statistics:
            return
        lines: tuple[str, ...] | None = None
        for f in findings:
            if not f.counts:
                continue
            if self.context.color:
                lines = self._lines(outcome.path) if lines is None else lines
                self.stream.write(terminal.finding_block(f, lines, self.result.catalog, self.context.docs_url))
            else:
                self.stream.write(finding_line(f) + "\n")

    def finish(self) -> None:
        result = self.result
        color = self.context.color
        if self.context.statistics:
            self.stream.writelines(line + "\n" for line in terminal.statistics(result, color))
        if self.context.quiet:
            return
        if color and result.active:
            self.stream.write(terminal.paint("By requirement:", terminal.BOLD) + "\n")
            self.stream.writelines(line + "\n" for line in terminal.by_requirement(result.findings))
        if result.model_roots:
            self.stream.write(model_line(result) + "\n")
        self.stream.write(summary_line(result) + "\n")
        ceiling = ceiling_line(result)
        self.stream.write((terminal.paint(ceiling, terminal.BOLD) if color else ceiling) + "\n")

    def _lines(self, path: str) -> tuple[str, ...]:
        """The lines of an input, for the source shown under each of its findings."""
        if getattr(self, "_by_path", None) is None:
            self._by_path = {item.path: item for item in self.result.inputs}
        item = self._by_path.get(path)
        return item.lines if item is not None else ()


REPORTER = TextReporter
