"""Where the process model of a file lives, so that one file can be checked in its model.

A process file alone gives false findings ("process 'recover' is in no process model") and
misses real ones (an activity repeated in another process). So when files are given, the run
reads their model as context and reports only what is located in them. The model's root is:

1. the folder of the configuration in force (``.usm-rules.yaml``), when the file is below it;
2. else the nearest folder, from the file's own upwards, that holds a ProcessModel;
3. else the root of the git work tree the file is in, but only when a ProcessModel somewhere in
   that tree lists one of the file's processes (a repository of unrelated diagrams and YAML is
   not one model: reading it all would judge the file by copies of other models);
4. else the file's own folder.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..model.limits import Limits
from .files import read_start
from .formats import by_name, format_for

_PROCESS_MODEL = re.compile(rb"^kind:[ \t]*[\"']?ProcessModel[\"']?[ \t]*(#.*)?$", re.MULTILINE)
_PEEK = 1_000_000  # bytes of a file looked at for a ProcessModel
_YAML = by_name("yaml").suffixes
_SCAN = 20_000  # files of a work tree looked at, at most, for a model that claims a file


def model_roots(files: list[str], config_path: str | None,
                overlay: Mapping[str, bytes] | None = None) -> list[str]:
    """The model root of each given file (each root once, in order). ``overlay`` gives some files'
    bytes by real path (an editor's unsaved text, standard input named by --stdin-filename)."""
    roots: list[str] = []
    for file in files:
        root = model_root(Path(file), config_path, overlay)
        if str(root) not in roots:
            roots.append(str(root))
    return roots


def model_root(file: Path, config_path: str | None = None, overlay: Mapping[str, bytes] | None = None) -> Path:
    here = Path(os.path.abspath(file)).parent
    if config_path:
        folder = Path(os.path.abspath(config_path)).parent
        if here == folder or folder in here.parents:
            return folder
    for folder in (here, *here.parents):
        if _holds_model(folder):
            return folder
        if (folder / ".git").exists():
            return folder if _claimed(folder, file, overlay or {}) else here
    return here


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


def _claimed(root: Path, file: Path, overlay: Mapping[str, bytes]) -> bool:
    """Whether a ProcessModel below ``root`` (hidden folders left out) lists a process of ``file``."""
    names = _processes_of(file, overlay)
    if not names:
        return False
    seen = 0
    for folder, dirs, found in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(found):
            if name.startswith(".") or not name.lower().endswith(_YAML):
                continue
            seen += 1
            if seen > _SCAN:
                return False
            raw = _peek(Path(folder, name))
            if _PROCESS_MODEL.search(raw) and names & _listed(Path(folder, name), raw):
                return True
    return False


def _processes_of(file: Path, overlay: Mapping[str, bytes]) -> set[str]:
    """The names of the processes a file declares, read as its format reads it."""
    try:
        given = overlay.get(str(file.resolve()))
        raw = given[:_PEEK] if given is not None else read_start(file, _PEEK)  # an editor's text: its start too
    except (OSError, RuntimeError):
        return set()
    try:
        loaded = format_for(str(file), raw).read(str(file), raw, Limits())
    except Exception:  # noqa: BLE001 - a reader's bug: the file is that run's finding, not the model's
        return set()
    return {str(d.data["metadata"]["name"]) for d in loaded.documents if _kind(d.data) == "Process"
            and isinstance(d.data.get("metadata"), dict) and isinstance(d.data["metadata"].get("name"), str)}


def _listed(path: Path, raw: bytes) -> set[str]:
    """The processes a YAML file's ProcessModels list."""
    try:
        loaded = by_name("yaml").read(str(path), raw, Limits())
    except Exception:  # noqa: BLE001 - as above
        return set()
    listed: set[str] = set()
    for document in loaded.documents:
        spec = document.data.get("spec")
        processes = spec.get("processes") if isinstance(spec, dict) else None
        if _kind(document.data) == "ProcessModel" and isinstance(processes, list):
            listed |= {str(name) for name in processes}
    return listed


def _kind(data: Any) -> str:
    return data.get("kind", "") if isinstance(data, dict) else ""


def _peek(path: Path) -> bytes:
    """The start of a regular file (nothing for anything else: a FIFO must not block this)."""
    try:
        return read_start(path, _PEEK)
    except OSError:  # NotRegular included
        return b""
