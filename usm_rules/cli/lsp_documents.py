"""Which open documents the language server checks: a document's URI made a path, or the reason not.

An editor names each open document by a URI, and the server reads the document's model from
disk around it, so a URI is a request to read: ``file:///`` would be the whole machine, a URI
with ``%00`` a path no system call takes. A document is checked only when its URI names a plain
file path (a ``file:`` URI on this host, absolute, without a NUL or control character, without
``..``, not ending in ``/``) that is a regular file or not there yet (a new document, checked from
its text), inside one of the workspace's folders once symbolic links are resolved. With no
workspace, any plain file path is. Every other URI gets no diagnostics, and the reason.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..read.files import kind_of

_DRIVE = re.compile(r"^/[A-Za-z]:")  # file:///C:/... on Windows


def plain_path(uri: str) -> Path | str:
    """The absolute path a ``file:`` URI names, or why it names none."""
    parts = urlsplit(uri)
    if parts.scheme != "file":
        return f"not a file on disk (a '{parts.scheme}:' document)" if parts.scheme else "not a URI"
    if parts.netloc not in ("", "localhost"):
        return f"a file on another host ({parts.netloc})"
    try:
        text = unquote(parts.path, errors="strict")
    except UnicodeDecodeError:
        return "a path that is not UTF-8"
    if any(ord(c) < 32 or ord(c) == 127 for c in text):
        return "a path with a NUL or control character"
    if _DRIVE.match(text) and os.name == "nt":  # pragma: no cover - Windows
        text = text[1:]
    if not os.path.isabs(text):
        return "not an absolute path"
    if ".." in text.split("/"):
        return "a path with '..'"
    return Path(text)


def folders(uris: Iterable[str]) -> list[Path]:
    """The workspace's folders, as real paths (those that name none left out)."""
    found = []
    for uri in uris:
        path = plain_path(uri)
        if isinstance(path, Path):
            try:
                found.append(path.resolve())
            except (OSError, RuntimeError):
                continue
    return found


def document_path(uri: str, roots: list[Path]) -> Path | str:
    """The file an open document stands for, or why it is not checked (``roots``: the real
    workspace folders; none: any plain file path)."""
    path = plain_path(uri)
    if isinstance(path, str):
        return path
    if urlsplit(uri).path.endswith("/"):
        return "a folder, not a file"
    try:
        real = path.resolve()
    except (OSError, RuntimeError) as error:
        return f"a path that cannot be resolved ({getattr(error, 'strerror', None) or error})"
    if roots and not any(real == root or real.is_relative_to(root) for root in roots):
        return "outside the workspace's folders"
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return path  # a new document, not saved yet: checked from its text
    except OSError as error:
        return f"a path that cannot be read ({error.strerror or error})"
    if not stat.S_ISREG(mode):
        return f"not a regular file ({kind_of(mode)})"
    return path

