"""Which files a run reads: the files of every input format under the given paths, in a stable order."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from ..model.limits import Limits
from .files import NotRead, NotRegular, TooBig, kind_of, read_bounded, too_big
from .filters import Filters
from .formats import SUFFIXES

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
    them (:mod:`usm_rules.read.patterns`), each relative to its base: the configuration's
    folder, or, for the base :data:`CHECKED_TREE` (``--exclude``), the checked folder the path
    is found in (a file given by name: the given folder that holds it, else its own folder),
    wherever the run starts from. With ``include``, only the files it matches are read. An
    excluded folder is not entered. A bad pattern is a :class:`ConfigError` (exit 2).

    Only regular files are read. A symbolic link is followed only while it stays inside the
    checked roots (a given folder, or the folder of a given file), unless ``follow_links``; a
    link that leaves them, a FIFO, a socket or a device is returned with the reason it is not
    read, as is a file bigger than the file-size limit, and a path that cannot be opened (no
    permission, longer than the system allows): each is that path's finding. Hidden folders
    and files are skipped (unless named), symlink loops are cut, a path that does not exist is
    returned with a problem rather than dropped, and after ``limits.files`` files the next one
    says so and the rest is not listed.
    """
    filters = Filters.of(exclude, include)
    found: list[Source] = []
    seen: set[str] = set()
    roots = _roots(paths)
    folders = [os.path.abspath(given) for given in paths if given != STDIN and os.path.isdir(given)]
    for given in paths:
        for source in _expand(given, roots, folders, filters, follow_links, limits):
            key = source.display if source.path is None else str(_real(source.path))
            if key in seen:
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
        roots.append(str(_real(path if os.path.isdir(path) else path.parent)))
    return tuple(roots)


def _inside(real: Path, roots: tuple[str, ...]) -> bool:
    text = str(real)
    return any(text == root or text.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


def _expand(given: str, roots: tuple[str, ...], folders: list[str], filters: Filters, follow_links: bool,
            limits: Limits) -> list[Source]:
    if given == STDIN:
        return [Source("<stdin>", None)]
    whole = os.path.abspath(given)
    if os.path.isdir(given):
        return _walk(given, roots, filters.placed(_tree(whole, folders) or whole), follow_links, limits)
    placed = filters.placed(_tree(whole, folders) or os.path.dirname(whole))
    if placed.excludes(given, False) or not placed.includes(given, False):
        return []
    return [_file(Path(given), roots, follow_links, limits)]


def _tree(whole: str, folders: list[str]) -> str | None:
    """The checked tree a path is in: the outermost given folder at or above it (None: none is)."""
    holding = [f for f in folders if whole == f or whole.startswith(f.rstrip(os.sep) + os.sep)]
    return min(holding, key=len, default=None)


def _file(path: Path, roots: tuple[str, ...], follow_links: bool, limits: Limits) -> Source:
    """A file as a source: to be read, or with the reason it is not."""
    display = display_path(path)
    try:
        status = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            return Source(display, path, NotRead("cannot read file: broken symbolic link"))
        return Source(display, path, NotRead(f"cannot read file: {MISSING}", missing=True))
    except OSError as error:
        return Source(display, path, NotRead(f"cannot read file: {_why(error)}"))
    if not follow_links and os.path.islink(path) and not _inside(_real(path), roots):
        return Source(display, path, NotRead(
            "not read: a symbolic link that leads outside the checked folders (--follow-links reads it)"))
    if not stat.S_ISREG(status.st_mode):
        return Source(display, path, NotRead(f"not read: not a regular file ({kind_of(status.st_mode)})"))
    if status.st_size > limits.file_size:
        return Source(display, path, too_big(status.st_size, limits))
    return Source(display, path)


def _walk(root: str, roots: tuple[str, ...], filters: Filters, follow_links: bool, limits: Limits) -> list[Source]:
    """The sources below a folder, depth first in name order, without recursion (a tree of any
    depth): excluded folders are not entered; a folder that cannot be listed (no permission, a
    path longer than the system allows) is that folder's finding."""
    if filters.excludes(root, True):
        return []
    files: list[Source] = []
    visited: set[tuple[int, int]] = set()
    stack = [(root, filters.includes(root, True))]
    while stack and len(files) <= limits.files:  # beyond, enough to say where the limit is crossed
        folder, included = stack.pop()
        try:
            status = os.stat(folder)
            if (status.st_dev, status.st_ino) in visited:  # a symlink loop or a second way into the same folder
                continue
            visited.add((status.st_dev, status.st_ino))
            with os.scandir(folder) as listing:
                entries = sorted((entry.name, _is_folder(entry)) for entry in listing if not entry.name.startswith("."))
        except OSError as error:
            if included:
                files.append(_unreadable(folder, error))
            continue
        below = []
        for name, is_folder in entries:
            path = os.path.join(folder, name)
            if filters.excluded_here(path, is_folder):
                continue
            inside = included or filters.included_here(path, is_folder)
            if is_folder:
                below.append((path, inside))
            elif inside and name.lower().endswith(SUFFIXES):
                files.append(_file(Path(path), roots, follow_links, limits))
        for path, inside in reversed(below):
            if follow_links or not os.path.islink(path) or _inside(_real(Path(path)), roots):
                stack.append((path, inside))
            elif inside:
                files.append(Source(display_path(path), Path(path), NotRead(
                    "not read: a symbolic link to a folder outside the checked folders (--follow-links reads it)")))
    return sorted(files, key=lambda s: s.display)


def _is_folder(entry: os.DirEntry[str]) -> bool:
    """Whether an entry is a folder, following links (as os.walk does: an error means no)."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def _unreadable(folder: str, error: OSError) -> Source:
    return Source(display_path(folder), Path(folder), NotRead(f"cannot read folder: {_why(error)}"))


def _why(error: OSError) -> str:
    return error.strerror or str(error)


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
        return NotRead(f"cannot read file: {_why(error)}")


