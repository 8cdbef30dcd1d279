"""Each input read once, into a frozen value every later stage shares.

An :class:`Input` holds what one file gave: its displayed path, the SHA-256 of its bytes, its
decoded lines, how many documents it holds, its requirement-0 problems, its suppression
comments and what it declares. The suppressions and the audit report work from it; the
documents themselves (:class:`Read`) are turned into facts where the file is read
(:mod:`usm_rules.check.file_work`) and not kept. Nothing opens an input file a second time, so a file
edited during a run cannot make the report disagree with the verdict, and standard input works
everywhere.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from ..model.documents import Document, LoadedFile
from ..model.inputs import Declaration, Input
from ..model.limits import Limits
from ..model.problems import (
    ALIAS_BOMB,
    BPMN_SYNTAX,
    ENCODING,
    NOT_A_MAPPING,
    OVER_LIMIT,
    UNREADABLE,
    YAML_SYNTAX,
    Problem,
)
from .comments import scan
from .discovery import Source, read_source
from .files import NotRead
from .formats import format_for
from .validation import KIND_SCHEMAS, validate_document

DEFAULT_LIMITS = Limits()
# problems after which nobody can tell whether the file holds usm documents: never skipped
UNDECIDABLE = frozenset({YAML_SYNTAX, ENCODING, OVER_LIMIT, ALIAS_BOMB, BPMN_SYNTAX})


@dataclass(frozen=True)
class Read:
    """One input as read, with its documents: valid ones, and schema-invalid ones (left out of
    the rules, but what they declare counts)."""

    input: Input
    documents: tuple[Document, ...] = ()
    invalid: tuple[Document, ...] = ()


def read_input(source: Source, stdin: bytes | None = None, raw: bytes | NotRead | None = None,
               limits: Limits = DEFAULT_LIMITS) -> Read:
    """Read, decode, parse and validate one source; every problem becomes a :class:`Problem`.
    ``raw`` is the source's bytes (or why they are not read) when already read."""
    raw = read_source(source, stdin, limits) if raw is None else raw
    if isinstance(raw, NotRead):
        problem = Problem(OVER_LIMIT if raw.over_limit else UNREADABLE, raw.reason, 1, 1)
        return Read(Input(source.display, "", "", 0, (problem,), (), (), missing=raw.missing))
    reader = format_for(source.display, raw)
    try:
        loaded = reader.read(source.display, raw, limits)
    except Exception as error:  # noqa: BLE001 - a reader's bug costs this file, never the run's other files
        why = f"{type(error).__name__}: {str(error)[:200]}" if str(error) else type(error).__name__
        loaded = LoadedFile(problems=[Problem(
            UNREADABLE, f"the {reader.name} reader failed on this file ({why}); it is not read: please report this "
            "as a bug in usm-rules", 1, 1)])
    some = loaded.documents or any(p.rule == NOT_A_MAPPING for p in loaded.problems)
    if some and not any(is_usm(d.data) for d in loaded.documents) and not any(
            p.rule in UNDECIDABLE for p in loaded.problems):
        return Read(Input(source.display, hashlib.sha256(raw).hexdigest(), "", 0, (), (), (), skipped=True))
    directives = scan(source.display, loaded.text, loaded.strings) if loaded.text is not None and reader.comments \
        else []
    valid: list[Document] = []
    invalid: list[Document] = []
    problems = list(loaded.problems)
    for document in loaded.documents:
        errors = validate_document(document)
        problems.extend(errors)
        (invalid if errors else valid).append(document)
    declares = tuple(d for d in map(_declaration, loaded.documents) if d is not None)
    read = Input(
        path=source.display, sha256=hashlib.sha256(raw).hexdigest(),
        text=loaded.text or "",
        document_count=len(loaded.documents), problems=tuple(problems),
        directives=tuple(directives), declares=declares,
    )
    return Read(read, tuple(valid), tuple(invalid))


def is_usm(data: Any) -> bool:
    """Whether a document is a usm document: a value of the ``usm/`` family at its top (under
    ``apiVersion`` or under a mistyped key: that typo is then the schema's finding), or, with no
    ``apiVersion`` at all, a document that says it is ours: a usm ``kind``, or the usm shape
    (``metadata.name`` and a ``spec`` holding ``activities`` or ``processes``). The missing
    ``apiVersion`` is then the schema's finding, never a skip: a process file that forgot its
    first line must not pass the gate unread."""
    if not isinstance(data, dict):
        return False
    if any(isinstance(v, str) and v.startswith("usm/") for v in data.values()):
        return True
    if "apiVersion" in data:  # another tool's family (v1, backstage.io/v1alpha1, ...)
        return False
    if data.get("kind") in KIND_SCHEMAS:
        return True
    metadata, spec = data.get("metadata"), data.get("spec")
    return (isinstance(metadata, dict) and isinstance(metadata.get("name"), str) and isinstance(spec, dict)
            and any(key in spec for key in ("activities", "processes")))


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
