"""Corpora in several languages and voices, each a folder checked as one model.

Every line that should give a finding ends with ``# expect: RULE[, RULE]``; the findings of a
folder must be exactly its expectations (recall and precision at once). Precision folders
(``*-precision``) expect nothing: no error, no warning, no info, and every process must have
been read in a supported language, so that silence means "checked and clean", never "skipped".
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import usm_rules
from usm_rules.language.lexicons import supported

CORPORA = Path(__file__).parent / "corpora"
EXPECT = re.compile(r"#\s*expect:\s*([A-Z]+\d{4}(?:\s*,\s*[A-Z]+\d{4})*)")
FOLDERS = sorted(p for p in CORPORA.glob("*/*") if p.is_dir())


def expectations(folder: Path) -> set[tuple[str, int, str]]:
    expected = set()
    for path in sorted(folder.rglob("*.y*ml")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            match = EXPECT.search(line)
            if match:
                expected.update((path.name, number, rule.strip()) for rule in match.group(1).split(","))
    return expected


def run(folder: Path, monkeypatch) -> usm_rules.Result:
    monkeypatch.chdir(folder)
    return usm_rules.check_paths(["."])


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_findings_are_exactly_the_expectations(folder, monkeypatch):
    result = run(folder, monkeypatch)
    found = {(Path(f.file).name, f.line, f.rule) for f in result.findings}
    expected = expectations(folder)
    assert sorted(found - expected) == [], "findings without an # expect: comment"
    assert sorted(expected - found) == [], "# expect: comments without a finding"
    assert result.complete


@pytest.mark.parametrize("folder", [f for f in FOLDERS if f.parent.name.endswith("-precision")],
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_precision_models_are_read_in_their_language_and_clean(folder, monkeypatch):
    result = run(folder, monkeypatch)
    assert result.findings == ()
    assert result.languages and all(d.language in supported() for d in result.languages)
    assert result.maturity.ceiling == 5


def test_there_are_enough_corpora():
    kinds = {folder.parent.name: 0 for folder in FOLDERS}
    for folder in FOLDERS:
        kinds[folder.parent.name] += 1
    assert kinds["nl-precision"] >= 5 and kinds["nl-recall"] >= 2 and kinds["de-structural"] >= 1
