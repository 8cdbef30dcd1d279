"""``markdown``: a summary for a pull-request comment or ``$GITHUB_STEP_SUMMARY``.

A heading with the verdict (ceiling, level, what holds it), the counts, a table of the
requirements 0-10, a table of each process's ceiling, a table of the counting findings (the
first :data:`MAX_ROWS`), a table of the suppressed findings with their reasons, and a note
when the result is incomplete. Requirement statuses and tables use counting findings only.
Text from the input is escaped so that it can neither break a table nor inject HTML.
"""

from __future__ import annotations

from ...model.findings import Finding, Severity
from ...model.requirements import REQUIREMENTS
from ...model.requirements import status as requirement_status
from ...model.results import Result
from ...verdict.ceiling import LEVELS
from ...verdict.phrases import heading, holders, plural
from ..escape import escape
from .base import Reporter

MAX_ROWS = 200  # a pull-request comment holds at most 65,536 characters


class MarkdownReporter(Reporter):
    name = "markdown"

    def finish(self) -> None:
        result = self.result
        sections = [verdict(self.context.tool, result), incomplete(result), requirements_table(result),
                    processes_table(result), findings_table(result), suppressed_table(result),
                    f"_{self.context.tool} {self.context.version}, mapping: {escape(result.mapping)}_"]
        self.stream.write("\n\n".join(s for s in sections if s) + "\n")


def verdict(tool: str, result: Result) -> str:
    m = result.maturity
    lines = [f"## {tool}: {heading(result)}", ""]
    if m.limited_by:
        lines.append(f"Held at {m.ceiling} by {escape(holders(m.limited_by, names=True, counts=True))}.")
    else:
        lines.append("The process design does not limit maturity.")
    if m.design < m.ceiling:
        lines += ["", f"**The design allows {m.design}** ({LEVELS[m.design]}): "
                      f"{plural(m.accepted, 'accepted finding')} (baseline, waivers, suppressions) hold it there: "
                      f"{escape(holders(m.design_by, names=True, counts=True))}."]
    if m.at_risk:
        lines += ["", f"At risk (warnings): {', '.join(m.at_risk)}."]
    if m.likely < m.ceiling:
        lines += ["", f"**Likely ceiling {m.likely}** ({LEVELS[m.likely]}) if the "
                      f"{plural(m.warnings, 'warning')} {'is' if m.warnings == 1 else 'are'} confirmed: "
                      f"{escape(holders(m.likely_by, names=True, counts=True))}."]
    counts = (f"{', '.join(plural(result.count(s), s.value) for s in Severity)} in {plural(len(result.files), 'file')} "
              f"({plural(result.documents, 'document')}, {plural(len(result.processes), 'process', 'processes')})")
    if result.suppressed:
        counts += f"; {plural(result.suppressed, 'suppressed finding')} not counted"
    if result.skipped:
        counts += f"; {plural(result.skipped, 'file')} skipped: not usm documents"
    if result.fixed:
        counts += f"; {plural(len(result.fixed), 'baseline entry', 'baseline entries')} no longer found"
    lines += ["", f"**{counts}**"]
    return "\n".join(lines)


def incomplete(result: Result) -> str:
    if result.complete:
        return ""
    unread = result.unreadable
    why = f"{plural(len(unread), 'file')} could not be fully read ({', '.join(escape(p) for p in unread)})" \
        if unread else "a rule could not run"
    return f"> **Result incomplete:** {why}, so findings may be missing and the ceiling may be too high."


def requirements_table(result: Result) -> str:
    rows = ["| # | Requirement | Status | Findings |", "| --: | --- | --- | --: |"]
    for number, title in REQUIREMENTS.items():
        found = [f for f in result.active if f.requirement == number]
        rows.append(f"| {number} | {escape(title)} | {status(found)} | {len(found)} |")
    return "### Requirements\n\n" + "\n".join(rows)


def status(found: list[Finding]) -> str:
    verdict = requirement_status(found)
    return "**fail**" if verdict == "fail" else verdict


def processes_table(result: Result) -> str:
    if not result.maturity.processes:
        return ""
    rows = ["| Process | Ceiling | Held by |", "| --- | --: | --- |"]
    for name, ceiling, limits in result.maturity.processes:
        held = ", ".join(limit.rule for limit in limits) or "-"
        rows.append(f"| {escape(name)} | {ceiling} ({LEVELS[ceiling]}) | {held} |")
    return "### Processes\n\n" + "\n".join(rows)


def findings_table(result: Result) -> str:
    active = result.active
    if not active:
        return "### Findings\n\nNo findings."
    rows = [f"| {_where(f)} | {f.rule} {escape(f.name)} | {f.severity.value} | {escape(f.message)} |" for f in active]
    return f"### Findings ({len(active)})\n\n" + table("| Location | Rule | Severity | Message |", rows)


def suppressed_table(result: Result) -> str:
    hidden = [(f, f.suppressed) for f in result.findings if f.suppressed is not None]
    if not hidden:
        return ""
    rows = [f"| {_where(f)} | {f.rule} {escape(f.name)} | {why.kind} | {escape(why.reason)} |" for f, why in hidden]
    return f"### Suppressed ({len(hidden)})\n\n" + table("| Location | Rule | Suppressed by | Reason |", rows)


def table(header: str, rows: list[str]) -> str:
    """A table of the first :data:`MAX_ROWS` rows, with a note on the rest."""
    lines = [header, "| --- " * header.count(" | ") + "| --- |", *rows[:MAX_ROWS]]
    if len(rows) > MAX_ROWS:
        lines += ["", f"{plural(len(rows) - MAX_ROWS, 'more row')} not shown; `--format text` lists them all."]
    return "\n".join(lines)


def _where(f: Finding) -> str:
    return escape(f"{f.file}:{f.line}")


REPORTER = MarkdownReporter
