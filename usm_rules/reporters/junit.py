"""``junit``: JUnit XML for CI test-report views (Jenkins, GitLab, Azure DevOps, test-report actions).

Design: ``<testsuites>`` holds one ``<testsuite name="usm-rules">``; each input file is one
``<testcase classname="usm-rules" name="PATH">``, so a clean file shows as a passed test and
the test count is stable from run to run. Inside a file's test case:

* each counting error or warning finding is one ``<failure type="RULE" message="...">``
  whose text is the finding in the ``text`` format (``file:line:col: severity rule name message``);
* a file that could not be fully read (status ``error``) turns its counting requirement-0
  errors into ``<error>`` elements instead (or one generic ``<error>`` if it has none), so a
  load problem is counted once, as an error, never also as a failure;
* info findings and suppressed findings (with their reasons) go to ``<system-out>``. They are
  not ``<skipped>``: several consumers show a test case with ``<skipped>`` as skipped even
  when it also holds failures, which would hide them.

The suite's ``tests`` is the number of test cases; ``failures``, ``errors`` and ``skipped``
count the ``<failure>``, ``<error>`` and ``<skipped>`` elements (as junitparser and Jenkins'
schema read them); ``skipped`` is always 0. The maturity verdict is in ``<properties>``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ..model import FileOutcome, Finding, Result, Severity
from .base import Reporter
from .text import ceiling_line, finding_line, summary_line

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")  # outside XML 1.0 Char


class JunitReporter(Reporter):
    name = "junit"
    description = "JUnit XML: one test case per input file, one failure per error or warning"

    def start(self) -> None:
        self.cases: list[ET.Element] = []

    def file(self, outcome: FileOutcome, findings: list[Finding]) -> None:
        self.cases.append(file_case(self.context.tool, outcome, findings))

    def finish(self, result: Result) -> None:
        suite = ET.Element("testsuite", {"name": self.context.tool})
        suite.append(properties(result))
        suite.extend(self.cases)
        counts = {
            "tests": len(self.cases),
            "failures": sum(len(case.findall("failure")) for case in self.cases),
            "errors": sum(len(case.findall("error")) for case in self.cases),
            "skipped": 0,
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


def file_case(tool: str, outcome: FileOutcome, findings: list[Finding]) -> ET.Element:
    """The test case of one input file: its failures, errors and notes."""
    case = ET.Element("testcase", {"classname": tool, "name": clean(outcome.path), "time": "0"})
    failing = [f for f in findings if f.counts and f.severity is not Severity.INFO]
    unread = outcome.status == "error"
    for finding in failing:
        _add(case, "error" if unread and _unreadable(finding) else "failure", finding)
    if unread and not any(_unreadable(f) for f in failing):
        ET.SubElement(case, "error", {"type": tool, "message": "the file could not be fully read"})
    notes = [note(f) for f in findings if not f.counts or f.severity is Severity.INFO]
    if notes:
        ET.SubElement(case, "system-out").text = clean("\n".join(notes))
    return case


def _unreadable(finding: Finding) -> bool:
    return finding.requirement == 0 and finding.severity is Severity.ERROR


def _add(case: ET.Element, tag: str, finding: Finding) -> None:
    f = finding
    message = f"{f.line}:{f.column}: {f.severity.value} {f.rule} {f.name} {f.message}"
    element = ET.SubElement(case, tag, {"type": finding.rule, "message": clean(" ".join(message.split()))})
    element.text = clean(finding_line(finding))


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
