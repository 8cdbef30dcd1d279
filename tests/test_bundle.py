"""The bundled schema: one file, no external reference, the same verdict as the tool's own."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, SAMPLES
from jsonschema import Draft202012Validator

from usm_rules.read.formats.yaml_reader import load_bytes
from usm_rules.read.schema_bundle import BUNDLE, bundle_text
from usm_rules.read.validation import validate_document

SHIPPED = REPO / "schemas" / BUNDLE


def _refs(node):
    if isinstance(node, dict):
        if "$ref" in node:
            yield node["$ref"]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_the_shipped_bundle_is_up_to_date_and_self_contained():
    assert SHIPPED.read_text(encoding="utf-8") == bundle_text(), \
        "run `usm-rules schema --bundle > schemas/" + BUNDLE + "`"
    schema = json.loads(SHIPPED.read_text(encoding="utf-8"))
    refs = list(_refs(schema))
    assert refs and all(ref.startswith("#/$defs/") for ref in refs)
    Draft202012Validator.check_schema(schema)


def _documents():
    for path in sorted(SAMPLES.rglob("*.yaml")):
        for document in load_bytes(str(path), path.read_bytes()).documents:
            if document.data.get("apiVersion") == "usm/v1":
                yield path, document


def test_the_bundle_alone_accepts_exactly_the_documents_the_tool_accepts():
    validator = Draft202012Validator(json.loads(SHIPPED.read_text(encoding="utf-8")))  # no registry: offline
    verdicts = {(str(path), d.index): (validator.is_valid(d.data), not validate_document(d))
                for path, d in _documents()}
    assert len(verdicts) > 40
    assert all(bundle == ours for bundle, ours in verdicts.values()), [k for k, v in verdicts.items() if v[0] != v[1]]
    assert sum(1 for bundle, _ in verdicts.values() if not bundle) >= 2  # the samples hold invalid documents too


def test_a_document_is_held_to_the_definition_of_its_kind():
    validator = Draft202012Validator(json.loads(SHIPPED.read_text(encoding="utf-8")))
    model = {"apiVersion": "usm/v1", "kind": "ProcessModel", "metadata": {"name": "usm"},
             "spec": {"processes": ["recover"]}}
    assert validator.is_valid(model)
    assert not validator.is_valid({**model, "kind": "Process"})  # a Process has no processes key


@pytest.mark.skipif(shutil.which("check-jsonschema", path=str(Path(sys.executable).parent)) is None,
                    reason="check-jsonschema is in the bench extra")
@pytest.mark.slow
def test_check_jsonschema_validates_the_samples_against_the_bundle_alone(tmp_path):
    tool = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
    single = [path for path in sorted((SAMPLES / "reference").glob("*.yaml"))  # it reads one document a file
              if len(load_bytes(str(path), path.read_bytes()).documents) == 1]
    assert len(single) >= 5
    done = subprocess.run([tool, "--schemafile", str(SHIPPED), *map(str, single)], capture_output=True, text=True,
                          timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    broken = tmp_path / "broken.yaml"
    broken.write_text((SAMPLES / "reference" / "recover.yaml").read_text(encoding="utf-8").replace(
        "spec:\n", "spec:\n  processes: [x]\n", 1), encoding="utf-8")
    done = subprocess.run([tool, "--schemafile", str(SHIPPED), str(broken)], capture_output=True, text=True,
                          timeout=120, cwd=tmp_path)
    assert done.returncode == 1 and "broken.yaml" in done.stdout
