"""``sarif``: SARIF 2.1.0 for code-scanning tools (GitHub code scanning, Azure DevOps, IDEs).

One run. ``tool.driver.rules`` describes only the rules that have a finding (suppressed ones
included), in id order; each result points at its rule by ``ruleId`` and ``ruleIndex``.
Relative paths are relative to ``%SRCROOT%``, the working folder; absolute paths outside it
stay absolute ``file://`` URIs. Columns count Unicode code points, as the loader does.
Suppressed findings are reported with a ``suppressions`` entry, so viewers can show them
as dismissed; the maturity verdict lives in ``run.properties``.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

from ...model.findings import Finding, Severity
from ...model.results import Result
from ...model.rules import Rule
from ..rule_docs import markdown, page, text
from .base import Reporter, help_uri

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SRCROOT = "%SRCROOT%"
FINGERPRINT = "usmRules/v1"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
IN_SOURCE = {"inline", "file"}  # waivers and baselines live outside the file: "external"


class SarifReporter(Reporter):
    name = "sarif"

    def finish(self) -> None:
        result = self.result
        json.dump(self.document(result), self.stream, indent=2, ensure_ascii=False)
        self.stream.write("\n")

    def document(self, result: Result) -> dict:
        rule_ids = sorted({f.rule for f in result.findings})
        index = {rule_id: number for number, rule_id in enumerate(rule_ids)}
        driver: dict = {"name": self.context.tool, "version": self.context.version}
        if self.context.docs_url:
            driver["informationUri"] = f"{self.context.docs_url.rstrip('/')}/rules/README.md"
        driver["rules"] = [self.descriptor(rule_id, result) for rule_id in rule_ids]
        return {
            "$schema": SCHEMA,
            "version": "2.1.0",
            "runs": [{
                "tool": {"driver": driver},
                "invocations": [{"executionSuccessful": True}],
                "originalUriBaseIds": {SRCROOT: {"uri": _folder_uri(Path.cwd())}},
                "columnKind": "unicodeCodePoints",
                "results": [sarif_result(f, index[f.rule]) for f in result.findings],
                "properties": run_properties(result),
            }],
        }

    def descriptor(self, rule_id: str, result: Result) -> dict:
        rule = self.result.catalog.rules.get(rule_id)
        if rule is None:  # a finding of a rule outside the catalogue: describe it from the finding
            finding = next(f for f in result.findings if f.rule == rule_id)
            return {"id": rule_id, "name": finding.name, "defaultConfiguration": {"level": LEVELS[finding.severity]},
                    "properties": _rule_properties(finding.requirement, finding.ceiling, finding.confidence)}
        return rule_descriptor(rule, self.context.docs_url)


def rule_descriptor(rule: Rule, docs_url: str = "") -> dict:
    """A rule's descriptor, with its whole page as help (code scanning shows it beside each
    alert), and a link to the published reference only when the configuration names one."""
    help_page = page(rule, fix_first=True)
    descriptor = {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.rationale},
        "help": {"text": text(help_page), "markdown": markdown(help_page, generated=False)},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": _rule_properties(rule.requirement, rule.ceiling, rule.confidence),
    }
    uri = help_uri(rule, docs_url)
    return {**descriptor, "helpUri": uri} if uri else descriptor


def _rule_properties(requirement: int, ceiling: int | None, confidence: str) -> dict:
    return {"requirement": requirement, "ceiling": ceiling, "confidence": confidence,
            "tags": ["usm", f"requirement-{requirement}"]}


def sarif_result(finding: Finding, rule_index: int) -> dict:
    data = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": {
            "artifactLocation": artifact_location(finding.file),
            "region": {"startLine": max(finding.line, 1), "startColumn": max(finding.column, 1)},
        }}],
        "partialFingerprints": {FINGERPRINT: finding.fingerprint},
        "properties": {"requirement": finding.requirement, "ceiling": finding.ceiling, "subject": finding.subject},
    }
    if finding.suppressed is not None:
        data["suppressions"] = [{
            "kind": "inSource" if finding.suppressed.kind in IN_SOURCE else "external",
            "status": "accepted",
            "justification": finding.suppressed.reason,
        }]
    return data


def artifact_location(path: str) -> dict:
    """Relative to ``%SRCROOT%`` (the working folder) when possible; else a ``file://`` URI."""
    if Path(path).is_absolute():
        try:
            path = Path(path).relative_to(Path.cwd()).as_posix()
        except ValueError:
            return {"uri": Path(path).as_uri()}
    # paths are shown with "/" on every platform, so a backslash is part of a name (or of a
    # \\xNN escape of a name that is not UTF-8): percent-encoded like any other character
    return {"uri": quote(path), "uriBaseId": SRCROOT}


def _folder_uri(folder: Path) -> str:
    uri = folder.as_uri()
    return uri if uri.endswith("/") else uri + "/"


def run_properties(result: Result) -> dict:
    m = result.maturity
    properties = {
        "maturityCeiling": m.ceiling,
        "maturityLevel": m.level,
        "limitedBy": [limiter.rule for limiter in m.limited_by],
        "atRisk": list(m.at_risk),
        "likelyCeiling": m.likely,
        "designCeiling": m.design,
        "accepted": m.accepted,
        "complete": result.complete,
        "mapping": result.mapping,
    }
    if result.fixed:
        properties["fixed"] = list(result.fixed)
    return properties


REPORTER = SarifReporter
