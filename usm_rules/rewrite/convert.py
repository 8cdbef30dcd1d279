"""``usm-rules convert``: BPMN diagrams written as usm/v1 YAML.

Each BPMN process becomes a Process that says what happens, without its who and how: the lanes
and assignees go to a Procedure (a RACI per step: the lane Accountable, an assignee
Responsible), the implementations of service, script, send and business-rule tasks to a
WorkInstruction. Gateways and conditions stay on the activities, so their findings stay
visible until someone redesigns the process. A diagram with several processes also gets a
ProcessModel that lists them and declares the forks between them (message flows between their
pools, calls of one by another). Never prints; the command line writes the files.

Each process goes to ``<name>.yaml`` (a slug: letters, digits and dashes) and the model to
``<file>.model.yaml``, a name no slug can have. Each file opens with a comment that says it was
written by usm-rules convert from which diagram, with the digest of the YAML below it: a new
convert replaces the file while the digest holds (:func:`foreign`), an edited file only with
--force.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..model.problems import Problem
from ..output.escape import visible
from ..read.formats.bpmn_reader import convert_tree, file_stem, forks, read_tree, slug
from .yaml_writer import dump

if TYPE_CHECKING:
    from ..output.writes import Existing

MODEL_SUFFIX = ".model.yaml"  # a process's file is <slug>.yaml, and a slug holds no dot
_WRITTEN = "# Written by usm-rules convert from {source} (sha256 of the YAML below: {digest})."
_NOTE = "# usm-rules convert replaces this file while it is unchanged; once edited, only with --force."
_HEADER = re.compile(rb"# Written by usm-rules convert from .* \(sha256 of the YAML below: ([0-9a-f]{16})\)\.\n"
                     + re.escape(_NOTE.encode()) + rb"\n")


@dataclass(frozen=True)
class Converted:
    """One output file: its name in the output folder, and its YAML documents."""

    name: str
    documents: tuple[dict[str, Any], ...]


def convert(file: str, raw: bytes) -> tuple[list[Converted], list[Problem]]:
    """The usm/v1 files for one BPMN file, or the problems that stop it being read."""
    tree = read_tree(raw)  # read once: the processes and the forks between them
    if isinstance(tree, Problem):
        return [], [tree]
    stem = file_stem(file)
    declared = forks(tree, stem)
    processes = [data for data, _ in convert_tree(tree, stem)]
    files = []
    for process in processes:
        name = process["metadata"]["name"]
        routines = _routines(process)
        files.append(Converted(f"{name}.yaml", (process, *routines)))
    if len(processes) > 1:
        model_name = slug(stem)
        spec: dict[str, Any] = {"processes": [p["metadata"]["name"] for p in processes]}
        if declared:  # message flows and calls between the processes: forks, declared in the model
            spec["forks"] = [{"from": source, "to": target} for source, target in declared]
        model = {"apiVersion": "usm/v1", "kind": "ProcessModel",
                 "metadata": {"name": model_name, "title": f"Processes of {Path(file).name}"}, "spec": spec}
        for process in processes:
            process["spec"] = {"model": model_name, **process["spec"]}
        files.insert(0, Converted(f"{model_name}{MODEL_SUFFIX}", (model,)))
    return files, []


def text(converted: Converted, source: str) -> str:
    """The file's YAML, under the comment that says it was converted from ``source`` (a diagram's
    name) and the digest of what follows."""
    body = dump(list(converted.documents))
    return _WRITTEN.format(source=visible(Path(source).name), digest=_digest(body.encode("utf-8"))) + \
        f"\n{_NOTE}\n{body}"


def foreign(existing: Existing) -> str | None:
    """Why a file is not one usm-rules convert wrote and nobody has edited since, or None."""
    header = _HEADER.match(existing.head)
    if header is None:
        older = existing.head.startswith(b"# Converted from ") and b" by usm-rules convert." in existing.head[:4096]
        return ("an older usm-rules convert wrote it, with no digest to tell whether it was edited since" if older
                else "it exists and usm-rules convert did not write it")
    if not existing.whole or _digest(existing.head[header.end():]) != header[1].decode():
        return "it was edited after usm-rules convert wrote it"
    return None


def _digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()[:16]


def _routines(process: dict[str, Any]) -> list[dict[str, Any]]:
    """Take who and how off the process's activities; return the Procedure and WorkInstruction
    that hold them (none when the process says neither)."""
    name, title = process["metadata"]["name"], process["metadata"]["title"]
    steps, how = [], []
    for activity in process["spec"].get("activities", []):
        lane, role = activity.pop("performer", None), activity.pop("role", None)
        tool = activity.pop("tool", None)
        raci: dict[str, str] = {}
        if role:
            raci[str(role)] = "R"
        if lane:
            raci[str(lane)] = "A"  # the lane answers for the step
        elif role:
            raci[str(role)] = "A"
        if raci:
            steps.append({"activity": activity["id"], "raci": raci})
        if tool:
            how.append({"activity": activity["id"], "how": f"Carried out by {tool}"})
    routines: list[dict[str, Any]] = []
    if steps:
        routines.append({"apiVersion": "usm/v1", "kind": "Procedure",
                         "metadata": {"name": f"{name}-procedure"[:100], "title": f"{title} procedure"},
                         "spec": {"process": name, "steps": steps}})
    if how:
        spec: dict[str, Any] = {"process": name}
        if steps:
            spec["procedure"] = f"{name}-procedure"[:100]
        spec["steps"] = how
        routines.append({"apiVersion": "usm/v1", "kind": "WorkInstruction",
                         "metadata": {"name": f"{name}-work-instruction"[:100], "title": f"{title} work instruction"},
                         "spec": spec})
    return routines
