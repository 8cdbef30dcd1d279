"""Rule packs: the shipped catalogue, custom packs, selection, and broken packs as exit 2."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner
from conftest import REPO, check, located

from usm_rules import load_catalog
from usm_rules.cli import cli
from usm_rules.engine.vocabulary import FACT_TYPES
from usm_rules.model.problems import BUILTIN
from usm_rules.output.rule_docs import rendered

CUSTOM = """\
id: ACME001
name: activity-without-description
requirement: 1
severity: info
confidence: exact
ceiling: 5
summary: Every activity carries a short description.
when:
  - fact: Activity
    as: a
    where:
      name: {ne: ""}
      process: recover
message: "activity '{a.name}' of {a.process}: our house style wants a description"
rationale: House style.
remediation: Add a description.
reference: ACME handbook
"""
PROCESS = """\
apiVersion: usm/v1
kind: Process
metadata: {name: recover}
spec:
  activities:
    - {id: rec-1, name: Register the failure}
"""


def test_ids_names_and_requirements_are_unique_and_complete():
    catalog = load_catalog()
    assert len({r.name for r in catalog}) == len(list(catalog))
    for rule in catalog:
        assert rule.rationale and rule.remediation and rule.reference and rule.summary
        assert rule.id.startswith(f"USM{rule.requirement:02d}")


def test_exact_and_strong_rules_are_errors_heuristic_ones_warnings():
    for rule in load_catalog():
        if rule.requirement:
            expected = "error" if rule.confidence in ("exact", "strong") else "warning"
            assert rule.severity.value == expected, rule.id


def test_a_custom_pack_adds_rules_without_python(tree):
    tree({"pack/acme.yaml": CUSTOM, "p.yaml": PROCESS})
    result = check("p.yaml", rules=["pack"])
    assert ("p.yaml", 6, 12, "ACME001") in located(result)
    finding = next(f for f in result.findings if f.rule == "ACME001")
    assert finding.message == "activity 'Register the failure' of recover: our house style wants a description"


@pytest.mark.parametrize(("change", "key", "problem"), [
    (("severity: info", "severity: fatal"), "severity", "is not one of error, warning, info"),
    (("severity: info\nconfidence: exact", "severity: error\nconfidence: heuristic"), "severity",
     "a heuristic rule is a warning or an info"),
    (("      process: recover", "      proces: recover"), "when[0].where.proces", "Activity has no attribute 'proces'"),
    (("'{a.name}'", "'{b.name}'"), "message", "'b' is not bound"),
    (("id: ACME001", "id: USM0101"), "id", "'USM0101' is already used by"),
    (("when:\n", "when: builtin\nx:\n"), "document", "unknown key 'x'"),
    (("ceiling: 5\n", ""), "ceiling", "needs a ceiling"),
])
def test_a_broken_pack_is_exit_2_naming_file_key_and_problem(tree, change, key, problem):
    tree({"pack/acme.yaml": CUSTOM.replace(*change), "p.yaml": PROCESS})
    result = CliRunner().invoke(cli, ["check", "--rules", "pack", "p.yaml"])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output
    assert lines[0].startswith(f"usm-rules: error: pack/acme.yaml: {key}")
    assert problem in lines[0]


def test_a_pack_that_is_not_yaml_is_exit_2(tree):
    tree({"pack/acme.yaml": "id: [unclosed\n", "p.yaml": PROCESS})
    result = CliRunner().invoke(cli, ["check", "--rules", "pack", "p.yaml"])
    assert result.exit_code == 2 and result.stderr.startswith("usm-rules: error: pack/acme.yaml: line 2")


def test_missing_pack_folder_is_exit_2(tree):
    tree({"p.yaml": PROCESS})
    result = CliRunner().invoke(cli, ["check", "--rules", "nowhere", "p.yaml"])
    assert result.exit_code == 2 and "nowhere: --rules: is not a folder" in result.stderr


def test_select_and_ignore_by_id_name_and_requirement(tree):
    tree({"p.yaml": PROCESS.replace("Register the failure", "Service desk registers the failure")})
    all_rules = {f.rule for f in check().findings}
    assert {"USM0106", "USM0301", "USM1001"} <= all_rules
    assert {f.rule for f in check(select=["R1"]).findings} == {"USM0106"}
    assert {f.rule for f in check(select=["role-as-actor,USM0301"]).findings} == {"USM0106", "USM0301"}
    assert "USM0106" not in {f.rule for f in check(ignore=["R1"]).findings}
    assert {f.rule for f in check(select=["R3"], ignore=["USM0302"]).findings} == {"USM0301"}


def test_generated_rule_docs_are_up_to_date():
    folder = REPO / "docs"
    expected = rendered(load_catalog())
    pages = [*folder.glob("rules/*.md"), folder / "facts.md"]
    on_disk = {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8") for p in pages if p.exists()}
    stale = sorted(name for name in expected.keys() | on_disk.keys() if expected.get(name) != on_disk.get(name))
    assert stale == [], "run `usm-rules docs docs` and commit the result"


def test_the_rule_schema_knows_exactly_the_vocabulary_s_fact_types():
    schema = json.loads((REPO / "schemas" / "rule.schema.json").read_text(encoding="utf-8"))
    assert schema["$defs"]["factType"]["enum"] == list(FACT_TYPES)


def test_every_built_in_rule_is_named_in_the_problems_module_and_nowhere_else():
    builtin = {rule.id for rule in load_catalog() if rule.builtin}
    assert builtin == BUILTIN
    literal = re.compile(r"[\"']USM00\d\d[\"']")
    for module in (REPO / "usm_rules").rglob("*.py"):
        if module != REPO / "usm_rules" / "model" / "problems.py":
            assert not literal.search(module.read_text(encoding="utf-8")), f"{module}: use the named constant"


def test_only_built_in_load_rules_can_make_a_result_incomplete(tree):
    tree({"pack/acme.yaml": CUSTOM.replace("ceiling: 5\n", "ceiling: 5\nincomplete: true\n"), "p.yaml": PROCESS})
    result = CliRunner().invoke(cli, ["check", "--no-config", "--rules", "pack", "p.yaml"])
    assert result.exit_code == 2
    assert "incomplete: only built-in requirement-0 rules can make a result incomplete" in result.stderr
