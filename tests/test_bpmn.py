"""BPMN 2.0 diagrams, read as usm/v1 processes: real exports of the OMG MIWG reference models
from three sources, positions at the elements' start tags, XML attacks refused, and convert."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import usm_rules
from usm_rules.api import prepare_catalog
from usm_rules.cli import cli
from usm_rules.read.config import Config

MIWG = Path(__file__).resolve().parent / "data" / "bpmn-miwg"  # CC BY 3.0: see its README and LICENSE.txt
SOURCES = {"reference": "{}.bpmn", "camunda-modeler": "{}-export.bpmn", "trisotech": "{}-export.bpmn"}
# models whose three exports carry the same information (the others lose performers or texts
# in some tool's export, which is the tool's doing, not the reading's)
SAME_IN_EVERY_SOURCE = ("A.1.0", "A.2.0", "A.3.0", "A.4.1", "C.1.0", "C.2.0", "C.4.0", "C.6.0", "C.7.0", "C.9.1")
CATALOG = prepare_catalog(Config())


def check(*paths: str):
    return usm_rules.check_paths(list(paths), catalog=CATALOG, config=Config())


def requirements(result) -> list[int]:
    return sorted({f.requirement for f in result.active if f.severity.value != "info"})


@pytest.mark.slow
def test_every_file_of_every_source_is_read_without_a_crash():
    files = sorted(MIWG.rglob("*.bpmn"))
    assert len(files) == 63
    done = subprocess.run([sys.executable, "-m", "usm_rules", "check", "--no-config", "--no-cache", "-f", "json",
                           *map(str, files)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr[-2000:]
    data = json.loads(done.stdout)
    assert {str(Path(f["path"]).resolve()) for f in data["files"]} == {str(f.resolve()) for f in files}
    assert all(f["status"] == "checked" for f in data["files"])
    assert not any(f["rule"] in ("USM0010", "USM0018") for f in data["findings"])


@pytest.mark.parametrize("model", SAME_IN_EVERY_SOURCE)
def test_the_same_model_from_three_tools_gives_the_same_requirements(model):
    found = {source: requirements(check(str(MIWG / source / pattern.format(model))))
             for source, pattern in SOURCES.items()}
    assert len(set(map(tuple, found.values()))) == 1, found


def located(result, *rules: str) -> list[tuple[int, int, str]]:
    return sorted((f.line, f.column, f.rule) for f in result.active if f.rule in rules)


def test_c_1_0_lanes_assignees_gateways_and_conditional_flows_at_their_elements():
    result = check(str(MIWG / "reference" / "C.1.0.bpmn"))
    lines = (MIWG / "reference" / "C.1.0.bpmn").read_text(encoding="utf-8").splitlines()
    for line, column, rule in located(result, "USM0101", "USM0401"):
        tag = lines[line - 1][column - 1:]
        assert tag.startswith(("<lane ", "<potentialOwner ", "<userTask ", "<serviceTask ", "<exclusiveGateway ",
                               "<eventBasedGateway ", "<sequenceFlow ")), (line, column, rule, tag[:40])
    who = {(f.line, f.message.split("'")[3]) for f in result.active if f.rule == "USM0101"}
    assert (373, "performer") in who and (432, "role") in who  # the Approver lane, a potentialOwner
    assert any(f.line == 570 and "'tool'" in f.message for f in result.active)  # a service task's class
    gateways = [(f.line, f.column) for f in result.active if f.rule == "USM0401" and "'gateway'" in f.message]
    assert (436, 5) in gateways and (500, 5) in gateways  # "Invoice approved?", "Review successful?"
    conditions = [f.line for f in result.active if f.rule == "USM0401" and "'condition'" in f.message]
    assert lines[conditions[0] - 1].lstrip().startswith("<sequenceFlow ")
    assert any(f.rule == "USM0403" for f in result.active)  # the review loops back to the approval
    [model] = [f for f in result.active if f.rule == "USM0708"]  # once for the file, not per process
    assert "2 processes" in model.message and not any(f.rule == "USM0701" for f in result.active)


@pytest.mark.parametrize(("model", "expected"), [
    ("A.1.0", [2, 3, 5, 7, 10]),  # a sequence of plain tasks: names, counting, purpose, model, control
    ("A.2.0", [2, 3, 4, 5, 7, 10]),  # an exclusive split: a practical condition
    ("A.4.1", [1, 2, 3, 5, 7, 10]),  # lanes: who
    ("C.1.0", [1, 2, 3, 4, 5, 7, 9, 10]),  # lanes, assignees, gateways, conditions, a repeated activity
    ("C.2.0", [1, 2, 3, 4, 5, 7, 10]),
    ("C.7.0", [1, 2, 3, 4, 5, 7, 10]),
])
def test_reference_models_give_their_requirements(model, expected):
    assert requirements(check(str(MIWG / "reference" / f"{model}.bpmn"))) == expected


@pytest.mark.parametrize("model", ["A.1.0", "A.2.0", "A.4.1", "C.1.0", "C.2.0", "C.7.0"])
def test_convert_round_trips_the_requirements_with_who_and_how_moved_to_routines(model, tmp_path):
    source = MIWG / "reference" / f"{model}.bpmn"
    done = CliRunner().invoke(cli, ["convert", str(source), "-o", str(tmp_path / "out")])
    assert done.exit_code == 0, done.output
    written = check(str(tmp_path / "out"))
    assert not any(f.rule == "USM0006" for f in written.findings), "the YAML validates against the schemas"
    diagram = check(str(source))
    kinds = {d["kind"] for d in _documents(tmp_path / "out")}
    # the who and how keys (USM0101) move to the Procedure and WorkInstruction; a model written
    # for several processes (with their message flows as forks) answers "no model" (USM0708)
    moved = {"USM0101", "USM0708"} if "ProcessModel" in kinds else {"USM0101"}
    before = {f.requirement for f in diagram.active if f.severity.value != "info" and f.rule not in moved}
    after = set(requirements(written))
    assert after == before, (before, after)
    assert not any(f.rule == "USM0101" for f in written.active)
    moved = any(f.rule == "USM0101" for f in diagram.active)
    assert "Process" in kinds and (not moved or {"Procedure", "WorkInstruction"} & kinds)


def _documents(folder: Path) -> list[dict]:
    from usm_rules.read.formats.yaml_reader import load_bytes

    return [d.data for path in sorted(folder.glob("*.yaml"))
            for d in load_bytes(str(path), path.read_bytes()).documents]


ATTACKS = {
    "billion-laughs.bpmn": """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"><process id="p" name="&lol3;"/></definitions>
""",
    "external-file.bpmn": """<?xml version="1.0"?>
<!DOCTYPE d [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"><process id="p" name="&secret;"/></definitions>
""",
    "network-dtd.bpmn": """<?xml version="1.0"?>
<!DOCTYPE definitions SYSTEM "http://127.0.0.1:9/evil.dtd">
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"><process id="p" name="x"/></definitions>
""",
}


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_xml_attacks_are_refused_with_a_finding(tmp_path, name):
    path = tmp_path / name
    path.write_text(ATTACKS[name], encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "usm_rules", "check", "--no-config", "--no-cache", "-f", "json",
                           str(path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    [finding] = json.loads(done.stdout)["findings"]
    assert (finding["rule"], finding["line"]) == ("USM0018", 2)
    assert "document type declaration" in finding["message"] and "root:" not in done.stdout


def test_a_malformed_diagram_is_a_positioned_finding(tmp_path):
    path = tmp_path / "broken.bpmn"
    path.write_text('<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">\n  <process id="p">\n'
                    '  </definitions>\n', encoding="utf-8")
    [finding] = check(str(path)).findings
    assert (finding.rule, finding.line) == ("USM0018", 3) and "mismatched tag" in finding.message


def test_each_bpmn_file_without_a_model_is_said_once_even_beside_copies_of_itself():
    result = check(str(MIWG / "reference"), str(MIWG / "camunda-modeler"))
    said = [f.file for f in result.active if f.rule == "USM0708"]
    assert len(said) == len(set(said)) == 42  # once per file, 21 models from two sources
    assert not any(f.rule == "USM0701" for f in result.active)


def test_a_process_model_in_yaml_takes_the_diagram_s_processes(tmp_path):
    diagram = tmp_path / "A.1.0.bpmn"
    diagram.write_bytes((MIWG / "reference" / "A.1.0.bpmn").read_bytes())
    [process] = _converted(diagram)
    (tmp_path / "model.yaml").write_text(
        "apiVersion: usm/v1\nkind: ProcessModel\nmetadata: {name: usm}\n"
        f"spec: {{managementSystem: Example, processes: [{process}]}}\n", encoding="utf-8")
    result = check(str(tmp_path))
    assert not any(f.rule in ("USM0708", "USM0701") for f in result.active)


def _converted(path: Path) -> list[str]:
    from usm_rules.read.formats.bpmn_reader import load_bpmn

    return [d.data["metadata"]["name"] for d in load_bpmn(str(path), path.read_bytes()).documents]


def test_the_configuration_names_the_model_that_lists_a_diagram_s_processes(tmp_path, monkeypatch):
    (tmp_path / "diagrams").mkdir()
    diagram = tmp_path / "diagrams" / "A.1.0.bpmn"
    diagram.write_bytes((MIWG / "reference" / "A.1.0.bpmn").read_bytes())
    [process] = _converted(diagram)
    (tmp_path / "model").mkdir()
    (tmp_path / "model" / "usm.yaml").write_text(
        "apiVersion: usm/v1\nkind: ProcessModel\nmetadata: {name: usm}\n"
        f"spec: {{managementSystem: Example, processes: [{process}]}}\n", encoding="utf-8")
    (tmp_path / ".usm-rules.yaml").write_text("models: [model/usm.yaml]\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    done = CliRunner().invoke(cli, ["check", "-f", "json", "diagrams"])
    rules = {f["rule"] for f in json.loads(done.stdout)["findings"]}
    assert "USM0708" not in rules and "USM0701" not in rules
    alone = CliRunner().invoke(cli, ["check", "--no-config", "-f", "json", "diagrams"])
    assert "USM0708" in {f["rule"] for f in json.loads(alone.stdout)["findings"]}


@pytest.mark.parametrize("namespace", ['xmlns="http://www.omg.org/spec/BPMN/20100501/MODEL"',
                                       'xmlns:b="http://www.omg.org/spec/BPMN/20100524/MODEL"', ""])
def test_other_namespace_spellings_and_a_boundary_event_branch(tmp_path, namespace):
    prefix = "b:" if namespace.startswith("xmlns:b") else ""
    body = f"""<{prefix}definitions {namespace}>
  <{prefix}process id="p" name="Restore the service">
    <{prefix}task id="t1" name="Diagnose the cause"/>
    <{prefix}boundaryEvent id="late" attachedToRef="t1"/>
    <{prefix}task id="t2" name="Restore the service"/>
    <{prefix}task id="t3" name="Escalate the failure"/>
    <{prefix}sequenceFlow id="f1" sourceRef="t1" targetRef="t2"/>
    <{prefix}sequenceFlow id="f2" sourceRef="late" targetRef="t3"/>
  </{prefix}process>
</{prefix}definitions>
"""
    path = tmp_path / "d.bpmn"
    path.write_text(body, encoding="utf-8")
    result = check(str(path))
    assert result.processes == ("restore-the-service",)
    [branch] = [f for f in result.active if f.rule == "USM0402"]  # the exception path is a second way on
    assert (branch.line, "Diagnose the cause" in branch.message) == (7, True)  # at the flow that leaves it


@pytest.mark.slow
def test_every_diagram_converts_to_yaml_that_the_schemas_accept(tmp_path):
    for index, diagram in enumerate(sorted(MIWG.rglob("*.bpmn"))):
        done = CliRunner().invoke(cli, ["convert", str(diagram), "-o", str(tmp_path / f"{index:02d}")])
        assert done.exit_code == 0, (diagram, done.output)
    result = check(str(tmp_path))
    assert len(result.files) > 63
    assert not [f for f in result.findings if f.rule in ("USM0001", "USM0006", "USM0010")]


def test_message_flows_between_pools_become_forks_declared_in_the_written_model(tmp_path):
    done = CliRunner().invoke(cli, ["convert", str(MIWG / "reference" / "C.1.0.bpmn"), "-o", str(tmp_path)])
    assert done.exit_code == 0, done.output
    [model] = [d for d in _documents(tmp_path) if d["kind"] == "ProcessModel"]
    assert model["spec"]["processes"] == ["team-assistant", "process-engine-invoice-receipt"]
    assert {(f["from"], f["to"]) for f in model["spec"]["forks"]} == {
        ("team-assistant", "process-engine-invoice-receipt"), ("process-engine-invoice-receipt", "team-assistant")}
    assert not any(f.requirement == 7 for f in check(str(tmp_path)).active)  # the model organises them


def _performers(text: str) -> dict[str, dict[str, str]]:
    from usm_rules.read.formats.bpmn_reader import load_bpmn

    loaded = load_bpmn("diagram.bpmn", text.encode("utf-8"))
    return {d.data["metadata"]["name"]: {a["name"]: a["performer"] for a in d.data["spec"]["activities"]
                                         if "performer" in a} for d in loaded.documents}


def test_lanes_say_who_when_the_export_lists_no_member_of_any_lane():
    """BPMN 2.0 makes flowNodeRef optional: a tool may record lane membership only in its drawing.
    Without the refs, each activity's lane comes from the BPMN-DI bounds; without those too, the
    lanes' names still say who (on the first activity, at the first lane)."""
    import re

    text = (MIWG / "reference" / "C.1.0.bpmn").read_text(encoding="utf-8")
    no_refs = re.sub(r"\s*<(\w+:)?flowNodeRef>[^<]*</(\w+:)?flowNodeRef>", "", text)
    assert "flowNodeRef" not in no_refs
    listed = _performers(text)
    assert any(listed.values()) and _performers(no_refs) == listed
    drawn_nowhere = re.sub(r"<bpmndi:BPMNDiagram.*</bpmndi:BPMNDiagram>", "", no_refs, flags=re.DOTALL)
    lanes_only = _performers(drawn_nowhere)
    for process, performers in listed.items():
        if performers:
            [(_first, named)] = lanes_only[process].items()
            assert set(named.split(", ")) >= set(performers.values())
