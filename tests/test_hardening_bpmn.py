"""Hardening, round two, row 1: BPMN ids under attack, and a reader's failure contained to its file."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from conftest import SAMPLES

from usm_rules.cli import cli
from usm_rules.read import formats

TWO_PROCESSES = """<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">
  <process id="{first}" name="Recover">
    <task id="t1" name="Register the failure"/>
  </process>
  <process id="{second}" name="Change">
    <task id="{task}" name="Assess the change"/>
  </process>
</definitions>
"""
RECOVER = (SAMPLES / "reference" / "recover.yaml").read_text(encoding="utf-8")


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def diagram(first: str = "p1", second: str = "p2", task: str = "t2") -> str:
    return TWO_PROCESSES.format(first=first, second=second, task=task).replace(' id=""', "")


@pytest.mark.parametrize(("text", "line", "column", "message"), [
    (diagram(second="p1"), 6, 3, "id 'p1' is used twice: by this process and by the process at line 3"),
    (diagram(task="t1"), 7, 5, "id 't1' is used twice: by this task and by the task at line 4"),
    (diagram(first="", second=""), 3, 3, "a bpmn:process without an id"),
    (diagram(second=""), 6, 3, "a bpmn:process without an id"),
])
def test_clashing_or_missing_ids_are_a_finding_in_that_file_and_the_others_are_still_checked(
        tree, text, line, column, message):
    folder = tree({"two.bpmn": text, "recover.yaml": RECOVER})
    done = run("check", "--no-config", "--isolated", "-f", "json", str(folder / "two.bpmn"),
               str(folder / "recover.yaml"))
    assert done.exit_code == 1, done.output
    data = json.loads(done.stdout)
    [found] = [f for f in data["findings"] if f["file"].endswith("two.bpmn")]
    assert (found["rule"], found["line"], found["column"]) == ("USM0018", line, column)
    assert found["message"].startswith(message)
    assert {f["rule"] for f in data["findings"] if f["file"].endswith("recover.yaml")} == {"USM0701", "USM0704"}
    assert data["summary"]["complete"] is False


def test_convert_refuses_clashing_ids_with_the_place(tree):
    folder = tree({"two.bpmn": diagram(second="p1")})
    done = run("convert", str(folder / "two.bpmn"), "-o", str(folder / "out"))
    assert done.exit_code == 2
    assert done.stderr.strip().endswith("two.bpmn:6:3: id 'p1' is used twice: by this process and by the process "
                                        "at line 3; BPMN ids are unique in a file")
    assert not (folder / "out").exists() or not any((folder / "out").iterdir())


def test_a_reader_that_fails_costs_only_its_file(tree, monkeypatch):
    """A bug in a format's reader (simulated: the BPMN reader raises) is that file's finding; the
    other files are checked and the result is incomplete."""
    def broken(file: str, raw: bytes, limits: object) -> None:
        raise ValueError("zip() argument 2 is shorter than argument 1")

    bpmn = formats.by_name("bpmn")
    monkeypatch.setattr(formats, "FORMATS", tuple(f if f is not bpmn else type(f)(
        f.name, f.suffixes, f.sniff, broken, f.comments) for f in formats.FORMATS))
    folder = tree({"two.bpmn": diagram(), "recover.yaml": RECOVER})
    done = run("check", "--no-config", "--isolated", "-f", "json", str(folder / "two.bpmn"),
               str(folder / "recover.yaml"))
    assert done.exit_code == 1, done.output
    data = json.loads(done.stdout)
    [found] = [f for f in data["findings"] if f["file"].endswith("two.bpmn")]
    assert (found["rule"], found["line"], found["column"]) == ("USM0007", 1, 1)
    assert "the bpmn reader failed on this file (ValueError: zip() argument 2" in found["message"]
    assert {f["rule"] for f in data["findings"] if f["file"].endswith("recover.yaml")} == {"USM0701", "USM0704"}
