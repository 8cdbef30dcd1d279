"""Model-aware single files: a file given alone is checked in its process model."""

from __future__ import annotations

import json
import shutil

from click.testing import CliRunner
from conftest import SAMPLES

from usm_rules.cli import cli
from usm_rules.read.model_root import model_root


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


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


def test_the_model_root_is_the_configuration_s_folder_then_a_process_model_then_the_git_root(tmp_path):
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "a" / "b").mkdir(parents=True)
    process = repo / "a" / "b" / "p.yaml"
    process.write_text("kind: Process\n", encoding="utf-8")
    assert model_root(process) == repo  # nothing but the work tree
    (repo / "a" / "model.yaml").write_text("apiVersion: usm/v1\nkind: ProcessModel  # ours\n", encoding="utf-8")
    assert model_root(process) == repo / "a"
    (repo / "a" / "b" / ".usm-rules.yaml").write_text("fail-on: error\n", encoding="utf-8")
    assert model_root(process, str(repo / "a" / "b" / ".usm-rules.yaml")) == repo / "a" / "b"
    assert model_root(tmp_path / "alone.yaml") is None or model_root(tmp_path / "alone.yaml") != repo
