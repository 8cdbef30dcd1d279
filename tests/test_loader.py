"""The loader: positions, plain data, and every kind of bad YAML as a positioned finding."""

from __future__ import annotations

import codecs

from conftest import check, dedent, located

from usm_rules.read.formats.yaml_reader import MAX_DEPTH, load_bytes, load_text

PROCESS = """\
apiVersion: usm/v1
kind: Process
metadata:
  name: recover
spec:
  purpose: Restore the agreed service after a failure.
"""


def test_positions_are_one_based_and_point_at_keys_and_values():
    document = load_text("p.yaml", PROCESS).documents[0]
    assert document.positions.key(("spec", "purpose")) == (6, 3)
    assert document.positions.value(("spec", "purpose")) == (6, 12)
    assert document.positions.value(("metadata", "name")) == (4, 9)
    assert "__line__" not in str(document.data)  # positions never enter the data


def test_scalars_follow_yaml_1_2_and_dates_stay_strings():
    text = "a: 2024-01-31\nb: yes\nc: 0o17\nd: 1.5\ne: ~\nf: TRUE\ng: '3'\nh: 12\n"
    data = load_text("x.yaml", text).documents[0].data
    assert data == {"a": "2024-01-31", "b": "yes", "c": 15, "d": 1.5, "e": None, "f": True, "g": "3", "h": 12}


def test_all_documents_of_a_file_are_loaded_with_their_start_lines():
    loaded = load_text("x.yaml", "a: 1\n---\nb: 2\n---\nc: 3\n")
    assert [d.data for d in loaded.documents] == [{"a": 1}, {"b": 2}, {"c": 3}]
    assert [d.index for d in loaded.documents] == [0, 1, 2]
    assert loaded.documents[2].positions.value(("c",)) == (5, 4)


def test_syntax_error_is_a_finding_at_its_exact_position(tree):
    tree({"bad.yaml": """\
        apiVersion: usm/v1
        kind: Process
        metadata:
          name: recover
            title: Recover
        spec: {}
        """, "good.yaml": PROCESS})
    result = check()
    assert [x for x in located(result) if x[0] == "bad.yaml"] == [("bad.yaml", 5, 10, "USM0001")]
    assert {f.path: f.status for f in result.files} == {"bad.yaml": "error", "good.yaml": "checked"}
    assert result.complete is False


def test_duplicate_key_points_at_the_second_key_and_keeps_the_first_value():
    loaded = load_text("x.yaml", "spec:\n  purpose: one\n  output: x\n  purpose: two\n")
    assert [(p.rule, p.line, p.column) for p in loaded.problems] == [("USM0002", 4, 3)]
    assert "first defined at line 2" in loaded.problems[0].message
    assert loaded.documents[0].data == {"spec": {"purpose": "one", "output": "x"}}


def test_duplicate_key_with_a_nested_value_does_not_disturb_positions():
    loaded = load_text("x.yaml", "a:\n  b: 1\na:\n  b: 2\n  c: 3\n")
    assert [(p.rule, p.line) for p in loaded.problems] == [("USM0002", 3)]
    assert loaded.documents[0].positions.value(("a", "b")) == (2, 6)


def test_undecodable_bytes_are_located():
    loaded = load_bytes("x.yaml", b"a: 1\nb: caf\xe9\n")
    assert [(p.rule, p.line, p.column) for p in loaded.problems] == [("USM0003", 2, 7)]


def test_binary_file_is_a_finding():
    loaded = load_bytes("x.yaml", b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    assert loaded.problems[0].rule == "USM0003"
    assert "binary" in loaded.problems[0].message


def test_utf16_with_bom_is_read():
    raw = codecs.BOM_UTF16_LE + "a: b\n".encode("utf-16-le")
    assert load_bytes("x.yaml", raw).documents[0].data == {"a": "b"}


def test_empty_file_and_empty_document():
    assert [(p.rule, p.line) for p in load_text("x.yaml", "").problems] == [("USM0004", 1)]
    assert [(p.rule, p.line) for p in load_text("x.yaml", "# only a comment\n").problems] == [("USM0004", 1)]
    loaded = load_text("x.yaml", "a: 1\n---\n---\nb: 2\n")
    assert [(p.rule, p.line) for p in loaded.problems] == [("USM0004", 2)]
    assert len(loaded.documents) == 2


def test_non_mapping_document():
    loaded = load_text("x.yaml", "a: 1\n---\n- x\n- y\n")
    assert [(p.rule, p.line, p.column) for p in loaded.problems] == [("USM0005", 3, 1)]


def test_tags_never_construct_objects():
    text = "a: !!python/object/apply:os.system ['echo hacked']\nb: !custom 3\nc: !!str 4\n"
    loaded = load_text("x.yaml", text)
    assert loaded.documents[0].data == {"a": ["echo hacked"], "b": 3, "c": "4"}
    assert [(p.rule, p.line, p.column) for p in loaded.problems] == [("USM0008", 1, 4), ("USM0008", 2, 4)]


def test_alias_bomb_is_stopped():
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 9):
        lines.append(f"{chr(97 + i)}: &{chr(97 + i)} [" + ",".join([f"*{chr(96 + i)}"] * 9) + "]")
    loaded = load_text("bomb.yaml", "\n".join(lines) + "\n")
    assert [p.rule for p in loaded.problems] == ["USM0009"]
    assert loaded.documents == []


def test_deep_nesting_is_stopped_without_recursion():
    depth = 200_000
    loaded = load_text("deep.yaml", "[" * depth + "]" * depth)
    assert [(p.rule, p.line, p.column) for p in loaded.problems] == [("USM0009", 1, MAX_DEPTH + 1)]


def test_aliases_and_merge_keys_are_resolved():
    text = dedent("""
        base: &base {outputRecipient: customer, trigger: incident}
        spec:
          <<: *base
          trigger: risk
        """)
    data = load_text("x.yaml", text).documents[0].data
    assert data["spec"] == {"outputRecipient": "customer", "trigger": "risk"}


def test_complex_key_is_a_finding_not_a_crash():
    loaded = load_text("x.yaml", "? [a, b]\n: c\n")
    assert [p.rule for p in loaded.problems] == ["USM0009"]


def test_control_character_is_a_positioned_syntax_error():
    loaded = load_text("x.yaml", "a: 1\nb: bell\x07\n")
    assert [(p.rule, p.line, p.column) for p in loaded.problems] == [("USM0001", 2, 8)]


def test_documents_before_a_syntax_error_are_kept():
    loaded = load_text("x.yaml", "a: 1\n---\nb: [\n")
    assert [d.data for d in loaded.documents] == [{"a": 1}]
    assert [p.rule for p in loaded.problems] == ["USM0001"]


def test_positions_count_lines_as_editors_do_where_yaml_counts_more_breaks():
    # NEL, LS and PS break lines for the YAML parser, not for editors (nor for the quotes shown)
    text = 'a: "x\x85y"\nb: "\u2028"\nc: [\n'
    loaded = load_text("x.yaml", text)
    [problem] = loaded.problems
    assert (problem.line, problem.column) == (4, 1)  # after the third "\n", not the fifth break
    document = load_text("x.yaml", 'a: "x\x85y"\nb: 2\n').documents[0]
    assert document.positions.value(("b",)) == (2, 4)
