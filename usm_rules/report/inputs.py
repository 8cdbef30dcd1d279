"""The input files read again from disk: the SHA-256 of their bytes, their lines, their processes.

A :class:`~usm_rules.model.Result` keeps findings, not documents; the report needs more (each
file's hash, the lines around a finding, a process's title and trigger), so it reads the
files once more by the paths the result displays. A file that cannot be read again is shown
without a hash or quotes; it never stops the report.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..loader import Document, load_bytes
from ..model import Result
from .data import InputFile


@dataclass(frozen=True)
class Declared:
    """A document of kind Process as written: what the reclassification needs."""

    name: str
    title: str
    trigger: tuple[str, ...]
    activity_keys: dict[str, frozenset[str]]  # activity id -> its keys, lower-case


@dataclass
class Inputs:
    files: tuple[InputFile, ...]
    processes: dict[str, Declared]
    _lines: dict[str, list[str] | None] = field(default_factory=dict)

    def lines(self, path: str) -> list[str]:
        """The decoded lines of a file (empty when it cannot be read or decoded)."""
        if path not in self._lines:
            raw = _bytes(path)
            self._lines[path] = _split(load_bytes(path, raw).text) if raw is not None else None
        return self._lines[path] or []


def read_inputs(result: Result) -> Inputs:
    files, processes, lines = [], {}, {}
    for outcome in result.files:
        raw = _bytes(outcome.path)
        digest = hashlib.sha256(raw).hexdigest() if raw is not None else ""
        files.append(InputFile(outcome.path, outcome.status, outcome.documents, digest))
        if raw is None:
            lines[outcome.path] = None
            continue
        loaded = load_bytes(outcome.path, raw)
        lines[outcome.path] = _split(loaded.text)
        for document in loaded.documents:
            declared = _declared(document)
            if declared is not None:
                processes.setdefault(declared.name, declared)
    return Inputs(tuple(files), processes, lines)


def _bytes(path: str) -> bytes | None:
    try:
        return Path(path).read_bytes()
    except (OSError, ValueError):  # missing, a folder, no permission, or a name like <stdin>
        return None


def _split(text: str | None) -> list[str] | None:
    # the same line breaks the loader and the suppression scanner count
    return text.splitlines() if text is not None else None


def _declared(document: Document) -> Declared | None:
    data: Any = document.data
    if not isinstance(data, dict) or data.get("kind") != "Process" or not isinstance(data.get("metadata"), dict):
        return None
    name = data["metadata"].get("name")
    if not isinstance(name, str):
        return None
    title = data["metadata"].get("title")
    spec = data.get("spec") if isinstance(data.get("spec"), dict) else {}
    trigger = spec.get("trigger")
    trigger = [trigger] if isinstance(trigger, str) else trigger if isinstance(trigger, list) else []
    activities = spec.get("activities") if isinstance(spec.get("activities"), list) else []
    keys = {str(a.get("id")): frozenset(str(k).lower() for k in a) for a in activities if isinstance(a, dict)}
    title = title if isinstance(title, str) and title else name
    return Declared(name, title, tuple(t for t in trigger if isinstance(t, str)), keys)
