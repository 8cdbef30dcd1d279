"""Reading a file's bytes within bounds: regular files only, never more than a limit.

A FIFO would block a read and a device would never end one, so a file is opened without
blocking and checked once it is open; a file bigger than its bound is refused before it is read
whole. Every reason not to read is a :class:`NotRead` with a one-line reason.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from ..model.limits import Limits, size_text


@dataclass(frozen=True)
class NotRead:
    """Why a source is not read: a one-line reason, and whether a limit was crossed."""

    reason: str
    over_limit: bool = False
    missing: bool = False  # a given path that does not exist


def too_big(size: int | None, limits: Limits) -> NotRead:
    shown = f"of {size_text(size)} " if size is not None else ""
    return NotRead(f"file {shown}is bigger than the limit of {size_text(limits.file_size)} (limits.file-size); "
                   "not read", over_limit=True)


def kind_of(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device")):
        if test(mode):
            return name
    return "not a file"


class NotRegular(OSError):
    """A path that is no regular file (a FIFO would block a read, a device never end it)."""


class TooBig(OSError):
    """A file bigger than the bound it is read with."""


def read_bounded(path: Path | str, limit: int) -> bytes:
    """A regular file's bytes, at most ``limit`` of them (:class:`TooBig` beyond). The file is
    opened without blocking and checked once open, so a FIFO or device put in its place since
    it was found is never read (:class:`NotRegular`)."""
    data = read_start(path, limit + 1)
    if len(data) > limit:
        raise TooBig(f"bigger than {size_text(limit)}")
    return data


def read_start(path: Path | str, size: int) -> bytes:
    """The first ``size`` bytes of a regular file, opened as :func:`read_bounded` opens it."""
    handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(handle, "rb") as stream:
        mode = os.fstat(handle).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegular(f"not a regular file ({kind_of(mode)})")
        return stream.read(size)
