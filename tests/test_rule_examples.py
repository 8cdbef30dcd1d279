"""Every rule's passing and failing examples, run through the whole pipeline.

The examples live in the rule files; each failing example lists the exact file, line and
column of every finding of its rule, and a passing example must give none.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import usm_rules
from usm_rules.check.catalog import load_catalog

CATALOG = load_catalog()
CASES = [
    pytest.param(rule, kind, example, id=f"{rule.id}-{kind}-{index}")
    for rule in CATALOG
    for kind in ("pass", "fail")
    for index, example in enumerate(rule.examples.get(kind, []))
]


@pytest.mark.parametrize(("rule", "kind", "example"), CASES)
def test_rule_example(rule, kind, example, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name, text in example["files"].items():
        Path(name).write_text(text, encoding="utf-8")
    result = usm_rules.check_paths(["."], catalog=CATALOG)
    found = sorted((f.file, f.line, f.column) for f in result.findings if f.rule == rule.id)
    expected = sorted((e["file"], e["line"], e["column"]) for e in example.get("expect", []))
    assert found == expected
    assert (kind == "fail") == bool(expected), "failing examples expect findings; passing ones none"


@pytest.mark.parametrize("rule", [r for r in CATALOG if not r.builtin], ids=lambda r: r.id)
def test_every_engine_rule_has_a_passing_and_a_failing_example(rule):
    assert rule.examples.get("pass") and rule.examples.get("fail")


def test_every_requirement_has_an_error_rule():
    assert {r.requirement for r in CATALOG if r.severity.value == "error"} == set(range(11))
