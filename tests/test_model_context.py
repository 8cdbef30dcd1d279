"""Model-aware single files: a file given alone is checked in its process model."""

from __future__ import annotations

import json
import shutil

from click.testing import CliRunner
from conftest import CLEAN_RECOVER, REPO, SAMPLES

from usm_rules.cli import cli
from usm_rules.read.model_root import model_root


def run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(cli, list(args), input=stdin)


def test_one_process_file_of_the_reference_model_is_checked_in_its_model():
    result = run("check", str(SAMPLES / "reference" / "recover.yaml"))
    assert result.exit_code == 0, result.output
    assert "0 errors, 0 warnings, 0 infos in 1 file (1 document, 1 process)" in result.stdout
    isolated = run("check", "--isolated", "--format", "json", str(SAMPLES / "reference" / "recover.yaml"))
    assert isolated.exit_code == 1
    assert {f["rule"] for f in json.loads(isolated.stdout)["findings"]} == {"USM0701", "USM0704"}


def test_only_findings_in_the_given_files_are_reported(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copytree(SAMPLES / "reference", tmp_path / "model")
    change = tmp_path / "model" / "change.yaml"
    change.write_text(change.read_text(encoding="utf-8").replace("spec:\n", "spec:\n  performer: Change board\n", 1),
                      encoding="utf-8")
    whole = json.loads(run("check", "--format", "json", "model").stdout)
    assert "model/change.yaml" in {f["file"] for f in whole["findings"]}
    one = run("check", "--format", "json", "model/recover.yaml")
    data = json.loads(one.stdout)
    assert one.exit_code == 0 and data["findings"] == []
    assert [f["path"] for f in data["files"]] == ["model/recover.yaml"]
    assert data["summary"]["processes"] == 1
    two = json.loads(run("check", "--format", "json", "model/recover.yaml", "model/change.yaml").stdout)
    assert {f["file"] for f in two["findings"]} == {"model/change.yaml"}


def test_the_model_root_is_the_configuration_s_folder_then_a_process_model_then_a_claiming_git_root(tmp_path):
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "a" / "b").mkdir(parents=True)
    process = repo / "a" / "b" / "p.yaml"
    process.write_text("apiVersion: usm/v1\nkind: Process\nmetadata: {name: p}\n", encoding="utf-8")
    assert model_root(process) == repo / "a" / "b"  # nothing claims it: its own folder, not the whole work tree
    (repo / "models").mkdir()
    (repo / "models" / "usm.yaml").write_text("apiVersion: usm/v1\nkind: ProcessModel\nmetadata: {name: usm}\n"
                                              "spec: {processes: [p]}\n", encoding="utf-8")
    assert model_root(process) == repo  # a ProcessModel in the work tree lists its process
    (repo / "a" / "model.yaml").write_text("apiVersion: usm/v1\nkind: ProcessModel  # ours\n", encoding="utf-8")
    assert model_root(process) == repo / "a"
    (repo / "a" / "b" / ".usm-rules.yaml").write_text("fail-on: error\n", encoding="utf-8")
    assert model_root(process, str(repo / "a" / "b" / ".usm-rules.yaml")) == repo / "a" / "b"
    assert model_root(tmp_path / "alone.yaml") == tmp_path


def test_one_diagram_of_a_repository_of_unrelated_copies_is_judged_with_its_own_folder(tmp_path, monkeypatch):
    """A git repository of other tools' exports and other YAML, with no configuration and no
    ProcessModel: the diagram is checked with its folder, not with 60 unrelated files."""
    import subprocess

    repo = tmp_path / "repo"
    for source in ("reference", "camunda-modeler", "trisotech"):
        shutil.copytree(REPO / "tests" / "data" / "bpmn-miwg" / source, repo / source)
    (repo / "yaml").mkdir()
    for i in range(5):
        (repo / "yaml" / f"p{i}.yaml").write_text(CLEAN_RECOVER.replace("name: recover,", f"name: p{i},"),
                                                  encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    monkeypatch.chdir(repo)
    result = run("check", "--no-config", "reference/C.1.0.bpmn")
    lines = result.stdout.splitlines()
    others = len(list((repo / "reference").glob("*.bpmn"))) - 1
    assert lines[-3] == f"Checked in its model at reference ({others} other files read)"
    alone = {(f["line"], f["rule"]) for f in json.loads(
        run("check", "--isolated", "-f", "json", "reference/C.1.0.bpmn").stdout)["findings"]}
    found = {(f["line"], f["rule"]) for f in json.loads(
        run("check", "--no-config", "-f", "json", "reference/C.1.0.bpmn").stdout)["findings"]}
    assert found == alone  # the other diagrams of its folder are other models: nothing clashes
    (repo / "one").mkdir()
    shutil.copy(repo / "reference" / "C.1.0.bpmn", repo / "one" / "diagram.bpmn")
    assert run("check", "--no-config", "one/diagram.bpmn").stdout.splitlines()[-3] == \
        "Checked alone: no other file of its model under one"


def test_standard_input_named_by_stdin_filename_is_checked_at_that_place_in_its_model(tmp_path, monkeypatch):
    shutil.copytree(SAMPLES / "reference", tmp_path / "model")
    monkeypatch.chdir(tmp_path)
    text = (tmp_path / "model" / "recover.yaml").read_text(encoding="utf-8")
    placed = run("check", "--format", "json", "-", "--stdin-filename", "model/recover.yaml", stdin=text)
    assert placed.exit_code == 0, placed.output
    assert [f["path"] for f in json.loads(placed.stdout)["files"]] == ["model/recover.yaml"]
    unsaved = run("check", "-", "--stdin-filename", "model/new.yaml", stdin=text.replace("name: recover\n",
                                                                                          "name: recover-2\n", 1))
    assert "model/new.yaml:" in unsaved.stdout and "USM0504 duplicate-output" in unsaved.stdout
    assert run("check", "-", stdin=text).exit_code == 1  # unnamed, standard input is checked alone
    assert run("check", "--stdin-filename", "x.yaml", "model").exit_code == 2
