"""Schema validation: every error, each at the line and column of the offending node."""

from __future__ import annotations

import functools
import json

import pytest
from conftest import REPO, check, located
from hypothesis import given, settings
from hypothesis import strategies as st

from usm_rules.read.validation import ENVELOPE, KIND_SCHEMAS, compiled_valid, validator_for

DEEP = """\
apiVersion: usm/v1
kind: Process
metadata:
  name: recover
spec:
  activities:
    - id: rec-1
      name: Register the failure
    - id: rec-2
      name: 42
    - name: Restore the service
      next: rec-2
  control:
    manager: Recover process manager
    steering: weekly meeting
    informing:
      - measure: restore time
        purpose: fun
"""


def test_every_schema_error_is_reported_at_its_node(tree):
    tree({"recover.yaml": DEEP})
    result = check()
    assert located(result) == [
        ("recover.yaml", 10, 13, "USM0006"),  # a number where a name must be text
        ("recover.yaml", 11, 7, "USM0006"),  # an activity without an id: the item itself
        ("recover.yaml", 15, 15, "USM0006"),  # steering must be a list: wrong type, nested
        ("recover.yaml", 18, 18, "USM0006"),  # not one of improvement, accountability
    ]
    messages = [f.message for f in result.findings]
    assert messages[1] == "spec.activities[2]: 'id' is a required property"
    assert messages[2].startswith("spec.control.steering: \"weekly meeting\" is not of type array")
    assert "improvement, accountability" in messages[3]


def test_unknown_spec_key_points_at_the_key(tree):
    tree({"p.yaml": "apiVersion: usm/v1\nkind: Process\nmetadata: {name: recover}\nspec:\n  owner: Ann\n"})
    result = check()
    assert located(result) == [("p.yaml", 5, 3, "USM0006")]
    assert "unknown key 'owner'" in result.findings[0].message


def test_anyof_errors_give_the_best_match(tree):
    tree({"p.yaml": "apiVersion: usm/v1\nkind: Process\nmetadata: {name: recover}\nspec:\n"
                    "  trigger: [incident, phone]\n"})
    result = check()
    assert located(result) == [("p.yaml", 5, 23, "USM0006")]
    assert "'phone'" in result.findings[0].message or '"phone"' in result.findings[0].message


def test_unknown_kind_is_checked_against_the_envelope(tree):
    tree({"p.yaml": "apiVersion: usm/v1\nkind: Proces\nmetadata: {name: recover}\nspec: {}\n"})
    result = check()
    assert located(result) == [("p.yaml", 2, 7, "USM0006")]


def test_invalid_documents_are_left_out_of_rule_checks(tree):
    tree({"p.yaml": DEEP})
    result = check()
    assert {f.rule for f in result.findings} == {"USM0006"}
    assert result.complete is False and result.files[0].status == "error"


def test_roles_tools_and_conditions_are_not_schema_errors(tree):
    tree({"p.yaml": """\
        apiVersion: usm/v1
        kind: Process
        metadata: {name: recover}
        spec:
          activities:
            - {id: rec-1, name: Log the call, performer: Service desk, tool: ServiceNow, condition: P1}
        """})
    rules = {f.rule for f in check().findings}
    assert "USM0006" not in rules and {"USM0101", "USM0401"} <= rules


@pytest.mark.parametrize("name", sorted(set(KIND_SCHEMAS.values()) | {"usm-v1.schema.json", "rule.schema.json"}))
def test_shipped_schemas_are_valid_2020_12(name):
    from jsonschema import Draft202012Validator

    schema = json.loads((REPO / "schemas" / name).read_text())
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_several_missing_properties_at_one_node_are_each_reported(tree):
    tree({"p.yaml": "apiVersion: usm/v1\nspec: {}\n"})
    messages = sorted(f.message for f in check().findings)
    assert messages == [f"document: '{key}' is a required property" for key in ("kind", "metadata")]


def test_other_yaml_is_skipped_visibly_and_never_makes_the_result_incomplete(tree):
    tree({"mkdocs.yml": "site_name: Docs\nmarkdown_extensions:\n  - x: !!python/name:a.b\n",
          "list.yaml": "- a\n- b\n", "typo.yaml": "apiVerison: usm/v1\nkind: Process\nmetadata: {name: x}\nspec: {}\n",
          "broken.yml": "a: [\n", "v9.yaml": "apiVersion: usm/v9\nkind: Process\nmetadata: {name: y}\nspec: {}\n"})
    result = check()
    assert {f.path: f.status for f in result.files} == {
        "broken.yml": "error", "list.yaml": "skipped", "mkdocs.yml": "skipped", "typo.yaml": "error",
        "v9.yaml": "error"}
    assert {f.file for f in result.findings} == {"broken.yml", "typo.yaml", "v9.yaml"}  # no tag warning from mkdocs.yml
    assert any("apiVerison" in f.message for f in result.findings if f.file == "typo.yaml")


def test_one_typo_one_finding_with_the_nearest_spelling(tree):
    model = "apiVersion: usm/v1\nkind: ProcessModel\nmetadata: {name: usm}\nspec:\n  managementSystem: X\n" \
            "  processes: [recover]\n  forks: []\n"
    process = "apiVersion: usm/v1\nkind: Proces\nmetadata: {name: recover}\nspec:\n  model: usm\n"
    tree({"model.yaml": model, "recover.yaml": process})
    [finding] = check().findings  # the model's reference to 'recover' does not cascade
    assert (finding.file, finding.line, finding.rule) == ("recover.yaml", 2, "USM0006")
    assert finding.message.endswith("did you mean 'Process'?")
    tree({"recover.yaml": process.replace("Proces\n", "Process\n") + "  purpsoe: Restore\n"})
    typo = [f for f in check().findings if f.rule == "USM0006"]
    assert [(f.line, f.message.split(" (allowed")[0]) for f in typo] == [
        (6, "spec: unknown key 'purpsoe'; did you mean 'purpose'?")]


def _every_document_in_the_repository():
    from usm_rules.read.formats.yaml_reader import load_bytes

    for path in sorted({*REPO.glob("tests/**/*.yaml"), *REPO.glob("sample_processes/**/*.yaml"),
                        *REPO.glob("examples/**/*.yaml")}):
        for document in load_bytes(str(path), path.read_bytes()).documents:
            yield path, document.data


def _schema_of(data):
    kind = data.get("kind")
    return KIND_SCHEMAS.get(kind, ENVELOPE) if isinstance(kind, str) else ENVELOPE


def test_the_compiled_validator_agrees_with_jsonschema_on_every_document_we_hold():
    # the compiled validator decides; jsonschema only explains: they must never disagree
    seen = {True: 0, False: 0}
    for path, data in _every_document_in_the_repository():
        name = _schema_of(data)
        expected = not any(validator_for(name).iter_errors(data))
        assert compiled_valid(name, data) is expected, f"{path}: {data.get('metadata')}"
        seen[expected] += 1
    assert seen[True] > 100 and seen[False] >= 3, seen  # the mutations below add many more invalid ones


_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 2**70) | st.floats(allow_nan=False) | st.text(max_size=12)
    | st.sampled_from(["rec-1", "REC-1", "usm/v1", "usm/v2", "Process", "improvement", "", " x", "a-", "-a"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)


@pytest.mark.slow
@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.sampled_from(sorted(KIND_SCHEMAS)), st.lists(st.tuples(st.integers(0, 40), _VALUES), max_size=3))
def test_the_validators_agree_on_mutated_documents(kind, edits):
    import copy

    data = copy.deepcopy(_seed(kind))
    for where, value in edits:
        nodes = _containers(data)
        parent, key = nodes[where % len(nodes)]
        parent[key] = value
    name = _schema_of(data)
    assert compiled_valid(name, data) is (not any(validator_for(name).iter_errors(data)))


@functools.cache
def _seed(kind):
    return next(data for _, data in _every_document_in_the_repository() if data.get("kind") == kind)


def _containers(data, found=None):
    """Every (container, key) slot of a document, to put a random value in."""
    found = [] if found is None else found
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for key, value in items:
        found.append((data, key))
        _containers(value, found)
    return found
