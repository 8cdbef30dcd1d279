"""The shipped samples: the reference model is clean; every broken line says what it expects.

Each offending line in ``sample_processes/violations`` ends with ``# expect: RULE[, RULE]``.
The whole folder is checked as one run, as the README's main command does, and the findings
must be exactly the expectations: none missing (recall), none extra (precision).
"""

from __future__ import annotations

import re

import pytest
from conftest import SAMPLES

import usm_rules
from usm_rules.model.findings import Severity

EXPECT = re.compile(r"#\s*expect:\s*([A-Z0-9, ]+)")
README_EXPECT = re.compile(r"`([\w./-]+\.ya?ml)`.*?\b(USM\d{4})\b.*?line (\d+)")


def expectations() -> set[tuple[str, int, str]]:
    expected = set()
    for path in sorted(SAMPLES.rglob("*.y*ml")):
        relative = path.relative_to(SAMPLES.parent).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            match = EXPECT.search(line)
            if match:
                expected.update((relative, number, rule.strip()) for rule in match.group(1).split(","))
    return expected


@pytest.fixture(scope="module")
def whole_run():
    import os

    old = os.getcwd()
    os.chdir(SAMPLES.parent)
    try:
        return usm_rules.check_paths(["sample_processes"])
    finally:
        os.chdir(old)


def test_every_finding_is_expected_and_every_expectation_found(whole_run):
    empty = "sample_processes/violations/syntax-errors/empty.yaml"
    found = {(f.file, f.line, f.rule) for f in whole_run.findings if f.file != empty}
    expected = expectations()
    assert sorted(found - expected) == [], "findings without an # expect: comment"
    assert sorted(expected - found) == [], "# expect: comments without a finding"


def test_the_empty_sample_file_is_reported():
    os_empty = SAMPLES / "violations" / "syntax-errors" / "empty.yaml"
    assert os_empty.read_bytes() == b""
    result = usm_rules.check_paths([str(os_empty)])
    assert [(f.rule, f.line, f.column) for f in result.findings] == [("USM0004", 1, 1)]


def test_samples_cover_every_requirement(whole_run):
    assert {f.requirement for f in whole_run.findings} == set(range(11))


def test_reference_model_alone_has_no_finding_at_all(monkeypatch):
    monkeypatch.chdir(SAMPLES)
    result = usm_rules.check_paths(["reference"])
    assert [(f.file, f.line, f.rule, f.message) for f in result.findings] == []
    assert result.maturity.ceiling == 5 and result.complete
    assert sorted(result.processes) == ["agree", "change", "improve", "operate", "recover"]
    assert all(f.status == "checked" for f in result.files)


def test_reference_model_is_checked_with_every_kind(monkeypatch):
    monkeypatch.chdir(SAMPLES)
    result = usm_rules.check_paths(["reference"])
    kinds = set()
    from usm_rules.read.formats.yaml_reader import load_bytes

    for outcome in result.files:
        for doc in load_bytes(outcome.path, (SAMPLES / outcome.path).read_bytes()).documents:
            kinds.add(doc.data["kind"])
    assert kinds == {"ProcessModel", "Process", "Practice", "Project", "Procedure", "WorkInstruction"}
    assert result.count(Severity.ERROR) == 0
