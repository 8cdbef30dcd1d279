"""Every output format on one result that holds errors, warnings, a broken file and suppressions.

The machine formats are checked against their consumers (the SARIF 2.1.0 schema, JUnit
parsers, GitHub's workflow-command syntax); every registered format is snapshot-tested.
Run with ``UPDATE_SNAPSHOTS=1`` to rewrite the snapshots in ``tests/snapshots/``.
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
import re
import xml.etree.ElementTree as ET
from contextlib import contextmanager
from pathlib import Path

import jsonschema
import pytest

import usm_rules
from usm_rules.model.findings import Finding, Severity, Suppression
from usm_rules.model.results import FileOutcome
from usm_rules.model.shipped import shipped
from usm_rules.output.formats import FORMATS, reporter
from usm_rules.output.formats.base import Context, report
from usm_rules.output.formats.github import escape_data, escape_property
from usm_rules.output.formats.json_report import requirement_rows
from usm_rules.output.formats.markdown import escape
from usm_rules.output.formats.sarif import artifact_location
from usm_rules.output.formats.text import finding_line
from usm_rules.verdict.ceiling import maturity

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
SNAPSHOTS = HERE / "snapshots"
SARIF_SCHEMA = json.loads((HERE / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
REASON = "performer names are kept for the migration"
WAIVED = "the condition is agreed with the customer until the redesign"


@contextmanager
def working_folder(folder: Path):
    before = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


@pytest.fixture(scope="module")
def catalog():
    return usm_rules.load_catalog()


@pytest.fixture(scope="module")
def result(catalog):
    """The one real result: checked from tests/fixtures so that paths are relative and stable."""
    with working_folder(FIXTURES):
        return usm_rules.check_paths(["report-input"], catalog=catalog)


@pytest.fixture(scope="module")
def suppressed(result):
    """The result with USM0101 suppressed inline and USM0404 waived, whatever the suppression code does."""
    marks = {"USM0101": Suppression("inline", REASON), "USM0404": Suppression("waiver", WAIVED, "qa-lead")}
    findings = tuple(dataclasses.replace(f, suppressed=marks.get(f.rule, f.suppressed)) for f in result.findings)
    return dataclasses.replace(result, findings=findings, maturity=maturity(list(findings), list(result.processes)))


def render(name: str, result, catalog, fail_on: str = "error", min_maturity: int = 1, docs_url: str = "") -> str:
    stream = io.StringIO()
    with working_folder(FIXTURES):
        context = Context("usm-rules", usm_rules.__version__, fail_on, min_maturity, docs_url=docs_url)
        report(reporter(name)(stream, context, result))
    return stream.getvalue()


def finding(message: str, severity: Severity = Severity.ERROR, file: str = "report-input/x.yaml") -> Finding:
    return Finding(file=file, line=3, column=5, rule="USM0401", name="condition-key", requirement=4,
                   severity=severity, confidence="exact", ceiling=3, message=message, subject="Process/x")


# --- the fixture result itself ---------------------------------------------------------------


def test_the_result_holds_every_kind_of_finding(result):
    severities = {f.severity for f in result.active}
    assert {Severity.ERROR, Severity.WARNING} <= severities
    assert [f.path for f in result.files if f.status == "error"] == ["report-input/broken.yaml"]
    assert not result.complete
    assert any(f.rule == "USM0001" for f in result.findings)


def test_the_inline_suppression_reaches_the_reporters(result):
    [performer] = [f for f in result.findings if f.rule == "USM0101"]
    assert performer.suppressed == Suppression("inline", REASON)


# --- sarif ----------------------------------------------------------------------------------


def sarif(result, catalog, docs_url: str = "") -> dict:
    return json.loads(render("sarif", result, catalog, docs_url=docs_url))


@pytest.mark.parametrize("validator", [jsonschema.validators.validator_for(SARIF_SCHEMA), jsonschema.Draft7Validator])
def test_sarif_is_valid_against_the_official_schema(result, suppressed, catalog, validator):
    for each in (result, suppressed):
        errors = list(validator(SARIF_SCHEMA).iter_errors(sarif(each, catalog)))
        assert not errors, [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors]


def test_the_schema_check_rejects_a_broken_log(result, catalog):
    log = sarif(result, catalog)
    log["runs"][0]["results"][0]["level"] = "fatal"
    log["runs"][0]["results"][1]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    assert len(list(jsonschema.Draft7Validator(SARIF_SCHEMA).iter_errors(log))) == 2


def test_sarif_results_carry_rule_level_region_and_fingerprint(result, catalog):
    run = sarif(result, catalog)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted({f.rule for f in result.findings})
    levels = {"error": "error", "warning": "warning", "info": "note"}
    assert len(run["results"]) == len(result.findings)
    for got, f in zip(run["results"], result.findings, strict=False):
        assert got["ruleId"] == f.rule == rules[got["ruleIndex"]]["id"]
        assert got["level"] == levels[f.severity.value]
        assert got["message"]["text"] == f.message
        location = got["locations"][0]["physicalLocation"]
        assert location["artifactLocation"] == {"uri": f.file, "uriBaseId": "%SRCROOT%"}
        assert location["region"] == {"startLine": f.line, "startColumn": f.column}
        assert got["partialFingerprints"] == {"usmRules/v1": f.fingerprint}
        assert got["properties"] == {"requirement": f.requirement, "ceiling": f.ceiling, "subject": f.subject}
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == FIXTURES.as_uri() + "/"
    assert run["invocations"] == [{"executionSuccessful": True}]


def test_sarif_rules_describe_the_catalogue_entries(result, catalog):
    rules = {r["id"]: r for r in sarif(result, catalog)["runs"][0]["tool"]["driver"]["rules"]}
    rule = catalog["USM0401"]
    help_ = rules["USM0401"].pop("help")
    assert rules["USM0401"] == {
        "id": "USM0401",
        "name": "condition-key",
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.rationale},
        "defaultConfiguration": {"level": "error"},
        "properties": {"requirement": 4, "ceiling": 3, "confidence": "exact", "tags": ["usm", "requirement-4"]},
    }
    # the rule's whole page is its help, how to fix it first, without the generated-page comment
    markdown = help_["markdown"]
    assert markdown.startswith("# USM0401 `condition-key`") and "generated" not in markdown
    assert markdown.index(rule.remediation.splitlines()[0]) < markdown.index("## What it checks")
    assert rule.rationale.splitlines()[0] in markdown and "## Example that violates the rule" in markdown
    assert help_["text"].startswith("USM0401 condition-key:") and rule.remediation.splitlines()[0] in help_["text"]
    assert rules["USM0103"]["defaultConfiguration"] == {"level": "warning"}
    assert rules["USM0001"]["properties"]["ceiling"] is None


def test_sarif_suppressions_say_where_they_come_from(suppressed, catalog):
    results = {r["ruleId"]: r for r in sarif(suppressed, catalog)["runs"][0]["results"]}
    assert results["USM0101"]["suppressions"] == [{"kind": "inSource", "status": "accepted", "justification": REASON}]
    assert results["USM0404"]["suppressions"] == [{"kind": "external", "status": "accepted", "justification": WAIVED}]
    assert "suppressions" not in results["USM0401"]


def test_sarif_run_properties_hold_the_verdict(suppressed, catalog):
    properties = sarif(suppressed, catalog)["runs"][0]["properties"]
    assert properties == {
        "maturityCeiling": 3, "maturityLevel": "service-driven", "limitedBy": ["USM0401", "USM1004"],
        "atRisk": ["USM0103"], "likelyCeiling": 3, "designCeiling": 3, "accepted": 2, "complete": False,
        "mapping": suppressed.mapping,
    }


def test_sarif_locations_relative_inside_the_working_folder_absolute_outside(tmp_path):
    with working_folder(tmp_path):
        assert artifact_location("a b/c.yaml") == {"uri": "a%20b/c.yaml", "uriBaseId": "%SRCROOT%"}
        assert artifact_location(str(tmp_path / "in" / "x.yaml")) == {"uri": "in/x.yaml", "uriBaseId": "%SRCROOT%"}
        outside = tmp_path.parent / "elsewhere.yaml"
        assert artifact_location(str(outside)) == {"uri": outside.as_uri()}


# --- junit ----------------------------------------------------------------------------------


def test_junit_has_one_case_per_file_and_one_for_the_gate_and_counts_add_up(result, catalog):
    root = ET.fromstring(render("junit", result, catalog))
    [suite] = root.findall("testsuite")
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == [*(f.path for f in result.files), "maturity gate"]
    assert {c.get("classname") for c in cases} == {"usm-rules"}
    counts = {"tests": len(result.files) + 1, "failures": 2, "errors": 1, "skipped": 0}  # recover + the gate
    for element in (root, suite):
        assert {k: int(element.get(k)) for k in counts} == counts
    assert counts["failures"] == len(suite.findall("testcase/failure")) <= counts["tests"]
    by_name = {c.get("name"): c for c in cases}
    [error] = by_name["report-input/broken.yaml"]
    assert (error.tag, error.get("type")) == ("error", "USM0001")
    assert len(by_name["report-input/model.yaml"]) == 0
    recover = by_name["report-input/recover.yaml"]
    [failure] = recover.findall("failure")  # only the errors fail the default gate (--fail-on error)
    errors = [f for f in result.active if f.file.endswith("recover.yaml") and f.severity is Severity.ERROR]
    assert failure.get("message") == f"{len(errors)} findings at or above error: USM0401, USM1004"
    assert failure.text.splitlines() == [finding_line(f) for f in errors]
    assert "warning USM0103" in recover.find("system-out").text  # a warning does not fail the gate
    gate = by_name["maturity gate"].find("failure")  # the result is incomplete: the gate fails
    assert gate is not None and gate.get("message").startswith("the result is incomplete")
    assert {p.get("name"): p.get("value") for p in suite.iter("property")}["maturityCeiling"] == "3"


def test_junit_follows_fail_on_and_min_maturity(result, catalog):
    complete = dataclasses.replace(result, complete=True, files=tuple(
        dataclasses.replace(f, status="checked") for f in result.files))
    warn = {c.get("name"): c for c in ET.fromstring(render("junit", complete, catalog, "warning", 4)).iter("testcase")}
    [failure] = warn["report-input/recover.yaml"].findall("failure")
    assert failure.get("message").startswith("4 findings at or above warning")
    gate = warn["maturity gate"].find("failure").get("message")
    assert gate.startswith("maturity ceiling 3 is below --min-maturity 4")
    never = {c.get("name"): c for c in ET.fromstring(render("junit", complete, catalog, "never", 1)).iter("testcase")}
    assert all(case.find("failure") is None for case in never.values())  # passes with findings: no failure


def test_junit_lists_suppressed_findings_with_their_reasons(suppressed, catalog):
    cases = {c.get("name"): c for c in ET.fromstring(render("junit", suppressed, catalog)).iter("testcase")}
    operate = cases["report-input/operate.yaml"]
    assert operate.find("failure") is None and operate.find("skipped") is None
    assert f"[suppressed (inline): {REASON}]" in operate.find("system-out").text
    assert f"[suppressed (waiver): {WAIVED}]" in cases["report-input/recover.yaml"].find("system-out").text
    assert "USM0404" not in cases["report-input/recover.yaml"].find("failure").text


def test_junit_parses_with_junitparser(suppressed, catalog):
    import junitparser  # in the test extra: a missing consumer must fail, not skip
    xml = junitparser.JUnitXml.fromstring(render("junit", suppressed, catalog))
    [suite] = list(xml)
    declared = (suite.tests, suite.failures, suite.errors, suite.skipped)
    suite.update_statistics()  # junitparser counts the elements itself
    assert declared == (suite.tests, suite.failures, suite.errors, suite.skipped) == (5, 2, 1, 0)
    results = {case.name: [(type(r).__name__, r.type) for r in case.result] for case in suite}
    assert results == {
        "report-input/broken.yaml": [("Error", "USM0001")],
        "report-input/model.yaml": [],
        "report-input/operate.yaml": [],
        "report-input/recover.yaml": [("Failure", "usm-rules")],
        "maturity gate": [("Failure", "usm-rules")],
    }


def test_junit_survives_characters_xml_forbids_and_unread_files_without_findings(result, catalog):
    odd = dataclasses.replace(result, files=(FileOutcome("report-input/x.yaml", "error"),),
                              findings=(finding("bell \x07 and <tag> & \"quotes\"", Severity.WARNING),))
    case = ET.fromstring(render("junit", odd, catalog, "warning")).find("testsuite/testcase")
    assert [e.tag for e in case] == ["failure", "error"]  # a warning fails --fail-on warning; the file still errs
    # the bell is shown escaped, as in the text format (XML would forbid it anyway)
    assert case.find("failure").text.endswith("bell \\x07 and <tag> & \"quotes\"")


# --- github ---------------------------------------------------------------------------------

VALUE = r"[^,:\r\n]+"
COMMAND = re.compile(rf"::(error|warning|notice) (file={VALUE},line=\d+,col=\d+,)?title={VALUE}::[^\r\n]*")


def test_github_emits_only_well_formed_workflow_commands(result, catalog):
    lines = render("github", result, catalog).splitlines()
    assert all(COMMAND.fullmatch(line) for line in lines), lines
    annotations = [line for line in lines if " file=" in line]
    assert len(annotations) == len(result.active)
    assert not any("USM0101" in line for line in lines)  # suppressed: no annotation
    assert annotations[0] == ("::error file=report-input/broken.yaml,line=5,col=9,title=USM0001 yaml-syntax"
                              "::YAML syntax error: mapping values are not allowed in this context")
    assert "100%25 sure: yes" in annotations[1]
    assert lines[-1].startswith(
        "::notice title=usm-rules maturity ceiling::No ceiling: 1 file could not be read or understood. The "
        "readable files allow at most")
    assert "%0A" in lines[-1]


def test_github_escapes_messages_and_properties(catalog, result):
    odd = finding("one, two: 100%\nnext\rline", Severity.INFO, file="a,b/c:d%.yaml")
    output = render("github", dataclasses.replace(result, findings=(odd,)), catalog).splitlines()
    assert output[0] == ("::notice file=a%2Cb/c%3Ad%25.yaml,line=3,col=5,title=USM0401 condition-key"
                         "::one, two: 100%25\\nnext\\rline")  # control characters shown, never obeyed
    assert all(COMMAND.fullmatch(line) for line in output)
    assert escape_data("100%25") == "100%2525"
    assert escape_property("a:b,c") == "a%3Ab%2Cc"


# --- markdown -------------------------------------------------------------------------------


def cells(row: str) -> list[str]:
    """The cells of a table row, split at pipes that are not escaped."""
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", row)[1:-1]]


def test_markdown_summary_structure(result, catalog):
    text = render("markdown", result, catalog)
    lines = text.splitlines()
    assert lines[0] == ("## usm-rules: no maturity ceiling (1 file could not be read); the readable files allow at "
                        "most 3 of 5")
    assert ("Held at 3 by USM0401 condition-key (requirement 4, 1 finding), "
            "USM1004 no-informing (requirement 10, 1 finding).") in lines
    assert any(line.startswith("> **Result incomplete:** 1 file could not be fully read") for line in lines)
    rows = [cells(line) for line in lines if re.match(r"\| \d+ \|", line)]
    expected = [[str(r["number"]), r["title"], r["status"], str(r["findings"])] for r in requirement_rows(result)]
    assert [[n, t, s.strip("*"), c] for n, t, s, c in rows] == expected
    for table in re.findall(r"(?:^\|.*\n)+", text, re.MULTILINE):  # every row as wide as its header
        widths = {len(cells(row)) for row in table.splitlines()}
        assert len(widths) == 1, table
    assert text == render("markdown", result, catalog)


def test_markdown_escapes_what_would_break_the_table_or_inject_html(result, catalog):
    text = render("markdown", result, catalog)
    [row] = [line for line in text.splitlines() if "USM0103" in line and line.startswith("|")]
    message = cells(row)[3]
    assert "\\| \\`ticket\\` &lt;b&gt;urgent&lt;/b&gt;, 100% sure: yes" in message
    assert "<b>" not in text
    assert escape("a\nb | c_d *e* [f](g) <h> & i") == r"a b \| c\_d \*e\* \[f\](g) &lt;h&gt; &amp; i"


def test_markdown_lists_suppressed_findings_and_notes_completeness(suppressed, catalog):
    text = render("markdown", suppressed, catalog)
    section = text.split("### Suppressed (2)\n\n")[1]
    rows = [cells(line) for line in section.splitlines() if line.startswith("| report-input")]
    assert rows == [["report-input/operate.yaml:20", "USM0101 who-how-key", "inline", REASON],
                    ["report-input/recover.yaml:24", "USM0404 condition-text", "waiver", WAIVED]]
    findings = text.split("### Findings (4)\n\n")[1].split("\n\n")[0]
    assert "USM0404" not in findings and "USM0101" not in findings
    complete = render("markdown", dataclasses.replace(suppressed, complete=True), catalog)
    assert "Result incomplete" not in complete


# --- every format: snapshots ----------------------------------------------------------------


def test_the_machine_formats_are_registered():
    assert {"text", "json", "sarif", "junit", "github", "markdown"} <= set(FORMATS)


# --- gitlab --------------------------------------------------------------------------------

# The fields GitLab documents for a Code Quality report (docs.gitlab.com, "Code Quality":
# implement a custom tool): an array of issues, each with these, severity one of five values.
GITLAB_ISSUE = {
    "type": "object",
    "required": ["description", "check_name", "fingerprint", "severity", "location"],
    "properties": {
        "description": {"type": "string", "minLength": 1},
        "check_name": {"type": "string", "minLength": 1},
        "fingerprint": {"type": "string", "minLength": 1},
        "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
        "location": {
            "type": "object", "required": ["path", "lines"],
            "properties": {"path": {"type": "string"},
                           "lines": {"type": "object", "required": ["begin"],
                                     "properties": {"begin": {"type": "integer", "minimum": 1}}}},
        },
    },
}


def test_gitlab_code_quality_has_the_documented_fields_and_counts_what_the_gate_counts(suppressed, catalog):
    import jsonschema

    issues = json.loads(render("gitlab", suppressed, catalog))
    jsonschema.validate(issues, {"type": "array", "items": GITLAB_ISSUE})
    assert len(issues) == len(suppressed.active)  # accepted findings are left out, as the gate does
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    by_rule = {i["check_name"]: i for i in issues}
    assert by_rule["USM0001"]["location"] == {"path": "report-input/broken.yaml", "lines": {"begin": 5}}
    assert {i["severity"] for i in issues} <= {"major", "minor", "critical", "info"}
    assert by_rule["USM0103"]["severity"] == "minor" and by_rule["USM0401"]["severity"] == "major"


def test_sarif_links_only_to_the_published_docs_never_to_a_path_of_this_machine(result, catalog):
    """Code scanning shows a SARIF file far from where it was made: a file:// link is dead there."""
    assert "file://" not in json.dumps(sarif(result, catalog)["runs"][0]["tool"])
    driver = sarif(result, catalog)["runs"][0]["tool"]["driver"]
    assert "informationUri" not in driver and not any("helpUri" in rule for rule in driver["rules"])
    published = sarif(result, catalog, docs_url="https://example.org/usm/docs/")["runs"][0]["tool"]["driver"]
    assert published["informationUri"] == "https://example.org/usm/docs/rules/README.md"
    for rule in published["rules"]:
        assert rule["helpUri"] == f"https://example.org/usm/docs/rules/{rule['id']}.md"
        assert (shipped("docs") / "rules" / f"{rule['id']}.md").is_file()


def mask(text: str) -> str:
    """Hide what changes between machines and releases: the version, the working folder and
    the rule pack's hash (it changes with every rule edit; test_report checks its value)."""
    from usm_rules.model.rules import rule_hash

    digest = rule_hash(usm_rules.load_catalog())
    text = text.replace(digest, "RULEHASH").replace(digest[:12], "RULEHASH")
    text = text.replace(FIXTURES.as_uri(), "file:///WORKDIR").replace(str(FIXTURES), "WORKDIR")
    text = text.replace(shipped("docs").resolve().as_uri(), "file:///DOCS")
    return re.sub(rf"(?<![\d.]){re.escape(usm_rules.__version__)}(?![\d.])", "VERSION", text)


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_snapshot(name, result, catalog, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # the html report states its time
    monkeypatch.chdir(FIXTURES)  # and quotes its inputs, read again by their paths
    path = SNAPSHOTS / f"{name}.txt"
    output = mask(render(name, result, catalog))
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(output, encoding="utf-8", newline="\n")
        return
    assert path.exists(), f"no snapshot for '{name}': run with UPDATE_SNAPSHOTS=1 and review {path}"
    with open(path, encoding="utf-8", newline="") as snapshot:  # as written: csv ends its lines with CRLF
        expected = snapshot.read()
    assert output == expected, f"run with UPDATE_SNAPSHOTS=1 if the change to {name} is intended"


@pytest.mark.parametrize("name", ["sarif", "junit", "github", "markdown"])
def test_the_command_line_offers_each_format(name, result, catalog, tmp_path):
    from click.testing import CliRunner

    from usm_rules.cli import cli

    written = tmp_path / f"report.{name}"
    with working_folder(FIXTURES):
        outcome = CliRunner().invoke(cli, ["check", "--format", name, "--output", str(written), "report-input"])
    assert outcome.exit_code == 1, outcome.output
    assert written.read_text(encoding="utf-8") == render(name, result, catalog)
