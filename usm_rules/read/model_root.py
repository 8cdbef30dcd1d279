"""Where the process model of a file lives, so that one file can be checked in its model.

A process file alone gives false findings ("process 'recover' is in no process model") and
misses real ones (an activity repeated in another process). So when files are given, the run
reads their model as context and reports only what is located in them. The model's root is
the folder of the configuration in force (``.usm-rules.yaml``), else the nearest folder, from
the file's own upwards, that holds a ProcessModel, else the root of the git work tree the file
is in. A file with none of these is checked alone.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from .files import read_start
from .formats import by_name

_PROCESS_MODEL = re.compile(rb"^kind:[ \t]*[\"']?ProcessModel[\"']?[ \t]*(#.*)?$", re.MULTILINE)
_PEEK = 1_000_000  # bytes of a file looked at for a ProcessModel
_YAML = by_name("yaml").suffixes


def model_roots(files: list[str], config_path: str | None) -> list[str]:
    """The model root of each given file (each root once, in order); empty when none has one."""
    roots: list[str] = []
    for file in files:
        root = model_root(Path(file), config_path)
        if root is not None and str(root) not in roots:
            roots.append(str(root))
    return roots


def model_root(file: Path, config_path: str | None = None) -> Path | None:
    here = Path(os.path.abspath(file)).parent
    if config_path:
        folder = Path(os.path.abspath(config_path)).parent
        if here == folder or folder in here.parents:
            return folder
    for folder in (here, *here.parents):
        if _holds_model(folder):
            return folder
        if (folder / ".git").exists():
            return folder
    return None


def _holds_model(folder: Path) -> bool:
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return False
    for name in names:
        if name.startswith(".") or not name.lower().endswith(_YAML):
            continue
        if _PROCESS_MODEL.search(_peek(folder / name)):
            return True
    return False


def _peek(path: Path) -> bytes:
    """The start of a regular file (nothing for anything else: a FIFO must not block this)."""
    try:
        return read_start(path, _PEEK)
    except OSError:  # NotRegular included
        return b""
