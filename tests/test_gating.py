"""CI gating: configuration, inline suppressions, waivers, baselines and every gate combination."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CLEAN_MODEL, CLEAN_RECOVER, check, dedent

from usm_rules.cli import cli
from usm_rules.read.config import load_config

MODEL, RECOVER = CLEAN_MODEL, CLEAN_RECOVER
PERFORMER = RECOVER.replace("      name: Register the failure\n",
                            "      name: Register the failure\n      performer: Service desk\n")


def cli_run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_clean_input_has_no_finding(tree):
    tree({"model.yaml": MODEL, "recover.yaml": RECOVER})
    assert check().findings == ()


def test_inline_suppression_on_the_line_keeps_the_finding_visible(tree):
    tree({"model.yaml": MODEL, "recover.yaml": PERFORMER.replace(
        "performer: Service desk", "performer: Service desk  # usm-rules: disable=USM0101 -- kept until Q3")})
    result = check()
    [finding] = result.findings
    assert (finding.rule, finding.line, finding.suppressed.kind, finding.suppressed.reason) == (
        "USM0101", 14, "inline", "kept until Q3")
    assert result.count(finding.severity) == 0 and result.maturity.ceiling == 5
    assert cli_run("check", ".").exit_code == 0
    data = json.loads(cli_run("check", "--format", "json", ".").stdout)
    assert data["findings"][0]["suppressed"] == {"kind": "inline", "reason": "kept until Q3"}
    assert data["summary"]["suppressed"] == 1 and data["summary"]["errors"] == 0


def test_suppression_on_the_line_above_by_rule_name(tree):
    tree({"model.yaml": MODEL, "recover.yaml": PERFORMER.replace(
        "      performer: Service desk",
        "      # usm-rules: disable=who-how-key -- migration\n      performer: Service desk")})
    [finding] = check().findings
    assert finding.rule == "USM0101" and finding.suppressed is not None


def test_file_wide_suppression(tree):
    tree({"model.yaml": MODEL, "recover.yaml": "# usm-rules: disable-file=USM0101 -- legacy file\n" + PERFORMER})
    [finding] = check().findings
    assert finding.suppressed.kind == "file"


def test_a_whole_requirement_for_a_whole_file_needs_a_waiver(tree):
    tree({"model.yaml": MODEL, "recover.yaml": "# usm-rules: disable-file=R1,USM0404 -- legacy file\n" + PERFORMER})
    found = {(f.rule, f.line, f.counts) for f in check().findings}
    assert ("USM0016", 1, True) in found and ("USM0101", 15, True) in found  # refused: still counting
    result = cli_run("check", ".")
    assert result.exit_code == 1 and "refused: accepting a whole requirement for a whole file needs a waiver" \
        in result.stdout


def test_suppression_without_reason_and_unused_suppression_are_reported(tree):
    tree({"model.yaml": MODEL, "recover.yaml": PERFORMER.replace(
        "performer: Service desk", "performer: Service desk  # usm-rules: disable=USM0101").replace(
        "      name: Restore the service",
        "      name: Restore the service  # usm-rules: disable=USM0404 -- moved to Change in Q3")})
    result = check()
    assert [(f.rule, f.line, f.column, f.counts) for f in result.findings] == [
        ("USM0101", 14, 7, False), ("USM0011", 14, 32, True), ("USM0012", 17, 34, True)]


def test_a_suppression_of_an_unknown_rule_is_reported(tree):
    tree({"model.yaml": MODEL, "recover.yaml": RECOVER.replace(
        "  trigger: incident", "  trigger: incident  # usm-rules: disable=USM9999 -- a rule of the old pack")})
    [finding] = check().findings
    assert finding.rule == "USM0012" and "'USM9999', which is no rule" in finding.message


def waiver_config(expires: str, subject: str = "Process/recover/activities/rec-1") -> str:
    return dedent(f"""
        waivers:
          - rule: USM0101
            subject: {subject}
            reason: The desk stays named until the reorganisation.
            approver: J. Auditor
            expires: {expires}
        """)


def test_waiver_suppresses_until_it_expires(tree):
    today = dt.date(2026, 11, 22)
    tree({"model.yaml": MODEL, "recover.yaml": PERFORMER, ".usm-rules.yaml": waiver_config("2026-11-22")})
    config = load_config(__import__("pathlib").Path(".usm-rules.yaml"))
    [finding] = check(config=config, today=today).findings
    assert finding.suppressed.to_dict() == {"kind": "waiver",
                                            "reason": "The desk stays named until the reorganisation.",
                                            "approver": "J. Auditor", "expires": "2026-11-22"}
    expired = check(config=config, today=today + dt.timedelta(days=1))
    assert [(f.rule, f.file, f.line, f.counts) for f in expired.findings] == [
        ("USM0013", ".usm-rules.yaml", 2, True), ("USM0101", "recover.yaml", 14, True)]
    assert "expired on 2026-11-22" in expired.findings[0].message


def test_waiver_matching_nothing_is_reported_and_globs_match_subjects(tree):
    tree({"model.yaml": MODEL, "recover.yaml": RECOVER, ".usm-rules.yaml": waiver_config("2099-01-01")})
    config = load_config(__import__("pathlib").Path(".usm-rules.yaml"))
    assert [(f.rule, f.line) for f in check(config=config).findings] == [("USM0014", 2)]
    tree({"recover.yaml": PERFORMER, ".usm-rules.yaml": waiver_config("2099-01-01", "Process/recover/*")})
    config = load_config(__import__("pathlib").Path(".usm-rules.yaml"))
    assert [f.suppressed.kind for f in check(config=config).findings] == ["waiver"]


def test_configuration_is_found_by_walking_up_and_applied(tree):
    tree({"repo/.usm-rules.yaml": dedent("""
        select: [R1, R7]
        severity: {USM0101: warning}
        ceilings:
          mapping: ACME assessor mapping 2026
          overrides: {R7: 3}
        exclude: [drafts]
        fail-on: warning
        """), "repo/processes/recover.yaml": PERFORMER.replace("  model: usm\n", ""),
          "repo/drafts/broken.yaml": "not: [valid\n"})
    result = cli_run("check", "--format", "json", "repo/processes")
    data = json.loads(result.stdout)
    assert [(f["rule"], f["severity"], f["ceiling"]) for f in data["findings"]] == [
        ("USM0701", "error", 3), ("USM0101", "warning", 3)]
    assert data["maturity"]["mapping"] == f"ACME assessor mapping 2026 ({'repo/.usm-rules.yaml'})" or \
        data["maturity"]["mapping"].startswith("ACME assessor mapping 2026 (")
    assert result.exit_code == 1
    text = cli_run("check", "repo")
    assert "ceiling mapping: ACME assessor mapping 2026" in text.stdout
    files = [f["path"] for f in json.loads(cli_run("check", "-f", "json", "repo").stdout)["files"]]
    assert files == ["repo/processes/recover.yaml"]  # drafts/ is excluded by the configuration
    assert cli_run("check", "--no-config", "--select", "R1", "repo/processes").stdout.startswith(
        "repo/processes/recover.yaml:13:7: error USM0101")


@pytest.mark.parametrize(("config", "key", "allowed"), [
    ("fail-on: sometimes\n", "fail-on", "error, warning, info, never"),
    ("min-maturity: 7\n", "min-maturity", "7"),
    ("selct: [R1]\n", "document", "unknown key 'selct'"),
    ("severity: {USM0101: fatal}\n", "severity.USM0101", "error, warning, info"),
    ("severity: {USM9999: error}\n", "severity.USM9999", "names no rule"),
    ("select: [R11]\n", "select", "'R11' is neither"),
    ("waivers: [{rule: USM0101, subject: x, reason: y, approver: z, expires: 2026-13-45}]\n",
     "waivers[0].expires", "not a date"),
    ("waivers: [{rule: USM0101, subject: x}]\n", "waivers[0]", "'reason' is a required property"),
    ("waivers: [{rule: USM9999, subject: x, reason: y, approver: z, expires: 2030-01-01}]\n",
     "waivers[0].rule", "names no rule"),
])
def test_bad_configuration_is_exit_2_naming_file_key_and_allowed_values(tree, config, key, allowed):
    tree({".usm-rules.yaml": config, "recover.yaml": RECOVER})
    result = cli_run("check", ".")
    assert result.exit_code == 2, result.output
    [line] = result.stderr.strip().splitlines()
    assert key in line and allowed in line and ".usm-rules.yaml" in line


def test_baseline_fails_only_on_new_findings_and_survives_moved_lines(tree):
    tree({"model.yaml": MODEL, "recover.yaml": PERFORMER})
    created = cli_run("baseline", "create", "-o", "baseline.json", ".")
    assert created.exit_code == 0 and "baseline of 1 finding(s)" in created.stderr
    assert cli_run("check", ".").exit_code == 1
    assert cli_run("check", "--baseline", "baseline.json", ".").exit_code == 0
    # reformatting and moving lines keeps the match: the fingerprint is rule + subject
    tree({"recover.yaml": "# a comment that moves every line\n\n" + PERFORMER.replace(
        "      performer: Service desk\n", "").replace(
        "      next: rec-2\n", "      next: rec-2\n      performer: Desk\n")})
    assert cli_run("check", "--baseline", "baseline.json", ".").exit_code == 0
    # a new finding fails
    tree({"recover.yaml": PERFORMER.replace("      name: Restore the service\n",
                                            "      name: Restore the service\n      tool: ServiceNow\n")})
    result = cli_run("check", "--baseline", "baseline.json", ".")
    assert result.exit_code == 1 and "recover.yaml:18:7: error USM0101" in result.stdout
    # fixing the baselined finding is reported, so the baseline can shrink
    tree({"recover.yaml": RECOVER})
    fixed = cli_run("check", "--baseline", "baseline.json", ".")
    assert fixed.exit_code == 0 and "1 baseline finding no longer occur" in fixed.stdout
    again = json.loads(cli_run("check", "-f", "json", "--baseline", "baseline.json", ".").stdout)
    assert len(again["baseline"]["fixed"]) == 1


def test_a_broken_baseline_is_exit_2(tree):
    tree({"recover.yaml": RECOVER, "baseline.json": "{not json"})
    result = cli_run("check", "--baseline", "baseline.json", ".")
    assert result.exit_code == 2
    assert result.stderr.startswith("usm-rules: error: baseline.json: not a usm-rules baseline")


# (input, --fail-on, --min-maturity, expected exit code)
GATES = [
    (kind, fail_on, minimum)
    for kind in ("clean", "warning", "error")
    for fail_on in ("error", "warning", "info", "never")
    for minimum in (None, 3, 4)
]


@pytest.mark.parametrize(("kind", "fail_on", "minimum"), GATES)
def test_every_gate_combination(tree, kind, fail_on, minimum):
    text = {"clean": RECOVER, "warning": RECOVER.replace("Register the failure", "Register the failure manually"),
            "error": PERFORMER}[kind]
    tree({"model.yaml": MODEL, "recover.yaml": text})
    args = ["check", "--fail-on", fail_on] + (["--min-maturity", str(minimum)] if minimum else []) + ["."]
    severity_fails = {"clean": False, "warning": fail_on in ("warning", "info"),
                      "error": fail_on != "never"}[kind]
    ceiling = 3 if kind == "error" else 5
    maturity_fails = minimum is not None and ceiling < minimum
    assert cli_run(*args).exit_code == (1 if severity_fails or maturity_fails else 0)


def test_unreadable_input_fails_whatever_rules_are_selected(tree):
    tree({".usm-rules.yaml": "select: [R1, R7]\n", "model.yaml": MODEL, "recover.yaml": RECOVER,
          "broken.yaml": "apiVersion: usm/v1\nkind: Process\nmetadata: {name: x\n",
          "typo.yaml": RECOVER.replace("name: recover,", "name: typo,").replace("activities:", "activitis:")})
    result = cli_run("check", ".")
    assert result.exit_code == 1
    assert [line.split(": ")[1].split()[1] for line in result.stdout.splitlines()[:2]] == ["USM0001", "USM0006"]
    refused = cli_run("check", "--ignore", "USM0001", ".")
    assert refused.exit_code == 2 and "cannot be ignored" in refused.stderr


def test_min_maturity_is_not_confirmed_on_incomplete_input(tree):
    tree({"bad.yaml": "a: [\n"})
    result = cli_run("check", "--fail-on", "never", "--min-maturity", "5", ".")
    assert result.exit_code == 1 and "the result is incomplete" in result.stderr
    assert "--min-maturity 5 cannot be confirmed" in result.stderr
    assert cli_run("check", "--fail-on", "never", ".").exit_code == 1  # incomplete: always fails


def test_waivers_in_a_configuration_outside_the_working_folder(tree, tmp_path):
    outside = tmp_path.parent / f"{tmp_path.name}-config"
    outside.mkdir()
    (outside / "policy.yaml").write_text(waiver_config("2099-01-01"))
    tree({"model.yaml": MODEL, "recover.yaml": PERFORMER})
    result = cli_run("check", "--config", str(outside / "policy.yaml"), "--format", "json", ".")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["findings"][0]["suppressed"]["kind"] == "waiver"


def test_suppression_text_inside_strings_is_not_a_comment(tree):
    tree({"model.yaml": MODEL, "recover.yaml": PERFORMER.replace(
        "  purpose: Restore the agreed service after a failure.\n",
        "  purpose: |\n    Restore the service.\n    # usm-rules: disable-file=R1 -- not a comment\n").replace(
        "name: Restore the service", "name: 'Restore # usm-rules: disable=USM0101 -- fake'")})
    assert [(f.rule, f.counts) for f in check().findings] == [("USM0101", True)]


def test_an_ignored_rule_does_not_make_its_suppression_unused(tree):
    tree({"model.yaml": MODEL, "recover.yaml": PERFORMER.replace(
        "performer: Service desk", "performer: Service desk  # usm-rules: disable=USM0101 -- kept until Q3")})
    assert check(ignore=["USM0101"]).findings == ()


def test_baseline_of_a_file_level_problem_survives_moved_lines(tree):
    tagged = RECOVER.replace("  trigger: incident\n", "  trigger: !custom incident\n")  # USM0008, a warning
    tree({"model.yaml": MODEL, "recover.yaml": tagged})
    assert cli_run("baseline", "create", "-o", "baseline.json", ".").exit_code == 0
    tree({"recover.yaml": "# moved\n\n" + tagged})
    result = cli_run("check", "--fail-on", "warning", "--baseline", "baseline.json", ".")
    assert result.exit_code == 0 and "no longer occur" not in result.stdout


def test_unreadable_input_can_never_be_accepted(tree):
    """Requirement-0 errors (unparsable, schema-invalid input) cannot be baselined, waived or suppressed."""
    duplicate = RECOVER.replace("  trigger: incident\n", "  trigger: incident\n  purpose: Again.  "
                                "# usm-rules: disable=USM0002 -- tolerated\n")
    tree({"model.yaml": MODEL, "recover.yaml": duplicate, "bad.yaml": "kind: Process\nmetadata: {name: x\n"})
    assert cli_run("baseline", "create", "-o", "baseline.json", ".").exit_code == 0
    baseline = json.loads(Path("baseline.json").read_text(encoding="utf-8"))
    assert {entry["rule"] for entry in baseline["findings"]} & {"USM0001", "USM0002"} == set()
    result = cli_run("check", "--baseline", "baseline.json", "--format", "json", ".")
    data = json.loads(result.stdout)
    found = {f["rule"]: f["suppressed"] for f in data["findings"]}
    assert found["USM0001"] is None and found["USM0002"] is None  # still counting
    assert result.exit_code == 1 and data["maturity"]["complete"] is False


def test_include_narrows_what_is_read_and_exclude_still_applies(tree):
    tree({".usm-rules.yaml": "include: [processes/]\nexclude: ['*.draft.yaml']\n",
          "processes/model.yaml": MODEL, "processes/recover.yaml": RECOVER,
          "processes/new.draft.yaml": "kind: Process\n", "mkdocs.yml": "site_name: Docs\n",
          "other/loose.yaml": RECOVER.replace("name: recover", "name: loose")})
    result = cli_run("check", "--format", "json", ".")
    assert [f["path"] for f in json.loads(result.stdout)["files"]] == ["processes/model.yaml", "processes/recover.yaml"]
    assert result.exit_code == 0


def test_the_design_ceiling_is_stated_beside_the_accepted_one(tree):
    tree({"model.yaml": MODEL, "recover.yaml": PERFORMER})
    assert cli_run("baseline", "create", "-o", "baseline.json", ".").exit_code == 0
    result = cli_run("check", "--baseline", "baseline.json", ".")
    assert result.exit_code == 0
    assert "Maturity ceiling 5 (business-driven) with 1 accepted finding; the design allows 3 (service-driven), " \
           "held by USM0101 (requirement 1)" in result.stdout
    data = json.loads(cli_run("check", "--baseline", "baseline.json", "--format", "json", ".").stdout)["maturity"]
    assert (data["ceiling"], data["design"], data["accepted"], data["complete"]) == (5, 3, 1, True)


def test_each_process_ceiling_comes_from_its_own_findings_whatever_the_names():
    # the per-process ceilings are found in one pass; they must equal Finding.is_about's answer,
    # names with a '/' and names that prefix one another included
    from usm_rules.model.findings import Finding, Severity
    from usm_rules.verdict.ceiling import maturity

    processes = ["recover", "recover-it", "a/b", "a"]
    subjects = ["Process/recover", "Process/recover/activities/x", "Process/recover-it", "Process/a/b/activities/y",
                "Process/a", "Process/ab", "Document/recover", ""]

    def finding(i, subject, severity):
        return Finding("f.yaml", i, 1, "USM0101", "n", 1, severity, "exact", 1 + i % 4, "m", subject)

    found = [finding(i, s, severity) for i, s in enumerate(subjects) for severity in (Severity.ERROR, Severity.WARNING)]
    result = maturity(found, processes)
    expected = {name: min([f.ceiling for f in found if f.is_about(name) and f.severity is Severity.ERROR] or [5])
                for name in processes}
    assert {name: ceiling for name, ceiling, _ in result.processes} == expected
    likely = {name: min([f.ceiling for f in found if f.is_about(name)] or [5]) for name in processes}
    assert dict(result.likely_processes) == likely
