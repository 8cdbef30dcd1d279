"""A content-addressed cache of what each file gives a run (:class:`~usm_rules.check.file_work.FileWork`).

An entry's key is the SHA-256 of: the file's bytes, its displayed path, the reading settings,
and a fingerprint of this very installation (its version, the bytes of its code, schemas and
lexicons, the Python version). So an edited file, another configuration, an upgrade or a
development checkout with changed code never meets an old entry; nothing is ever trusted
across versions. Entries are written to a temporary file and renamed into place (atomic on
every platform), so concurrent runs at worst both compute an entry; an entry that cannot be
read is computed again. The folder is the platform's user cache folder unless told
otherwise; deleting it at any time is safe.

Entries are pickles: the folder is the user's own (a shared, writable folder must never be
given as ``--cache-dir``, as for any tool that caches this way).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from ..model.shipped import shipped
from ..version import __version__

_PACKAGE = Path(__file__).resolve().parents[1]  # the usm_rules package


def default_folder() -> Path:
    """The platform's user cache folder for usm-rules."""
    from platformdirs import user_cache_path  # only when the cache is used

    return user_cache_path("usm-rules", appauthor=False)


@cache
def fingerprint() -> str:
    """This installation: version, Python, and the bytes of everything that shapes a file's work."""
    digest = hashlib.sha256(f"{__version__}|{sys.version}|{pickle.HIGHEST_PROTOCOL}".encode())
    files = [(path.relative_to(_PACKAGE).as_posix(), path) for path in sorted(_PACKAGE.rglob("*.py"))]
    for folder in ("schemas", "lexicons"):
        files += [(f"{folder}/{path.name}", path) for path in sorted(shipped(folder).iterdir()) if path.is_file()]
    for name, path in files:
        digest.update(name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


class FileCache:
    """Entries under ``folder``/``kind``, keyed by content; ``salt`` is what else they depend on."""

    def __init__(self, folder: Path, salt: str, kind: str = "files") -> None:
        self.folder = folder
        self.kind = kind
        self._salt = f"{fingerprint()}|{salt}"

    def key(self, display: str, raw: bytes) -> str:
        digest = hashlib.sha256(self._salt.encode())
        digest.update(b"\0" + display.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(raw)
        return digest.hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / self.kind / key[:2] / key[2:]

    def get(self, key: str) -> Any | None:
        try:
            with open(self._path(key), "rb") as handle:
                value = pickle.load(handle)
        except Exception:  # noqa: BLE001 - missing, half-written by a crashed run, from another Python: a miss
            return None
        return value

    def put(self, key: str, value: Any) -> None:
        """Store an entry; a cache that cannot be written (read-only, full disk) is no error."""
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            try:
                with os.fdopen(handle, "wb") as out:
                    pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(temporary, path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError:
            return
