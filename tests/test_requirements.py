"""The ten requirements on realistic files: a catalogue of practices, and one defect at a time.

The reference model in ``sample_processes/reference`` is clean. Each case below breaks it in
one place, the way organisations do, and the run must report that requirement's rule with
its ceiling, and nothing else at error.
"""

from __future__ import annotations

import shutil

import pytest
from conftest import SAMPLES, check

import usm_rules
from usm_rules.model.findings import Severity


def test_itil_catalogue_declared_as_processes(monkeypatch):
    monkeypatch.chdir(SAMPLES / "violations")
    result = usm_rules.check_paths(["itil-catalogue"])
    failing = {f.requirement for f in result.findings if f.severity is Severity.ERROR}
    assert {1, 2, 4, 5, 7, 9} <= failing
    assert result.maturity.ceiling == 2 and result.maturity.level == "system-driven"
    assert [limit.rule for limit in result.maturity.limited_by] == ["USM0701", "USM1001"]
    assert "USM0102" in result.maturity.at_risk  # warnings are at risk, never the ceiling


CASES = [
    # (requirement, file, text, replacement, rule, ceiling of the model)
    (1, "recover.yaml", "      name: Register the incident\n",
     "      name: Register the incident\n      performer: Service desk\n", "USM0101", 3),
    (2, "recover.yaml", "  title: Recover\n", "  title: Incident Management\n", "USM0201", 3),
    (3, "recover.yaml", "  trigger: incident\n", "", "USM0301", 3),
    (4, "recover.yaml", "      name: Classify the incident\n",
     "      name: Classify the incident\n      condition: priority is P1\n", "USM0401", 3),
    (5, "recover.yaml", "outputRecipient: customer", "outputRecipient: provider", "USM0503", 3),
    (6, "recover.yaml", "      activities: [rec-3, rec-4]\n",
     "      activities: [rec-3, rec-4]\n      output: Diagnosis report\n", "USM0601", 3),
    (7, "model.yaml", "    - recover\n", "", "USM0701", 2),
    (8, "practice-incident.yaml", "mapsTo: rec-6", "mapsTo: rec-60", "USM0802", 3),
    (9, "operate.yaml", "name: Verify entitlement", "name: Register the incident", "USM0902", 3),
    (10, "recover.yaml", "  control:\n    manager: Recover process manager\n", "  x-control:\n    manager: x\n",
     "USM1001", 2),
]


@pytest.mark.parametrize(("requirement", "file", "text", "replacement", "rule", "ceiling"), CASES,
                         ids=[f"R{c[0]}-{c[4]}" for c in CASES])
def test_reference_model_with_one_defect(tmp_path, monkeypatch, requirement, file, text, replacement, rule,
                                         ceiling):
    model = tmp_path / "reference"
    shutil.copytree(SAMPLES / "reference", model)
    path = model / file
    original = path.read_text(encoding="utf-8")
    assert original.count(text) == 1, "the defect must apply to exactly one place"
    path.write_text(original.replace(text, replacement), encoding="utf-8")
    if rule == "USM1001":  # drop the whole control block: the process has no control at all
        lines = path.read_text(encoding="utf-8").split("  x-control:\n")[0]
        path.write_text(lines, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = usm_rules.check_paths(["reference"])
    errors = [f for f in result.findings if f.severity is Severity.ERROR]
    assert [(f.rule, f.requirement) for f in errors] == [(rule, requirement)]
    # a process outside the model is reported on the process; a repeated name on the later one
    reported = {"USM0701": "recover.yaml", "USM0902": "recover.yaml"}.get(rule, file)
    assert errors[0].file == f"reference/{reported}"
    assert result.maturity.ceiling == ceiling
    assert [limit.rule for limit in result.maturity.limited_by] == [rule]
    if errors[0].subject.startswith("Process/"):
        process = errors[0].subject.split("/")[1]
        own = {name: c for name, c, _ in result.maturity.processes}
        assert own[process] == ceiling
        assert all(c == 5 for name, c in own.items() if name != process)


@pytest.mark.parametrize(("file", "text", "replacement"), [
    ("model.yaml", "    - from: agree\n      to: change\n", "    - from: agree\n      too: change\n"),  # a typo
    ("recover.yaml", "  trigger: incident\n", "  trigger: outage\n"),  # a bad value in a process
])
def test_a_schema_error_does_not_make_what_refers_to_it_look_broken(tmp_path, monkeypatch, file, text, replacement):
    """An invalid document is left out of the rules, but what it declares still exists: the
    processes of a model with a typo are still in a model, the activities of a process with a
    bad trigger can still be mapped to."""
    model = tmp_path / "reference"
    shutil.copytree(SAMPLES / "reference", model)
    original = (model / file).read_text(encoding="utf-8")
    assert original.count(text) == 1
    (model / file).write_text(original.replace(text, replacement), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = usm_rules.check_paths(["reference"])
    assert {(f.file, f.rule) for f in result.findings} == {(f"reference/{file}", "USM0006")}
    assert not result.complete


def test_a_sub_process_repeating_its_process_output_is_not_its_own(tmp_path, monkeypatch):
    model = tmp_path / "reference"
    shutil.copytree(SAMPLES / "reference", model)
    path = model / "recover.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("      activities: [rec-3, rec-4]\n",
                                 "      activities: [rec-3, rec-4]\n      output: Restored service\n"
                                 "      trigger: incident\n"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert usm_rules.check_paths(["reference"]).findings == ()


@pytest.mark.parametrize(("control", "rule", "line", "column"), [
    ("  control:\n    manager: M\n    steering: [S]\n    informing: []\n", "USM1004", 13, 5),
    ("  control:\n    manager: M\n    steering: []\n    informing:\n      - {measure: A, purpose: accountability}\n"
     "      - {measure: B, purpose: improvement}\n", "USM1003", 12, 5),
    ("  control:\n    manager: M\n    steering: [S]\n", "USM1004", 10, 3),  # no informing key: its parent
])
def test_an_empty_list_is_reported_at_its_own_key(tree, control, rule, line, column):
    tree({"p.yaml": "apiVersion: usm/v1\nkind: Process\nmetadata: {name: recover}\nspec:\n  activities:\n"
                    "    - {id: rec-1, name: Register the failure}\n  purpose: P\n  output: Restored service\n"
                    "  outputRecipient: customer\n" + control})
    found = [(f.line, f.column) for f in check("p.yaml").findings if f.rule == rule]
    assert found == [(line, column)]
