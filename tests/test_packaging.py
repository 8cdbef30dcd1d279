"""The built wheel ships the rules and schemas, and the layer contracts hold."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import REPO


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    source = tmp_path_factory.mktemp("source") / "usm-rules"
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(".venv*", ".git", "__pycache__", "*.egg-info"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(source)],
                   check=True, timeout=300)
    return next(out.glob("usm_rules-*.whl"))


@pytest.mark.slow
def test_wheel_ships_rules_and_schemas_inside_the_package(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    rules = {p.name for p in (REPO / "rules").glob("*.yaml")}
    schemas = {p.name for p in (REPO / "schemas").glob("*.json")}
    assert {n.split("/")[-1] for n in names if n.startswith("usm_rules/rules/")} == rules
    assert {n.split("/")[-1] for n in names if n.startswith("usm_rules/schemas/")} == schemas
    assert "usm_rules/docs/rules/USM0101.md" in names  # SARIF's helpUri points at it
    lexicons = {p.name for p in (REPO / "lexicons").glob("*.yaml")}
    shipped = {n.split("/")[-1] for n in names if n.startswith("usm_rules/lexicons/")}
    assert shipped == lexicons >= {"en.yaml", "nl.yaml"}
    metadata = next(n for n in names if n.endswith("METADATA"))
    text = zipfile.ZipFile(wheel).read(metadata).decode()
    assert "Requires-Python: <3.14,>=3.10" in text
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    assert "usm-rules = usm_rules.cli:main" in zipfile.ZipFile(wheel).read(entry).decode()


def test_the_installed_package_finds_its_shipped_data():
    from usm_rules.model.shipped import shipped

    assert (shipped("rules") / "USM0101.yaml").is_file()
    assert (shipped("schemas") / "usm-v1.schema.json").is_file()
    assert (shipped("schemas") / "usm-v1.bundle.schema.json").is_file()  # what editors are pointed at


def lint_imports(folder: Path) -> subprocess.CompletedProcess:
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint, "import-linter is part of the test extra"
    env = {**os.environ, "PYTHONPATH": str(folder)}
    return subprocess.run([lint, "--no-cache"], cwd=folder, capture_output=True, text=True, timeout=120, env=env)


CONTRACTS = {  # contract name -> (module, a probe import that must break it and only it)
    "Layers: every module in its place, imports only downwards": ("model/findings.py", "import usm_rules.cli"),
    "Only the loader (and the YAML writer of convert) imports ruamel.yaml": ("engine/runner.py", "import ruamel.yaml"),
    "Only the engine imports durable-rules": ("verdict/suppress.py", "import durable.engine"),
    "Only validation imports jsonschema": ("output/formats/json_report.py", "import jsonschema"),
    "Only the command line imports click": ("output/formats/text.py", "import click"),
    "Only the report's renderer imports jinja2": ("output/audit/value.py", "import jinja2"),
    "Only the lemmatisers module imports the lemmatisers": ("check/facts.py", "import simplemma"),
    "Only language detection imports lingua": ("language/lexicons.py", "import lingua"),
    "Only the language server imports pygls and lsprotocol": ("api.py", "import lsprotocol"),
    "Only the BPMN reader reads XML": ("read/inputs.py", "import defusedxml"),
}


def test_layer_contracts_hold():
    done = lint_imports(REPO)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"Contracts: {len(CONTRACTS)} kept, 0 broken." in done.stdout


@pytest.fixture()
def copy(tmp_path):
    """The package and its contracts in a throwaway folder, to break on purpose."""
    shutil.copytree(REPO / "usm_rules", tmp_path / "usm_rules", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", tmp_path)
    return tmp_path


def test_every_contract_can_fail(copy):
    for module, probe in CONTRACTS.values():
        path = copy / "usm_rules" / module
        path.write_text(path.read_text(encoding="utf-8") + f"\n{probe}  # probe\n", encoding="utf-8")
    done = lint_imports(copy)
    assert done.returncode == 1
    broken = {line.removesuffix(" BROKEN") for line in done.stdout.splitlines() if line.endswith(" BROKEN")}
    assert broken == set(CONTRACTS), done.stdout
    assert f"Contracts: 0 kept, {len(CONTRACTS)} broken." in done.stdout


def test_a_module_without_a_layer_breaks_the_layers(copy):
    (copy / "usm_rules" / "helpers.py").write_text('"""A module nobody gave a place."""\n', encoding="utf-8")
    done = lint_imports(copy)
    assert done.returncode == 1
    assert "Layers: every module in its place, imports only downwards BROKEN" in done.stdout
    assert "usm_rules.helpers" in done.stdout
