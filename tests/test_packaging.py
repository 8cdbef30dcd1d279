"""The built wheel ships the rules and schemas, and the layer contracts hold."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile

import pytest
from conftest import REPO


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    source = tmp_path_factory.mktemp("source") / "usm-rules"
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(".venv", ".git", "__pycache__", "*.egg-info"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(source)],
                   check=True, timeout=300)
    return next(out.glob("usm_rules-*.whl"))


def test_wheel_ships_rules_and_schemas_inside_the_package(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    rules = {p.name for p in (REPO / "rules").glob("*.yaml")}
    schemas = {p.name for p in (REPO / "schemas").glob("*.json")}
    assert {n.split("/")[-1] for n in names if n.startswith("usm_rules/rules/")} == rules
    assert {n.split("/")[-1] for n in names if n.startswith("usm_rules/schemas/")} == schemas
    metadata = next(n for n in names if n.endswith("METADATA"))
    text = zipfile.ZipFile(wheel).read(metadata).decode()
    assert "Requires-Python: <3.13,>=3.10" in text
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    assert "usm-rules = usm_rules.cli:main" in zipfile.ZipFile(wheel).read(entry).decode()


def test_the_installed_package_finds_its_shipped_data():
    from usm_rules.resources import shipped

    assert (shipped("rules") / "USM0101.yaml").is_file()
    assert (shipped("schemas") / "usm-v1.schema.json").is_file()


def test_layer_contracts_hold():
    lint = shutil.which("lint-imports", path=str(__import__("pathlib").Path(sys.executable).parent))
    assert lint, "import-linter is part of the test extra"
    done = subprocess.run([lint, "--no-cache"], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Contracts: 5 kept, 0 broken." in done.stdout
