"""``gitlab``: GitLab Code Quality, the CodeClimate-style JSON that merge requests show.

One issue per counting finding (suppressed, waived and baselined ones are left out, as the gate
leaves them out), with the fields GitLab documents: ``description``, ``check_name``,
``fingerprint`` (unique per issue, stable across moved lines), ``severity`` (``info``, ``minor``,
``major``, ``critical``, ``blocker``) and ``location`` (``path`` relative to the repository
root, ``lines.begin``). Severity: an error that lowers the ceiling to 2 or below is
``critical``, another error ``major``, a warning ``minor``, an info ``info``.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter

from ...model.findings import Finding, Severity
from .base import Reporter


class GitlabReporter(Reporter):
    name = "gitlab"

    def finish(self) -> None:
        result = self.result
        seen: Counter[str] = Counter()
        issues = []
        for finding in result.findings:
            if finding.counts:
                issues.append(issue(finding, seen))
        json.dump(issues, self.stream, indent=2, ensure_ascii=False)
        self.stream.write("\n")


def severity(finding: Finding) -> str:
    if finding.severity is Severity.ERROR:
        return "critical" if finding.ceiling is not None and finding.ceiling <= 2 else "major"
    return "minor" if finding.severity is Severity.WARNING else "info"


def issue(finding: Finding, seen: Counter[str]) -> dict:
    """One Code Quality issue; a second finding with the same fingerprint gets its own."""
    seen[finding.fingerprint] += 1
    unique = hashlib.sha256(f"{finding.fingerprint}\0{seen[finding.fingerprint]}".encode()).hexdigest()
    return {
        "description": f"{finding.rule} {finding.name}: {finding.message}",
        "check_name": finding.rule,
        "fingerprint": unique,
        "severity": severity(finding),
        "location": {"path": finding.file, "lines": {"begin": max(finding.line, 1)}},
    }


REPORTER = GitlabReporter
