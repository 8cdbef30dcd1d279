"""Our own YAML data files (rule files, the configuration): read, loaded, schema-checked.

Their problems are not findings but usage errors: one line naming the file, the key and
the problem, and exit 2.
"""

from __future__ import annotations

from pathlib import Path

from .loader import Document, load_bytes
from .validation import validate_data


class DataFileError(ValueError):
    """A data file that cannot be used: ``file: key: problem``."""

    def __init__(self, file: str, key: str, problem: str) -> None:
        super().__init__(f"{file}: {key}: {problem}")


def load_data_file(path: Path, schema: str, error: type[DataFileError]) -> Document | None:
    """The file's one document (None when it is empty), valid against ``schema``."""
    shown = str(path)
    try:
        raw = path.read_bytes()
    except OSError as problem:
        raise error(shown, "file", problem.strerror or str(problem)) from None
    loaded = load_bytes(shown, raw)
    fatal = [p for p in loaded.problems if p.rule != "USM0004"]
    if fatal:
        raise error(shown, f"line {fatal[0].line}", fatal[0].message)
    if len(loaded.documents) > 1:
        raise error(shown, "file", "holds more than one YAML document")
    if not loaded.documents:
        return None
    document = loaded.documents[0]
    for key, problem in validate_data(schema, document.data):
        raise error(shown, key, problem)
    return document
