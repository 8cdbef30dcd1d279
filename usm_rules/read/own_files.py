"""Our own YAML data files (rule files, the configuration): read, loaded, schema-checked.

Their problems are not findings but usage errors: one line naming the file, the key and
the problem, and exit 2.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..model.documents import Document
from ..model.errors import DataFileError
from ..model.problems import EMPTY
from .files import read_bounded
from .formats.yaml_reader import DEFAULT_LIMITS, load_bytes
from .validation import validate_data


@dataclass(frozen=True)
class DataFile:
    document: Document | None  # None when the file is empty
    raw: bytes  # as read, for hashes: the file is never read again


def load_data_file(path: Path, schema: str, error: type[DataFileError]) -> DataFile:
    """The file's one document (None when it is empty), valid against ``schema``."""
    shown = str(path)
    try:
        raw = read_bounded(path, DEFAULT_LIMITS.file_size)
    except OSError as problem:
        raise error(shown, "file", problem.strerror or str(problem)) from None
    loaded = load_bytes(shown, raw)
    fatal = [p for p in loaded.problems if p.rule != EMPTY]
    if fatal:
        raise error(shown, f"line {fatal[0].line}", fatal[0].message)
    if len(loaded.documents) > 1:
        raise error(shown, "file", "holds more than one YAML document")
    if not loaded.documents:
        return DataFile(None, raw)
    document = loaded.documents[0]
    for key, message in validate_data(schema, document.data):
        raise error(shown, key, message)
    return DataFile(document, raw)
