"""No silent passes, words that say what is known, and links that work anywhere.

Each test pins one way a gate turned green when it should not, or a word that contradicted
itself, as a new user met them.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from conftest import CLEAN, CLEAN_MODEL, CLEAN_RECOVER

from usm_rules.cli import cli


def run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(cli, ["--debug", *args], input=stdin)


def findings(result) -> list[tuple[str, int, int, str]]:
    return [(f["file"], f["line"], f["column"], f["rule"]) for f in json.loads(result.stdout)["findings"]]


# --- 1. a process file without apiVersion is a usm document with an error, never a skip ------------

NO_API_VERSION = """\
kind: Process
metadata:
  name: handle-calls
  title: Call Handling
spec:
  activities:
    - id: a1
      name: Log the call
      performer: Service desk
"""


@pytest.mark.parametrize("text", [NO_API_VERSION, NO_API_VERSION.replace("kind: Process\n", "")],
                         ids=["a usm kind", "the usm shape"])
def test_a_document_that_says_it_is_ours_without_an_apiversion_fails_the_gate(tree, text):
    tree({"model.yaml": CLEAN, "calls.yaml": text})
    result = run("check", "--no-config", "-f", "json", ".")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert ("calls.yaml", 1, 1, "USM0006") in findings(result)
    message = next(f["message"] for f in data["findings"] if f["file"] == "calls.yaml")
    assert "add `apiVersion: usm/v1`" in message
    assert {f["path"]: f["status"] for f in data["files"]}["calls.yaml"] == "error"
    assert data["maturity"]["complete"] is False


def test_other_tools_yaml_is_still_skipped_and_every_skipped_file_is_named_in_the_summary(tree):
    others = {f"k8s-{i}.yaml": "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: []}\n"
              for i in range(4)}
    tree({"model.yaml": CLEAN, "mkdocs.yml": "site_name: Docs\nnav: [a]\n", **others})
    result = run("check", "--no-config", ".")
    assert result.exit_code == 0
    summary = result.stdout.splitlines()[-2]
    assert "5 files skipped: not usm documents (k8s-0.yaml, k8s-1.yaml, k8s-2.yaml and 2 more)" in summary


# --- 2. a placeholder reason is no reason -----------------------------------------------------------

PERFORMER = CLEAN.replace("      next: rec-2\n", "      next: rec-2\n      performer: Service desk\n")


@pytest.mark.parametrize("reason", ["TODO: why this is accepted", "FIXME", "tbd", "why", "reason", "-", "later"])
def test_a_placeholder_reason_counts_as_none_inline_and_the_report_says_so(tree, reason):
    tree({"model.yaml": PERFORMER.replace("performer: Service desk",
                                          f"performer: Service desk  # usm-rules: disable=USM0101 -- {reason}")})
    result = run("check", "--no-config", "-f", "json", ".")
    data = json.loads(result.stdout)
    warned = [f for f in data["findings"] if f["rule"] == "USM0011"]
    assert len(warned) == 1 and "placeholder" in warned[0]["message"]
    accepted = next(f for f in data["findings"] if f["rule"] == "USM0101")["suppressed"]
    assert accepted["reason"].startswith("(no reason given")
    report = run("report", "--no-config", "-f", "markdown", "-o", "-", ".").stdout
    assert f"(no reason given: '{reason}' is a placeholder)" in report


def test_a_real_reason_is_taken_as_given(tree):
    tree({"model.yaml": PERFORMER.replace(
        "performer: Service desk", "performer: Service desk  # usm-rules: disable=USM0101 -- kept until Q3")})
    data = json.loads(run("check", "--no-config", "-f", "json", ".").stdout)
    assert not any(f["rule"] == "USM0011" for f in data["findings"])
    assert next(f for f in data["findings"] if f["rule"] == "USM0101")["suppressed"]["reason"] == "kept until Q3"


def test_a_placeholder_reason_of_a_waiver_and_of_a_baseline_counts_as_none(tree):
    tree({"model.yaml": PERFORMER, ".usm-rules.yaml": """\
        waivers:
          - rule: USM0101
            subject: Process/recover/activities/rec-1
            reason: TBD
            approver: J. Auditor
            expires: 2099-01-01
        """})
    data = json.loads(run("check", "-f", "json", ".").stdout)
    assert [(f["file"], f["line"], f["rule"]) for f in data["findings"] if f["rule"] == "USM0011"] == [
        (".usm-rules.yaml", 2, "USM0011")]
    tree({".usm-rules.yaml": "fail-on: error\n"})
    assert run("baseline", "create", "--reason", "todo", "-o", "b.json", ".").exit_code == 0
    with_baseline = json.loads(run("check", "--baseline", "b.json", "-f", "json", ".").stdout)
    [warned] = [f for f in with_baseline["findings"] if f["rule"] == "USM0011"]
    assert warned["file"] == "b.json" and "placeholder" in warned["message"]
    assert run("baseline", "create", "--reason", "adopted on the legacy model", "-o", "c.json", ".").exit_code == 0
    kept = json.loads(run("check", "--baseline", "c.json", "-f", "json", ".").stdout)
    assert next(f for f in kept["findings"] if f["rule"] == "USM0101")["suppressed"]["reason"] == \
        "adopted on the legacy model (accepted in c.json)"


# --- 8. words that say what is known -------------------------------------------------------------


@pytest.mark.parametrize(("files", "stdin", "readable"), [
    ({"empty.yaml": ""}, None, "The readable files do not limit it"),
    ({"typo.yaml": CLEAN_RECOVER.replace("kind: Process", "kind: Proces")}, None, "The readable files do not limit it"),
    ({}, "", "The readable files do not limit it"),
    ({"model.yaml": CLEAN_MODEL.replace("[recover]", "[recover, loose]"), "recover.yaml": CLEAN_RECOVER,
      "broken.yaml": "kind: Process\nmetadata: {name: x\n"}, None,
     "The readable files allow at most 2 (system-driven), held by USM0703 (requirement 7)"),
], ids=["an empty file", "a mistyped kind", "nothing on stdin", "an unreadable file beside a limited model"])
def test_an_incomplete_result_states_no_ceiling_only_what_the_readable_files_allow(tree, files, stdin, readable):
    tree({**files, ".usm-rules.yaml": "ignore: [R10]\n"})
    result = run("check", "-" if stdin is not None else ".", stdin=stdin)
    assert result.exit_code == 1
    verdict = result.stdout.splitlines()[-1]
    assert verdict.startswith("No ceiling: 1 file could not be read or understood. ") and readable in verdict
    assert "at most 5" not in result.stdout and "not determined" not in result.stdout


def test_an_incomplete_run_with_a_baseline_says_what_the_design_allows(tree):
    tree({"model.yaml": PERFORMER})
    assert run("baseline", "create", "--no-config", "-o", "b.json", ".").exit_code == 0
    tree({"broken.yaml": "kind: Process\nmetadata: {name: x\n"})
    verdict = run("check", "--no-config", "--baseline", "b.json", ".").stdout.splitlines()[-1]
    assert verdict.startswith("No ceiling: 1 file could not be read or understood. The readable files allow at "
                              "most 5 with 1 accepted finding; the design allows 3 (service-driven)")


def test_the_report_heading_says_there_is_no_ceiling_and_the_caveat_comes_with_it(tree):
    tree({"model.yaml": CLEAN, "broken.yaml": "kind: Process\nmetadata: {name: x\n"})
    markdown = run("report", "--no-config", "-f", "markdown", "-o", "-", ".").stdout
    heading = markdown.index("## No ceiling: 1 file could not be read or understood")
    caveat = markdown.index("**⚠ Incomplete: not every input could be read and understood.**")
    assert heading < caveat < markdown.index("| errors | warnings |") and "at most 5" not in markdown


def test_explain_of_a_requirement_lists_its_rules_like_select():
    explained = run("explain", "R1")
    assert explained.exit_code == 0
    listed = [line.split()[0] for line in explained.stdout.splitlines() if line.startswith("USM")]
    assert listed == ["USM0101", "USM0102", "USM0103", "USM0104", "USM0105", "USM0106"]
    assert explained.stdout.startswith("Requirement 1: Describes what happens in sequence, not who or how")
