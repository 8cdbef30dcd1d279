"""One version of a model written to a folder blob by blob, as ``check`` would find it in a checkout.

The folder holds the version at its paths from the work tree's root, so discovery meets it as
it would meet a checkout (hidden folders, exclusions, links and all), and the verdict is the
one ``check`` gives that commit's checkout. Written:

- the files named as an input format (``*.yaml``, ``*.bpmn``...), the given path itself, and
  the files a link of the version points at; no other blob is ever read;
- a file over the file-size limit as a sparse file of its size (a hole: no byte is written,
  none read from git), which discovery refuses by its size, as check does: check's own
  over-limit finding (USM0017) at that file, with the blob's size;
- each symbolic link as the link it is, made after every file (so no write ever goes through
  one): discovery follows it only to a file of this version inside the checked folder and
  refuses one that leaves it, as check does. Nothing outside the version is ever read.

A submodule is another repository: not read, and listed with the reason, as is anything that
could not be written here.
"""

from __future__ import annotations

import io
import os
import posixpath
from collections.abc import Callable
from pathlib import Path

from ..model.limits import Limits, size_text
from ..read.formats import named
from .blobs import BlobReader
from .repository import Entry

LINK_SIZE = 4_096  # bytes of a link's target (PATH_MAX); a longer one is no link a checkout could make


def write_version(entries: list[Entry], inside: str, folder: Path, blobs: BlobReader, limits: Limits,
                  elsewhere: Callable[[str], Entry | None]) -> tuple[str, ...]:
    """The entries at or below ``inside`` written under ``folder`` at their paths from the root;
    what was not read, each as ``path (why)``. ``elsewhere`` says what the version holds at a
    path outside ``inside`` (where a link points)."""
    not_read: list[str] = []
    links = [(item, _target(item, blobs, not_read)) for item in entries if item.is_link and _safe(item, not_read)]
    pointed = {_pointed(item.path, target) for item, target in links if target is not None}
    for path in sorted(p for p in pointed if _outside(p, inside)):
        _stand_in(folder, path, elsewhere(path))
    for item in entries:
        hidden = _hidden(item.path, inside)  # discovery never looks there, unless a link points there
        readable = not hidden and (item.path == inside or named(item.path) is not None)
        if item.kind == "commit":
            if not hidden:
                not_read.append(f"{item.path} (a submodule: not read)")
        elif item.is_file and (readable or item.path in pointed):
            if not _safe(item, not_read):
                continue
            if item.size > limits.file_size:
                not_read.append(f"{item.path} ({size_text(item.size)}: over the file-size limit, not read)")
            _write(folder, item, blobs, limits, not_read)
    for item, target in links:
        if target is not None:
            _link(folder, item, target, not_read)
    return tuple(not_read)


def _target(item: Entry, blobs: BlobReader, not_read: list[str]) -> str | None:
    """Where a link points (the bytes of its blob), or None when no checkout could make it."""
    if item.size > LINK_SIZE:
        not_read.append(f"{item.path} (a symbolic link to a path of {item.size} bytes: not made)")
        return None
    buffer = io.BytesIO()
    blobs.copy(item.oid, item.size, buffer)
    target = os.fsdecode(buffer.getvalue())
    if not target or "\0" in target:
        not_read.append(f"{item.path} (a symbolic link to no path: not made)")
        return None
    return target


def _pointed(path: str, target: str) -> str:
    """The path from the root a link's target names (as text: nothing is resolved on disk)."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(path), target))


def _outside(path: str, inside: str) -> bool:
    """Whether a path from the root lies in the work tree but outside ``inside``."""
    if path.startswith(("/", "../")) or path == ".." or inside == ".":
        return False
    return path != inside and not path.startswith(inside + "/")


def _stand_in(folder: Path, path: str, found: Entry | None) -> None:
    """What a link that leaves the checked folder points at, made empty (a folder, or a file)
    outside it, so that discovery refuses the link as leaving, as check does in a checkout."""
    if found is None:
        return  # nothing there: the link is broken in the checkout too
    place = folder.joinpath(*path.split("/"))
    try:
        if found.kind == "tree":
            place.mkdir(parents=True, exist_ok=True)
        else:
            place.parent.mkdir(parents=True, exist_ok=True)
            place.touch(exist_ok=True)
    except OSError:
        return  # the link then reads as broken: not read all the same


def _write(folder: Path, item: Entry, blobs: BlobReader, limits: Limits, not_read: list[str]) -> None:
    """``item``'s file under ``folder``: its blob's bytes, or a hole of its size when over the limit."""
    target = folder.joinpath(*item.path.split("/"))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "xb") as out:
            if item.size > limits.file_size:
                out.truncate(item.size)
            else:
                blobs.copy(item.oid, item.size, out)
    except OSError as error:
        not_read.append(f"{item.path} (not written for the check: {error.strerror or error})")


def _link(folder: Path, item: Entry, target: str, not_read: list[str]) -> None:
    place = folder.joinpath(*item.path.split("/"))
    try:
        place.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, place)
    except OSError as error:
        not_read.append(f"{item.path} (a symbolic link not made for the check: {error.strerror or error})")


def _hidden(path: str, inside: str) -> bool:
    """Whether discovery, given ``inside``, skips ``path`` (a hidden name below it)."""
    relative = path if inside == "." else path[len(inside) + 1:]
    return any(part.startswith(".") for part in relative.split("/") if part)


def _safe(item: Entry, not_read: list[str]) -> bool:
    """No name that would leave the folder or name nothing (git's own fsck refuses them, and no
    checkout makes them)."""
    if all(part not in ("", ".", "..") and "\0" not in part for part in item.path.split("/")):
        return True
    not_read.append(f"{item.path} (a name no checkout could hold)")
    return False
