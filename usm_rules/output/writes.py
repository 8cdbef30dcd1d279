"""Files written whole, never over what is not ours, never through a link.

Every command that writes files comes here (``check -o``, ``baseline create``, ``report``,
``history -o``, ``convert``, ``docs``; ``fix`` to come), and every write keeps these promises:

- whole or not at all: a file is written to a temporary file beside it and renamed into place,
  so a run that fails or is stopped while writing leaves the previous file as it was;
- nothing that exists is replaced unless it is the tool's own output (``foreign`` says why a
  file is not) or ``force`` is given; an empty file holds nothing to lose;
- nothing through a symbolic link: a link where a file is to go is refused, and the files of a
  folder go inside it (no ``..``, no link below it, checked again right before each rename);
- two files that would share a name are refused before anything is written.

A target that is not a regular file (a FIFO, a device, or a link to one) is written directly,
and ``/dev/stdout``, ``/dev/fd/N`` at the descriptor the process holds. Every refusal or failure
is an :class:`OutputError` with one line; the command line makes it exit 2. Never prints.

:func:`write_text` writes one file (an ``-o``); :func:`write_files` a set of files into one folder
(``convert``, ``docs``; ``fix`` will pass the files it rewrites, with a ``foreign`` that says
which changed since they were read).
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path, PurePosixPath

HEAD, TAIL = 1 << 20, 1 << 16  # the bytes of an existing file its owner is recognised by
_writing: set[str] = set()  # temporary files being written now
_DESCRIPTOR = re.compile(r"/dev/std(out|err)|/dev/fd/(\d+)|/proc/self/fd/(\d+)")


class OutputError(Exception):
    """An output that is refused or cannot be written: one line, naming the file and the reason."""


@dataclass(frozen=True)
class Existing:
    """A file that is where an output is to go: its first and last bytes (``whole``: all of it)."""

    path: str
    head: bytes
    tail: bytes
    whole: bool


Foreign = Callable[[Existing], "str | None"]  # why a file that is there is not the tool's own ("it exists and
# usm-rules did not write it"), or None


@dataclass(frozen=True)
class Planned:
    """One file of a folder to write: its path inside the folder (``/`` between names), its text,
    and what it is made from (named when two files would share a name)."""

    name: str
    text: str
    source: str = ""


def abandon() -> None:
    """Remove the temporary files of outputs being written (a run stopped by a signal)."""
    for temporary in list(_writing):
        Path(temporary).unlink(missing_ok=True)


def write_text(target: str, text: str, *, foreign: Foreign, force: bool = False) -> None:
    """``text`` (UTF-8) as the whole content of the file ``target``."""
    data = text.encode("utf-8")
    if (match := _DESCRIPTOR.fullmatch(os.path.abspath(target))) is not None:
        _to_descriptor(target, data, {"out": 1, "err": 2}.get(match[1] or "") or int(match[2] or match[3]))
        return
    status = _lstat(target)
    if status is not None and stat.S_ISLNK(status.st_mode):
        pointed = _lstat(target, follow=True)
        if pointed is None or stat.S_ISREG(pointed.st_mode) or stat.S_ISDIR(pointed.st_mode):
            raise OutputError(_link(target))
        status = pointed  # a link to a device or a FIFO: written directly, as the device itself
    if status is not None and stat.S_ISDIR(status.st_mode):
        raise OutputError(f"cannot write {target}: is a folder")
    if status is not None and not stat.S_ISREG(status.st_mode):
        _write_directly(target, data)
        return
    if status is not None and (why := _refusal(target, status, foreign, force)):
        raise OutputError(why)
    _replace(target, data, status, inside=None)


def write_files(folder: str, files: Sequence[Planned], *, foreign: Foreign, force: bool = False,
                prune: str = "") -> tuple[list[str], list[str]]:
    """Write ``files`` into ``folder`` (created if needed), each whole, after checking them all:
    refused, nothing is written. ``prune`` (a pattern such as ``rules/*.md``) names where files no
    longer written are removed, those of the tool's own only. Returns the paths written and removed."""
    _refuse_clashes(folder, files)
    root = _made(folder)
    targets = [_place(folder, item.name) for item in files]
    refusals = [why for path in targets if (status := _lstat(path)) is not None
                and (why := _refusal(path, status, foreign, force))]
    if refusals:
        more = len(refusals) - 1
        raise OutputError(refusals[0] + (f" (and {more} more file{'s' if more > 1 else ''})" if more else ""))
    for item, path in zip(files, targets, strict=True):
        for parent in reversed(Path(path).parents):
            if len(parent.parts) > len(Path(folder).parts):
                _mkdir(parent, path)
        _replace(path, item.text.encode("utf-8"), _lstat(path), inside=root)
    removed = _prune(folder, prune, set(targets), foreign) if prune else []
    return targets, removed


def is_one_of(target: str, files: Iterable[str]) -> bool:
    """Whether ``target`` is the same file as one of ``files`` (paths that exist)."""
    try:
        if not os.path.isfile(target):
            return False
    except (OSError, ValueError):
        return False
    for path in files:
        try:
            if os.path.samefile(target, path):
                return True
        except (OSError, ValueError):
            continue
    return False


def _refuse_clashes(folder: str, files: Sequence[Planned]) -> None:
    made_by: dict[str, Planned] = {}
    for item in files:
        key = PurePosixPath(item.name).as_posix().casefold()  # one file on a case-insensitive disk
        if (other := made_by.setdefault(key, item)) is not item:
            shown = os.path.join(folder, item.name)
            raise OutputError(f"{other.source} gives {shown} twice; nothing written" if other.source == item.source
                              else f"{other.source} and {item.source} both give {shown}; nothing written")


def _place(folder: str, name: str) -> str:
    """The path of a file of ``folder``, refused when it would lie outside it or below a link."""
    path = os.path.join(folder, name)
    parts = PurePosixPath(name).parts
    if not parts or PurePosixPath(name).is_absolute() or any(p in ("", ".", "..") or "\\" in p for p in parts):
        raise OutputError(f"cannot write {path}: outside {folder}")
    for depth in range(1, len(parts)):
        below = os.path.join(folder, *parts[:depth])
        status = _lstat(below, path)
        if status is None:
            break
        if stat.S_ISLNK(status.st_mode):
            raise OutputError(f"cannot write {path}: {below} is a symbolic link; nothing is written through one")
        if not stat.S_ISDIR(status.st_mode):
            raise OutputError(f"cannot write {path}: {below} is not a folder")
    return path


def _made(folder: str) -> str:
    """The folder, created if needed, as a resolved path."""
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
        if not Path(folder).is_dir():
            raise NotADirectoryError
    except (FileExistsError, NotADirectoryError):
        raise OutputError(f"cannot write {folder}: not a folder") from None
    except OSError as error:
        raise OutputError(f"cannot write {folder}: {error.strerror or error}") from None
    return os.path.realpath(folder)


def _mkdir(path: Path, shown: str) -> None:
    """A folder below the one written into: made, or there already (never a link)."""
    try:
        path.mkdir()
    except FileExistsError:
        if path.is_symlink() or not path.is_dir():
            raise OutputError(f"cannot write {shown}: {path} is a symbolic link or not a folder") from None
    except OSError as error:
        raise OutputError(f"cannot write {shown}: {error.strerror or error}") from None


def _refusal(path: str, status: os.stat_result, foreign: Foreign, force: bool) -> str | None:
    """Why the file at ``path`` may not be replaced, or None."""
    if stat.S_ISLNK(status.st_mode):
        return _link(path)
    if stat.S_ISDIR(status.st_mode):
        return f"cannot write {path}: is a folder"
    if not stat.S_ISREG(status.st_mode):
        return f"cannot write {path}: not a regular file"
    if force or status.st_size == 0:
        return None
    why = foreign(_sample(path))
    return f"cannot write {path}: {why}; --force replaces it" if why else None


def _link(shown: str) -> str:
    return f"cannot write {shown}: it is a symbolic link; nothing is written through one (name the file it leads to)"


def _sample(path: str) -> Existing:
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(handle, "rb") as stream:
            head = stream.read(HEAD)
            whole = not stream.read(1)
            if not whole:
                stream.seek(-TAIL, os.SEEK_END)
            return Existing(path, head, head[-TAIL:] if whole else stream.read(), whole)
    except OSError as error:
        raise OutputError(f"cannot write {path}: cannot read what is there: {error.strerror or error}") from None


def _replace(shown: str, data: bytes, status: os.stat_result | None, inside: str | None) -> None:
    """Write ``data`` beside ``shown`` and rename it into place (a new file never replaces one that
    appeared meanwhile); ``inside``: the folder it must still be in."""
    path = Path(os.path.abspath(shown))
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise OutputError(f"cannot write {shown}: {error.strerror or error}") from None
    _writing.add(temporary)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, stat.S_IMODE(status.st_mode) if status is not None else 0o666 & ~_umask())
        if inside is not None and not _within(os.path.realpath(path.parent), inside):
            raise OutputError(f"cannot write {shown}: its folder now leads outside {inside}")
        if status is None:
            _create(temporary, path, shown)
        else:
            os.replace(temporary, path)
    except BaseException as error:  # an interrupt too: the temporary file never stays behind
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise OutputError(f"cannot write {shown}: {error.strerror or error}") from None
        raise
    finally:
        _writing.discard(temporary)


def _create(temporary: str, path: Path, shown: str) -> None:
    """A hard link, then the temporary name removed: fails rather than replace a file (or a link)
    that appeared since the check; a rename where the file system has no hard links."""
    try:
        os.link(temporary, path, follow_symlinks=False)
    except FileExistsError:
        raise OutputError(f"cannot write {shown}: a file appeared there while writing; nothing replaced") from None
    except (OSError, NotImplementedError):
        os.replace(temporary, path)
        return
    os.unlink(temporary)


def _prune(folder: str, pattern: str, kept: set[str], foreign: Foreign) -> list[str]:
    """Remove the regular files of ``folder`` matching ``pattern`` that were not written now and
    are the tool's own; a link, a folder or another's file stays."""
    where, _, names = pattern.rpartition("/")
    below = os.path.join(folder, where) if where else folder
    removed: list[str] = []
    if os.path.islink(below) or not os.path.isdir(below):
        return removed
    try:
        entries = sorted(os.scandir(below), key=lambda e: e.name)
    except OSError as error:
        raise OutputError(f"cannot list {below}: {error.strerror or error}") from None
    for entry in entries:
        shown = os.path.join(below, entry.name)
        if shown in kept or not fnmatchcase(entry.name, names) or not entry.is_file(follow_symlinks=False):
            continue
        status = _lstat(shown)
        if status is not None and status.st_size and foreign(_sample(shown)) is None:
            try:
                os.unlink(shown)
            except OSError as error:
                raise OutputError(f"cannot remove {shown}: {error.strerror or error}") from None
            removed.append(shown)
    return removed


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _lstat(path: str, shown: str = "", follow: bool = False) -> os.stat_result | None:
    """What is at ``path`` (a link itself, unless ``follow``), or None when nothing is."""
    try:
        return os.stat(path, follow_symlinks=follow)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise OutputError(f"cannot write {shown or path}: {error.strerror or error}") from None


def _write_directly(target: str, data: bytes) -> None:
    """A device or a FIFO: opened as it is (never created, never a regular file)."""
    try:
        handle = os.open(target, os.O_WRONLY | getattr(os, "O_BINARY", 0))
        try:
            if stat.S_ISREG(os.fstat(handle).st_mode):
                raise OutputError(f"cannot write {target}: it became a regular file while writing; nothing written")
            _all(handle, data)
        finally:
            os.close(handle)
    except OSError as error:
        raise OutputError(f"cannot write {target}: {error.strerror or error}") from None


def _to_descriptor(target: str, data: bytes, descriptor: int) -> None:
    """``/dev/stdout``, ``/dev/fd/N``: the descriptor this process holds, at its own position."""
    try:
        _all(descriptor, data)
    except OSError as error:
        raise OutputError(f"cannot write {target}: {error.strerror or error}") from None


def _all(handle: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(handle, view):]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
