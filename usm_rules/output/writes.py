"""Reports written whole or not at all.

A report file is written to a temporary file beside it and renamed into place, so a run that
fails or is interrupted while writing leaves the previous report as it was, never a torn one.
A target that is not a regular file (``/dev/stdout``, a FIFO, a device) is written directly.
Every failure is an :class:`OutputError` with one line saying why.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

_writing: set[str] = set()  # temporary files being written now


def abandon() -> None:
    """Remove the temporary files of outputs being written (a run stopped by a signal)."""
    for temporary in list(_writing):
        Path(temporary).unlink(missing_ok=True)


class OutputError(Exception):
    """An output that cannot be written: one line, naming the file and the reason."""


def write_text(target: str, text: str) -> None:
    """``text`` (UTF-8, ``\\n`` line ends) as the whole content of the file ``target``."""
    data = text.encode("utf-8")
    try:
        status = os.stat(target)
    except FileNotFoundError:
        status = None
    except OSError as error:
        raise OutputError(f"cannot write {target}: {error.strerror or error}") from None
    if status is not None and stat.S_ISDIR(status.st_mode):
        raise OutputError(f"cannot write {target}: is a folder")
    if status is not None and not stat.S_ISREG(status.st_mode):
        _write_directly(target, data)
        return
    real = Path(os.path.realpath(target))  # a link to a report is kept a link: its target is replaced
    try:
        handle, temporary = tempfile.mkstemp(dir=real.parent, prefix=f".{real.name}.", suffix=".tmp")
    except OSError as error:
        raise OutputError(f"cannot write {target}: {error.strerror or error}") from None
    _writing.add(temporary)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, stat.S_IMODE(status.st_mode) if status is not None else 0o666 & ~_umask())
        os.replace(temporary, real)
    except BaseException as error:  # an interrupt too: the temporary file never stays behind
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise OutputError(f"cannot write {target}: {error.strerror or error}") from None
        raise
    finally:
        _writing.discard(temporary)


def _write_directly(target: str, data: bytes) -> None:
    try:
        with open(target, "wb") as stream:
            stream.write(data)
    except OSError as error:
        raise OutputError(f"cannot write {target}: {error.strerror or error}") from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


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
