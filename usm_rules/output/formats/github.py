"""``github``: GitHub Actions workflow commands, shown as annotations on the pull request.

One ``::error``, ``::warning`` or ``::notice`` command per counting finding (error, warning,
info), written as each file is reported; suppressed findings get none. The run ends with a
``::notice`` holding the summary and the maturity ceiling. Values are escaped as the runner
expects: ``%``, CR and LF in the message; additionally ``:`` and ``,`` in properties.

GitHub shows at most 10 annotations of each kind per step; the ``markdown`` format (for
``$GITHUB_STEP_SUMMARY``) lists every finding.
"""

from __future__ import annotations

from ...model.findings import Finding, Severity
from ...model.results import FileOutcome
from ..escape import visible
from .base import Reporter
from .lines import ceiling_line, summary_line

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


class GithubReporter(Reporter):
    name = "github"

    def file(self, outcome: FileOutcome, findings: list[Finding]) -> None:
        for finding in findings:
            if finding.counts:
                self.stream.write(annotation(finding) + "\n")

    def finish(self) -> None:
        result = self.result
        text = f"{ceiling_line(result)}\n{summary_line(result)}"
        self.stream.write(command("notice", {"title": f"{self.context.tool} maturity ceiling"}, text) + "\n")


def annotation(f: Finding) -> str:
    properties = {"file": visible(f.file), "line": str(f.line), "col": str(f.column), "title": f"{f.rule} {f.name}"}
    return command(COMMANDS[f.severity], properties, visible(f.message))


def command(name: str, properties: dict[str, str], message: str) -> str:
    listed = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    return f"::{name} {listed}::{escape_data(message)}"


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


REPORTER = GithubReporter
