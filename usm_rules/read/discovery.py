"""Which files a run reads: the files of every input format under the given paths, in a stable order."""

from __future__ import annotations

import functools
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..model.limits import Limits
from .files import NotRead, NotRegular, TooBig, kind_of, read_bounded, too_big
from .formats import SUFFIXES

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec

STDIN = "-"
MISSING = "no such file or directory"
DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class Source:
    """One input: a file path, stdin, or a path that is not read (with the reason)."""

    display: str
    path: Path | None
    problem: NotRead | None = None


def discover(paths: list[str], exclude: tuple[tuple[str, str], ...] = (),
             include: tuple[tuple[str, str], ...] = (), *, follow_links: bool = False,
             limits: Limits = DEFAULT_LIMITS) -> list[Source]:
    """Every YAML file under ``paths``, each once, sorted within each given folder.

    ``exclude`` and ``include`` hold (base folder, pattern) pairs, read as .gitignore reads
    them; with ``include``, only the files it matches are read.

    Only regular files are read. A symbolic link is followed only while it stays inside the
    checked roots (a given folder, or the folder of a given file), unless ``follow_links``; a
    link that leaves them, a FIFO, a socket or a device is returned with the reason it is not
    read, as is a file bigger than the file-size limit. Hidden folders and files are skipped
    (unless named), symlink loops are cut, a path that does not exist is returned with a
    problem rather than dropped, and after ``limits.files`` files the next one says so and the
    rest is not listed.
    """
    found: list[Source] = []
    seen: set[str] = set()
    roots = _roots(paths)
    for given in paths:
        for source in _expand(given, roots, follow_links, limits):
            key = source.display if source.path is None else str(_real(source.path))
            if key in seen or _excluded(source, exclude) or not _included(source, include):
                continue
            if len(found) >= limits.files:
                found.append(Source(source.display, source.path, NotRead(
                    f"more than {limits.files:,} files in one run (limits.files); this file and those after it "
                    "are not read", over_limit=True)))
                return found
            seen.add(key)
            found.append(source)
    return found


def _roots(paths: list[str]) -> tuple[str, ...]:
    """The real folders a run may read: each given folder, and the folder of each given file."""
    roots = []
    for given in paths:
        if given == STDIN:
            continue
        path = Path(given)
        roots.append(str(_real(path if path.is_dir() else path.parent)))
    return tuple(roots)


def _inside(real: Path, roots: tuple[str, ...]) -> bool:
    text = str(real)
    return any(text == root or text.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


def _expand(given: str, roots: tuple[str, ...], follow_links: bool, limits: Limits) -> list[Source]:
    if given == STDIN:
        return [Source("<stdin>", None)]
    path = Path(given)
    if path.is_dir():
        return _walk(path, roots, follow_links, limits)
    return [_file(path, roots, follow_links, limits)]


def _file(path: Path, roots: tuple[str, ...], follow_links: bool, limits: Limits) -> Source:
    """A file as a source: to be read, or with the reason it is not."""
    display = display_path(path)
    try:
        status = os.stat(path)
    except FileNotFoundError:
        if path.is_symlink():
            return Source(display, path, NotRead("cannot read file: broken symbolic link"))
        return Source(display, path, NotRead(f"cannot read file: {MISSING}", missing=True))
    except OSError as error:
        return Source(display, path, NotRead(f"cannot read file: {error.strerror or error}"))
    if not follow_links and path.is_symlink() and not _inside(_real(path), roots):
        return Source(display, path, NotRead(
            "not read: a symbolic link that leads outside the checked folders (--follow-links reads it)"))
    if not stat.S_ISREG(status.st_mode):
        return Source(display, path, NotRead(f"not read: not a regular file ({kind_of(status.st_mode)})"))
    if status.st_size > limits.file_size:
        return Source(display, path, too_big(status.st_size, limits))
    return Source(display, path)


def _walk(root: Path, roots: tuple[str, ...], follow_links: bool, limits: Limits) -> list[Source]:
    files: list[Source] = []
    visited: set[tuple[int, int]] = set()

    def unreadable(error: OSError) -> None:
        where = Path(error.filename or root)
        files.append(Source(display_path(where), where, NotRead(f"cannot read folder: {error.strerror or error}")))

    for folder, dirs, names in os.walk(root, followlinks=True, onerror=unreadable):
        status = os.stat(folder)
        identity = (status.st_dev, status.st_ino)
        if identity in visited:  # a symlink loop or a second way into the same folder
            dirs[:] = []
            continue
        visited.add(identity)
        kept = []
        for name in sorted(d for d in dirs if not d.startswith(".")):
            linked = Path(folder, name)
            if not follow_links and linked.is_symlink() and not _inside(_real(linked), roots):
                files.append(Source(display_path(linked), linked, NotRead(
                    "not read: a symbolic link to a folder outside the checked folders (--follow-links reads it)")))
            else:
                kept.append(name)
        dirs[:] = kept
        files.extend(_file(p, roots, follow_links, limits) for p in _input_files(folder, names))
        if len(files) > limits.files:  # enough to say where the limit is crossed
            break
    return sorted(files, key=lambda s: s.display)


def _input_files(folder: str, names: list[str]) -> list[Path]:
    """The files of a folder in an input format (:data:`usm_rules.read.formats.SUFFIXES`); hidden
    ones (.usm-rules.yaml, .gitlab-ci.yml) are tool settings."""
    return [Path(folder, n) for n in sorted(names) if n.lower().endswith(SUFFIXES) and not n.startswith(".")]


def display_path(path: Path | str) -> str:
    """The path as users see it: relative to the working folder when below it. Bytes of a name
    that are not UTF-8 are shown as ``\\xNN``, so every output format can carry it."""
    try:
        shown = Path(os.path.abspath(path)).relative_to(os.getcwd()).as_posix()
    except (ValueError, OSError):
        shown = Path(path).as_posix()
    try:
        shown.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes, kept by Python as lone surrogates
        shown = shown.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return shown


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


def read_source(source: Source, stdin: bytes | None = None, limits: Limits = DEFAULT_LIMITS) -> bytes | NotRead:
    """The bytes of a source, or why it is not read (see :func:`read_bounded`)."""
    if source.problem:
        return source.problem
    if source.path is None:
        data = stdin if stdin is not None else b""
        return too_big(len(data), limits) if len(data) > limits.file_size else data
    try:
        return read_bounded(source.path, limits.file_size)
    except TooBig:
        return too_big(None, limits)
    except NotRegular as error:
        return NotRead(f"not read: {error}")
    except IsADirectoryError:
        return NotRead("cannot read file: is a directory")
    except OSError as error:
        return NotRead(f"cannot read file: {error.strerror or error}")


