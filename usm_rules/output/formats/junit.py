"""``junit``: JUnit XML for CI test-report views (Jenkins, GitLab, Azure DevOps, test-report actions).

The report agrees with the gate (``--fail-on``, ``--min-maturity``): a CI server that reads only
the XML sees the same verdict as the exit code.

* ``<testsuites>`` holds one ``<testsuite name="usm-rules">``; each input file is one
  ``<testcase classname="usm-rules" name="PATH">``, and one more, ``maturity gate``, stands for
  the ceiling: it fails when the result is incomplete or the ceiling is below ``--min-maturity``;
* a file with findings that fail the gate (counting, at or above ``--fail-on``) holds one
  ``<failure>`` whose message counts them and whose text lists each in the ``text`` format;
* a file that could not be fully read holds one ``<error>`` (its requirement-0 errors);
* a file that holds no usm document is ``<skipped>``;
* everything else (findings below ``--fail-on``, infos, suppressed findings with their reasons)
  goes to ``<system-out>``.

So ``tests`` is the number of test cases, and ``failures``, ``errors`` and ``skipped`` count test
cases (at most one each per case): they always add up, as junitparser and Jenkins read them.
The verdict is also in ``<properties>``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ...model.findings import Finding, Severity
from ...model.results import FileOutcome, Result
from ...verdict.gate import failing
from ...verdict.phrases import plural
from .base import Reporter
from .lines import ceiling_line, finding_line, summary_line

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")  # outside XML 1.0 Char
GATE_CASE = "maturity gate"


class JunitReporter(Reporter):
    name = "junit"

    def start(self) -> None:
        self.cases: list[ET.Element] = []

    def file(self, outcome: FileOutcome, findings: list[Finding]) -> None:
        self.cases.append(file_case(self.context.tool, outcome, findings, self.context.fail_on))

    def finish(self) -> None:
        result = self.result
        suite = ET.Element("testsuite", {"name": self.context.tool})
        suite.append(properties(result))
        suite.extend(self.cases)
        suite.append(gate_case(self.context.tool, result, self.context.min_maturity))
        cases = suite.findall("testcase")
        counts = {
            "tests": len(cases),
            "failures": sum(1 for case in cases if case.find("failure") is not None),
            "errors": sum(1 for case in cases if case.find("error") is not None),
            "skipped": sum(1 for case in cases if case.find("skipped") is not None),
            "time": "0",
        }
        for key, value in counts.items():
            suite.set(key, str(value))
        root = ET.Element("testsuites", {"name": self.context.tool, **{k: str(v) for k, v in counts.items()}})
        root.append(suite)
        ET.indent(root)
        self.stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        self.stream.write(ET.tostring(root, encoding="unicode"))
        self.stream.write("\n")


def file_case(tool: str, outcome: FileOutcome, findings: list[Finding], fail_on: str = "error") -> ET.Element:
    """The test case of one input file: at most one failure, one error, or skipped; the rest as notes."""
    case = ET.Element("testcase", {"classname": tool, "name": clean(outcome.path), "time": "0"})
    if outcome.status == "skipped":
        ET.SubElement(case, "skipped", {"message": "not a usm document (no apiVersion: usm/v1)"})
        return case
    unread = [f for f in findings if f.counts and _unreadable(f)] if outcome.status == "error" else []
    threshold = Severity(fail_on).rank if fail_on != "never" else 99
    gating = [f for f in findings if f.counts and f.severity.rank >= threshold and f not in unread]
    if gating:
        rules = ", ".join(dict.fromkeys(f.rule for f in gating))
        failure = ET.SubElement(case, "failure", {
            "type": gating[0].rule if len({f.rule for f in gating}) == 1 else tool,
            "message": clean(f"{plural(len(gating), 'finding')} at or above {fail_on}: {rules}")})
        failure.text = clean("\n".join(finding_line(f) for f in gating))
    if outcome.status == "error":
        error = ET.SubElement(case, "error", {
            "type": unread[0].rule if unread else tool,
            "message": clean(" ".join(_short(unread[0]).split()) if unread else "the file could not be fully read")})
        error.text = clean("\n".join(finding_line(f) for f in unread))
    notes = [note(f) for f in findings if f not in gating and f not in unread]
    if notes:
        ET.SubElement(case, "system-out").text = clean("\n".join(notes))
    return case


def gate_case(tool: str, result: Result, min_maturity: int) -> ET.Element:
    """The maturity gate as a test case: it fails exactly when the ceiling fails the gate."""
    case = ET.Element("testcase", {"classname": tool, "name": GATE_CASE, "time": "0"})
    reasons = failing(result, "never", min_maturity)
    if reasons:
        ET.SubElement(case, "failure", {"type": tool, "message": clean(reasons[0])}).text = clean(
            "\n".join([*reasons, ceiling_line(result)]))
    else:
        ET.SubElement(case, "system-out").text = clean(ceiling_line(result))
    return case


def _unreadable(finding: Finding) -> bool:
    return finding.requirement == 0 and finding.severity is Severity.ERROR


def _short(f: Finding) -> str:
    return f"{f.line}:{f.column}: {f.severity.value} {f.rule} {f.name} {f.message}"


def note(f: Finding) -> str:
    if f.suppressed is None:
        return finding_line(f)
    return f"{finding_line(f)} [suppressed ({f.suppressed.kind}): {f.suppressed.reason}]"


def properties(result: Result) -> ET.Element:
    m = result.maturity
    element = ET.Element("properties")
    values = {
        "maturityCeiling": str(m.ceiling),
        "designCeiling": str(m.design),
        "accepted": str(m.accepted),
        "maturityLevel": m.level,
        "limitedBy": ",".join(limiter.rule for limiter in m.limited_by),
        "complete": str(result.complete).lower(),
        "suppressed": str(result.suppressed),
        "summary": summary_line(result),
        "verdict": ceiling_line(result),
    }
    for name, value in values.items():
        ET.SubElement(element, "property", {"name": name, "value": clean(value)})
    return element


def clean(text: str) -> str:
    """Text XML 1.0 can hold: characters it forbids become U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


REPORTER = JunitReporter
