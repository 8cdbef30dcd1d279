"""``usm-rules convert``: BPMN diagrams written as usm/v1 YAML.

Each BPMN process becomes a Process that says what happens, without its who and how: the lanes
and assignees go to a Procedure (a RACI per step: the lane Accountable, an assignee
Responsible), the implementations of service, script, send and business-rule tasks to a
WorkInstruction. Gateways and conditions stay on the activities, so their findings stay
visible until someone redesigns the process. A diagram with several processes also gets a
ProcessModel that lists them and declares the forks between them (message flows between their
pools, calls of one by another). Never prints; the command line writes the files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..model.problems import Problem
from ..read.formats.bpmn_reader import convert_tree, file_stem, forks, read_tree, slug


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
        files.insert(0, Converted(f"{model_name}-model.yaml", (model,)))
    return files, []


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
