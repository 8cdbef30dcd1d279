"""JSON Schema validation of documents, every error at the line and column of its node.

The only module that imports jsonschema and jsonschema-rs. Schemas live in ``schemas/`` (draft
2020-12) and reference each other by bare file name, as editors do.

Every document is first checked by jsonschema-rs, a compiled validator about a hundred times
faster; only the documents it rejects go through jsonschema, whose errors carry what the
messages and positions are made from. The two must agree (a test runs both over every
document the test suite holds); where they ever do not, jsonschema's answer is the one given.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..model.problems import SCHEMA, Problem
from ..model.shipped import shipped
from .spelling import suggestion

if TYPE_CHECKING:  # the validators are imported when a document is first validated
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

    from ..model.documents import Document

ENVELOPE = "usm-v1.schema.json"
KIND_SCHEMAS = {
    "ProcessModel": "process-model.schema.json",
    "Process": "process.schema.json",
    "Practice": "practice.schema.json",
    "Project": "project.schema.json",
    "Procedure": "procedure.schema.json",
    "WorkInstruction": "work-instruction.schema.json",
}


def schema_text(name: str) -> str:
    """A shipped schema, as text, by file name."""
    return (shipped("schemas") / name).read_text(encoding="utf-8")


@cache
def _schemas(folder: Path) -> dict[str, dict]:
    return {path.name: json.loads(path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*.schema.json"))}


@cache
def validator_for(name: str) -> Draft202012Validator:
    """A validator for one shipped schema, its ``$ref``s inlined.

    The files reference each other by name, as editors expect; resolving those references
    through a registry at every node made validation the slowest stage, and inlining them
    once makes it about three times faster.
    """
    from jsonschema import Draft202012Validator

    return Draft202012Validator(_inlined(name))


@cache
def _inlined(name: str) -> Any:
    schemas = _schemas(shipped("schemas"))
    return _inline(schemas[name], name, schemas, 0)


def _inline(node: Any, base: str, schemas: dict[str, dict], depth: int) -> Any:
    if depth > 40:
        raise ValueError(f"{base}: $ref chain too deep (a recursive schema?)")
    if isinstance(node, list):
        return [_inline(item, base, schemas, depth) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        target, target_base = _resolve(node["$ref"], base, schemas)
        inlined = _inline(target, target_base, schemas, depth + 1)
        siblings = {k: _inline(v, base, schemas, depth) for k, v in node.items() if k != "$ref"}
        return {"allOf": [inlined], **siblings} if siblings else inlined
    return {k: _inline(v, base, schemas, depth) for k, v in node.items() if k != "$defs"}


def _resolve(ref: str, base: str, schemas: dict[str, dict]) -> tuple[Any, str]:
    file, _, pointer = ref.partition("#")
    file = file or base
    node: Any = schemas[file]
    for part in (p for p in pointer.split("/") if p):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node, file


@cache
def compiled_for(name: str) -> Any:
    """The compiled (jsonschema-rs) validator for one shipped schema, from the same inlined schema."""
    import jsonschema_rs

    return jsonschema_rs.Draft202012Validator(_inlined(name))


def validate_document(document: Document) -> list[Problem]:
    """Every schema error of one document (empty when it is valid), sorted by position."""
    kind = document.data.get("kind")
    name = KIND_SCHEMAS.get(kind, ENVELOPE) if isinstance(kind, str) else ENVELOPE
    if compiled_valid(name, document.data):
        return []
    return locate_errors(validator_for(name).iter_errors(document.data), document)


def compiled_valid(name: str, data: Any) -> bool:
    """Whether the compiled validator accepts ``data``; False (ask jsonschema) when it cannot say."""
    try:
        return bool(compiled_for(name).is_valid(data))
    except Exception:  # noqa: BLE001 - e.g. an integer beyond 64 bits: the Python validator decides
        return False


def locate_errors(errors: Iterable[ValidationError], document: Document) -> list[Problem]:
    problems = {p for error in errors for p in _problems(_deepest(error), document)}
    return sorted(problems, key=lambda p: (p.line, p.column, p.message))


def _deepest(error: ValidationError) -> ValidationError:
    """Inside anyOf/oneOf, the alternative that explains the failure best.

    An alternative that fails only below the instance (a list whose third item is wrong) fits
    the instance's shape, so its error is more useful than one that rejects the whole value.
    """
    from jsonschema.exceptions import best_match

    while error.context:
        inside = [e for e in error.context if e.relative_path]
        error = best_match(inside or error.context)
    return error


def _problems(error: ValidationError, document: Document) -> list[Problem]:
    positions = document.positions
    return [
        Problem(SCHEMA, f"{_describe(path)}: {message}",
                    *(positions.key(path + key) if key is not None else positions.value(path)))
        for path, key, message in _explain(error)
    ]


def _explain(error: ValidationError) -> list[tuple[tuple, tuple | None, str]]:
    """(path of the instance, key path below it to point at or None for the value, message)."""
    path = tuple(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        schema = error.schema if isinstance(error.schema, dict) else {}
        allowed = set(schema.get("properties", {}))
        listed = ", ".join(sorted(allowed))
        return [(path, (key,), f"unknown key '{key}'{suggestion(str(key), allowed)} (allowed: {listed})")
                for key in error.instance if key not in allowed]
    if error.validator == "required":
        return [(path, (), _missing(error, path))]
    return [(path, None, _message(error))]


def _missing(error: ValidationError, path: tuple) -> str:
    """A required key's absence; a usm document's missing ``apiVersion`` says how to fix it."""
    instance = error.instance if isinstance(error.instance, dict) else {}
    if path == () and "apiVersion" not in instance and "'apiVersion'" in error.message:
        kind = instance.get("kind")
        what = f"a usm {kind}" if isinstance(kind, str) and kind in KIND_SCHEMAS else "a usm document"
        return (f"'apiVersion' is missing: this document reads as {what}; add `apiVersion: usm/v1` as its "
                "first line")
    return error.message


def _message(error: ValidationError) -> str:
    if error.validator == "enum":
        values = error.validator_value if isinstance(error.validator_value, list) else []
        near = suggestion(str(error.instance), map(str, values)) if isinstance(error.instance, str) else ""
        return f"{_short(error.instance)} is not one of {', '.join(map(str, values))}{near}"
    if error.validator == "type":
        return f"{_short(error.instance)} is not of type {error.validator_value}"
    if error.validator == "pattern":
        return f"{_short(error.instance)} does not match {error.validator_value}"
    return error.message


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def _describe(path: tuple) -> str:
    """``spec.activities[2].name`` for a path; ``document`` for the root."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "document"


def validate_data(name: str, data: Any) -> list[tuple[str, str]]:
    """Schema errors of a data file with no positions (rule files, configuration): (key, problem)."""
    if compiled_valid(name, data):
        return []
    errors = sorted(validator_for(name).iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    return [(_describe(path), message) for error in errors for path, _, message in _explain(_deepest(error))]
