"""Hypothesis strategies for hostile and odd inputs, shared by the fuzz tests (tests/test_fuzz.py)
and the long fuzz runner (bench/fuzz.py).

Three families: the sample files mutated byte by byte; YAML torture (anchors, aliases, tags,
merge keys, deep and wide nesting, huge numbers, long and control-laden scalars, BOMs and other
encodings, several documents); and usm documents drawn from the shipped JSON Schemas, so that
every rule sees valid documents with unusual values.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

REPO = Path(__file__).resolve().parents[1]
SAMPLE_FILES = sorted((REPO / "sample_processes").rglob("*.yaml"))
SAMPLES = [path.read_bytes() for path in SAMPLE_FILES]
SCHEMAS = REPO / "schemas"
KINDS = {"ProcessModel": "process-model", "Process": "process", "Practice": "practice", "Project": "project",
         "Procedure": "procedure", "WorkInstruction": "work-instruction"}

# --- mutated samples ---------------------------------------------------------------------------

_BYTES = st.binary(min_size=0, max_size=4) | st.sampled_from(
    [b"\x00", b"\xff", b"\xc3", b"\t", b"\n", b"\r", b"\x1b[31m", b":", b"- ", b"&a ", b"*a", b"!!python/object ",
     b"{", b"[", b"'", b'"', b"#", b"---\n", b"...\n", b"<<: ", b"9" * 60, b"\xef\xbb\xbf", "\u202e".encode()])


@st.composite
def mutated_sample(draw: Any) -> bytes:
    raw = bytearray(draw(st.sampled_from(SAMPLES)))
    for _ in range(draw(st.integers(1, 6))):
        if not raw:
            break
        start = draw(st.integers(0, len(raw) - 1))
        end = min(len(raw), start + draw(st.integers(0, 8)))
        raw[start:end] = draw(_BYTES)
    return bytes(raw)


# --- YAML torture ------------------------------------------------------------------------------

_SCALARS = st.sampled_from([
    "x", "~", "null", "true", "NO", "0x1F", "0o17", "1e400", "-.inf", ".nan", "2026-12-01", "12:30:00",
    "'quoted'", '"dq \\x1b \\u202e \\n"', "|\n  block\n  text", ">-\n  folded", "!!binary aGVsbG8=",
    "!!python/object:os.system ls", "!custom tag", "&anchor value", "*anchor", "7" * 5000, "0x" + "f" * 4000,
    "a" * 3000, "é漢字🙂", "\t", "? complex", "- - - nested", "{a: [b, {c: d}]}", "[1, 2, [3, [4]]]",
])
_KEYS = st.sampled_from(["apiVersion", "kind", "metadata", "name", "spec", "activities", "id", "next", "<<",
                         "title", "performer", "trigger", "output", "a", "1", "null", "? [a, b]"])


def _node(depth: int) -> st.SearchStrategy[str]:
    if depth <= 0:
        return _SCALARS
    child = _node(depth - 1)
    flow_map = st.lists(st.tuples(_KEYS, child), max_size=3).map(
        lambda items: "{" + ", ".join(f"{k}: {v}" for k, v in items) + "}")
    flow_seq = st.lists(child, max_size=3).map(lambda items: "[" + ", ".join(items) + "]")
    return st.one_of(_SCALARS, flow_map, flow_seq)


@st.composite
def torture_yaml(draw: Any) -> bytes:
    documents = []
    for _ in range(draw(st.integers(1, 4))):
        lines = []
        if draw(st.booleans()):
            lines += ["apiVersion: usm/v1", f"kind: {draw(st.sampled_from([*KINDS, 'Bogus']))}"]
        for _ in range(draw(st.integers(0, 6))):
            indent = "  " * draw(st.integers(0, 3))
            lines.append(f"{indent}{draw(_KEYS)}: {draw(_node(draw(st.integers(0, 3))))}")
        if draw(st.integers(0, 20)) == 0:
            depth = draw(st.integers(60, 200))
            lines.append("deep: " + "[" * depth + "]" * depth)
        if draw(st.integers(0, 20)) == 0:  # a billion laughs, small
            lines += ["a: &a [x, x, x, x, x, x, x, x, x]"] + [
                f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]"
                for i in range(8)]
        documents.append("\n".join(lines))
    text = "\n---\n".join(documents) + draw(st.sampled_from(["\n", "", "\n...\n", "\n---\n"]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "utf-16", "latin-1"]))
    return text.encode(encoding, errors="replace")


# --- documents drawn from the schemas ----------------------------------------------------------

def _schema(name: str) -> dict:
    return json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))


def _resolve(ref: str, base: str) -> tuple[dict, str]:
    file, _, pointer = ref.partition("#")
    name = file.removesuffix(".schema.json") if file else base
    node: Any = _schema(name)
    for part in filter(None, pointer.split("/")):
        node = node[part]
    return node, name


def from_schema(node: dict, base: str, depth: int = 0) -> st.SearchStrategy[Any]:
    """Values that the schema accepts, mostly (formats and patterns are drawn, not proven)."""
    if "$ref" in node:
        target, name = _resolve(node["$ref"], base)
        return from_schema(target, name, depth + 1)
    if depth > 12:
        return st.just("x")
    if "const" in node:
        return st.just(node["const"])
    if "enum" in node:
        return st.sampled_from(node["enum"])
    for key in ("anyOf", "oneOf"):
        if key in node:
            return st.one_of([from_schema(option, base, depth + 1) for option in node[key]])
    kind = node.get("type", "object" if "properties" in node else "string")
    if isinstance(kind, list):
        return st.one_of([from_schema({**node, "type": k}, base, depth) for k in kind])
    if kind == "object":
        return _object(node, base, depth)
    if kind == "array":
        items = from_schema(node.get("items", {"type": "string"}), base, depth + 1)
        return st.lists(items, min_size=node.get("minItems", 0), max_size=max(node.get("minItems", 0), 4),
                        unique_by=(lambda v: json.dumps(v, sort_keys=True)) if node.get("uniqueItems") else None)
    if kind == "integer":
        return st.integers(node.get("minimum", -10), node.get("maximum", 10_000))
    if kind == "number":
        return st.floats(allow_nan=False, allow_infinity=False, min_value=node.get("minimum"))
    if kind == "boolean":
        return st.booleans()
    if kind == "null":
        return st.none()
    if "pattern" in node:
        return st.from_regex(node["pattern"], fullmatch=True)
    return st.text(st.characters(blacklist_categories=["Cs"]), min_size=max(1, node.get("minLength", 0)), max_size=40)


def _object(node: dict, base: str, depth: int) -> st.SearchStrategy[dict]:
    properties = node.get("properties", {})
    required = [key for key in node.get("required", []) if key in properties]
    optional = [key for key in properties if key not in required]
    return st.fixed_dictionaries(
        {key: from_schema(properties[key], base, depth + 1) for key in required},
        optional={key: from_schema(properties[key], base, depth + 1) for key in optional})


@st.composite
def schema_document(draw: Any) -> bytes:
    kind = draw(st.sampled_from(sorted(KINDS)))
    document = draw(from_schema(_schema(KINDS[kind]), KINDS[kind]))
    if isinstance(document, dict):
        document.update({"apiVersion": "usm/v1", "kind": kind})
    return json.dumps(document, ensure_ascii=False).encode("utf-8")  # JSON is YAML


def any_input() -> st.SearchStrategy[bytes]:
    return st.one_of(mutated_sample(), torture_yaml(), schema_document())


# --- BPMN diagrams ---------------------------------------------------------------------------------

BPMN_FILES = sorted((REPO / "tests" / "data" / "bpmn-miwg").rglob("*.bpmn"))
_BPMN_EDITS = [
    (rb'sourceRef="[^"]*"', b'sourceRef="nowhere"'), (rb'targetRef="[^"]*"', b'targetRef=""'),
    (rb'id="[^"]*"', b'id="same"'), (rb'name="[^"]*"', b'name="\xe2\x80\xae&#27;[31m If priority is P1"'),
    (rb'processRef="[^"]*"', b'processRef="missing"'), (rb'attachedToRef="[^"]*"', b'attachedToRef="x"'),
    (rb"<([a-zA-Z0-9]+:)?flowNodeRef>", b"<flowNodeRef>ghost"), (rb'calledElement="[^"]*"', b'calledElement="p"'),
]


@st.composite
def mutated_bpmn(draw: Any) -> bytes:
    """A real tool's BPMN export with broken references, clashing ids, hostile names or bytes."""
    import re

    raw = draw(st.sampled_from(BPMN_FILES)).read_bytes()
    for _ in range(draw(st.integers(0, 3))):
        pattern, replacement = draw(st.sampled_from(_BPMN_EDITS))
        matches = list(re.finditer(pattern, raw))
        if matches:
            found = matches[draw(st.integers(0, len(matches) - 1))]
            raw = raw[:found.start()] + replacement + raw[found.end():]
    if draw(st.integers(0, 4)) == 0:  # bytes too
        at = draw(st.integers(0, max(0, len(raw) - 1)))
        raw = raw[:at] + draw(_BYTES) + raw[at + draw(st.integers(0, 6)):]
    return raw
