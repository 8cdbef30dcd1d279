"""Which files a run reads: YAML files under the given paths, in a stable order."""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec

YAML_SUFFIXES = (".yaml", ".yml")
STDIN = "-"
MISSING = "no such file or directory"


@dataclass(frozen=True)
class Source:
    """One input: a file path, stdin, or a path that cannot be read (with the reason)."""

    display: str
    path: Path | None
    problem: str | None = None


def discover(paths: list[str], exclude: tuple[tuple[str, str], ...] = (),
             include: tuple[tuple[str, str], ...] = ()) -> list[Source]:
    """Every YAML file under ``paths``, each once, sorted within each given folder.

    ``exclude`` and ``include`` hold (base folder, pattern) pairs, read as .gitignore reads
    them; with ``include``, only the files it matches are read.

    Hidden folders and files are skipped (unless named), symlink loops are cut, and a path that does not exist is
    returned as a source with a problem rather than dropped.
    """
    found: list[Source] = []
    seen: set[str] = set()
    for given in paths:
        for source in _expand(given):
            key = source.display if source.path is None else str(_real(source.path))
            if key in seen or _excluded(source, exclude) or not _included(source, include):
                continue
            seen.add(key)
            found.append(source)
    return found


def _expand(given: str) -> list[Source]:
    if given == STDIN:
        return [Source("<stdin>", None)]
    path = Path(given)
    if path.is_dir():
        return _walk(path)
    if path.exists():
        return [Source(display_path(path), path)]
    if path.is_symlink():
        return [Source(display_path(path), path, "broken symbolic link")]
    return [Source(display_path(path), path, MISSING)]


def _walk(root: Path) -> list[Source]:
    files: list[Source] = []
    visited: set[tuple[int, int]] = set()

    def unreadable(error: OSError) -> None:
        where = Path(error.filename or root)
        files.append(Source(display_path(where), where, f"cannot read folder: {error.strerror or error}"))

    for folder, dirs, names in os.walk(root, followlinks=True, onerror=unreadable):
        stat = os.stat(folder)
        identity = (stat.st_dev, stat.st_ino)
        if identity in visited:  # a symlink loop or a second way into the same folder
            dirs[:] = []
            continue
        visited.add(identity)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        files.extend(Source(display_path(p), p) for p in _yaml_files(folder, names))
    return sorted(files, key=lambda s: s.display)


def _yaml_files(folder: str, names: list[str]) -> list[Path]:
    """YAML files of a folder; hidden ones (.usm-rules.yaml, .gitlab-ci.yml) are tool settings."""
    return [Path(folder, n) for n in names if n.lower().endswith(YAML_SUFFIXES) and not n.startswith(".")]


def display_path(path: Path | str) -> str:
    """The path as users see it: relative to the working folder when below it."""
    try:
        return Path(os.path.abspath(path)).relative_to(os.getcwd()).as_posix()
    except (ValueError, OSError):
        return Path(path).as_posix()


def _real(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def _excluded(source: Source, patterns: tuple[tuple[str, str], ...]) -> bool:
    """Whether a file matches an exclusion, as .gitignore reads them (pathspec's GitIgnoreSpec).

    Each pattern is relative to its base folder: one without a slash matches a file or folder
    name anywhere below it (``drafts``, ``*.draft.yaml``), one with a slash the path from the
    base (``processes/old``, ``**/violations``).
    """
    return source.path is not None and any(_matches(source.path, base, spec) for base, spec in _specs(patterns))


def _included(source: Source, patterns: tuple[tuple[str, str], ...]) -> bool:
    """Whether a file is in scope of ``include`` (every file when there is none)."""
    return not patterns or source.path is None or any(
        _matches(source.path, base, spec) for base, spec in _specs(patterns))


@functools.lru_cache(maxsize=16)
def _specs(patterns: tuple[tuple[str, str], ...]) -> list[tuple[str, GitIgnoreSpec]]:
    from pathspec import GitIgnoreSpec  # only when there are patterns to match

    by_base: dict[str, list[str]] = {}
    for base, pattern in patterns:
        by_base.setdefault(base, []).append(pattern)
    return [(base, GitIgnoreSpec.from_lines(lines)) for base, lines in by_base.items()]


def _matches(path: Path, base: str, spec: GitIgnoreSpec) -> bool:
    relative = os.path.relpath(os.path.abspath(path), base).replace(os.sep, "/")
    return not relative.startswith("../") and spec.match_file(relative)


def read_source(source: Source, stdin: bytes | None = None) -> bytes | str:
    """The bytes of a source, or a one-line reason why it cannot be read."""
    if source.problem:
        return source.problem
    if source.path is None:
        return stdin if stdin is not None else b""
    try:
        return source.path.read_bytes()
    except IsADirectoryError:
        return "is a directory"
    except OSError as error:
        return error.strerror or str(error)
