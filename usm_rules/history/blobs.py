"""Blobs read from git's object store, one at a time, through one long-lived ``git cat-file --batch``.

A blob is asked for only once its size (from ``git ls-tree --long``) is known to be within the
limit, and its bytes are copied to a file in chunks: what history holds in memory is one chunk,
never a version, and a blob over the limit is never read by git or by us.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from types import TracebackType
from typing import IO

from .repository import HistoryError, environment

CHUNK = 1_048_576


class BlobReader:
    """``git cat-file --batch`` in ``root``, for as long as the ``with`` block lasts."""

    def __init__(self, root: Path) -> None:
        self._root = root
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> BlobReader:
        try:
            self._process = subprocess.Popen(["git", "cat-file", "--batch"], cwd=self._root, env=environment(),
                                             stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                             stderr=subprocess.DEVNULL)
        except OSError as error:
            raise HistoryError(f"git cat-file: {error.strerror or error}") from None
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        # ended, not waited for: the run's forked workers hold a copy of its standard input, so
        # closing ours is no end of input to git
        process.kill()
        process.wait()
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                stream.close()

    def copy(self, oid: str, size: int, target: IO[bytes]) -> None:
        """Write the blob ``oid`` of ``size`` bytes to ``target`` (an :class:`OSError` writing it is
        raised once the blob is read to its end)."""
        process = self._process
        if process is None or process.stdin is None or process.stdout is None:
            raise HistoryError("git cat-file is not running")
        try:
            process.stdin.write(oid.encode("ascii") + b"\n")
            process.stdin.flush()
        except OSError:
            raise HistoryError("git cat-file stopped answering") from None
        header = process.stdout.readline().split()
        if len(header) != 3 or header[1] != b"blob" or header[2] != str(size).encode():
            said = b" ".join(header).decode("utf-8", "replace") or "nothing"
            raise HistoryError(f"git cat-file {oid[:10]}: expected a blob of {size} bytes, got {said}")
        left, failed = size, None
        while left:
            chunk = process.stdout.read(min(left, CHUNK))
            if not chunk:
                raise HistoryError(f"git cat-file {oid[:10]}: the blob ended early")
            if failed is None:
                try:
                    target.write(chunk)
                except OSError as error:  # a full disk: the rest is still read, so the next blob can be
                    failed = error
            left -= len(chunk)
        process.stdout.read(1)  # the newline after each object
        if failed is not None:
            raise failed
