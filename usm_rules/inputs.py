"""Each input read once, into a frozen value every later stage shares.

An :class:`Input` holds what one file gave: its displayed path, the SHA-256 of its bytes, its
decoded lines, its valid and schema-invalid documents, its requirement-0 problems, its
suppression comments and what it declares. The rules, the suppressions and the audit report
all work from it; nothing opens an input file a second time, so a file edited during a run
cannot make the report disagree with the verdict, and standard input works everywhere.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from .discovery import Source, read_source
from .findings import UNREADABLE, Problem
from .loader import Document, load_bytes
from .suppress import Directive, scan
from .validation import validate_document


@dataclass(frozen=True)
class Declaration:
    """A document's kind and name as written, with a Process's title and triggers."""

    kind: str
    name: str
    title: str
    trigger: tuple[str, ...] = ()


@dataclass(frozen=True)
class Input:
    """One input file as read: the single source of its bytes' hash, text, documents and problems."""

    path: str  # as displayed
    sha256: str  # of its bytes; "" when it could not be read
    lines: tuple[str, ...]  # decoded text lines, () when it could not be read or decoded
    documents: tuple[Document, ...]  # valid against their schema
    invalid: tuple[Document, ...]  # schema-invalid: left out of the rules, but what they declare counts
    problems: tuple[Problem, ...]
    directives: tuple[Directive, ...]
    declares: tuple[Declaration, ...]

    @property
    def document_count(self) -> int:
        return len(self.documents) + len(self.invalid)


def read_input(source: Source, stdin: bytes | None = None) -> Input:
    """Read, decode, parse and validate one source; every problem becomes a :class:`Problem`."""
    raw = read_source(source, stdin)
    if isinstance(raw, str):
        problem = Problem(UNREADABLE, f"cannot read file: {raw}", 1, 1)
        return Input(source.display, "", (), (), (), (problem,), (), ())
    loaded = load_bytes(source.display, raw)
    directives = scan(source.display, loaded.text, loaded.strings) if loaded.text is not None else []
    valid: list[Document] = []
    invalid: list[Document] = []
    problems = list(loaded.problems)
    for document in loaded.documents:
        errors = validate_document(document)
        problems.extend(errors)
        (invalid if errors else valid).append(document)
    declares = tuple(d for d in map(_declaration, loaded.documents) if d is not None)
    return Input(
        path=source.display, sha256=hashlib.sha256(raw).hexdigest(),
        lines=tuple(loaded.text.splitlines()) if loaded.text is not None else (),
        documents=tuple(valid), invalid=tuple(invalid), problems=tuple(problems),
        directives=tuple(directives), declares=declares,
    )


def _declaration(document: Document) -> Declaration | None:
    """What a document declares, read defensively: an invalid one declares what it can."""
    data: Any = document.data
    if not isinstance(data, dict) or not isinstance(data.get("kind"), str):
        return None
    metadata = data.get("metadata")
    if not isinstance(metadata, dict) or not isinstance(metadata.get("name"), str):
        return None
    name, title = metadata["name"], metadata.get("title")
    spec = data["spec"] if isinstance(data.get("spec"), dict) else {}
    trigger = spec.get("trigger")
    triggers = [trigger] if isinstance(trigger, str) else trigger if isinstance(trigger, list) else []
    return Declaration(data["kind"], name, title if isinstance(title, str) and title else name,
                       tuple(t for t in triggers if isinstance(t, str)))
