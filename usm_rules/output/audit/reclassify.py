"""Items declared as processes that the findings show to be practices or routines, and the USM
process each most likely belongs to. A transparent heuristic; the report prints it whole.

What it is (from the counting findings on the item):

- a requirement-2 finding (a noun title such as "Incident Management") makes it a *practice*:
  a named way of working that fixes the actions, the performers and optionally the tools;
- otherwise requirement-1 findings about who or how make it a routine derived from a process:
  a *work instruction* when it names tools or says how, a *procedure* when it names roles only.
  Findings are told apart by requirement and by what they are evidence of (their ``aspect``,
  from the fact they were found on), never by rule id, so a rule pack's findings count too.

Where it belongs: each trigger scores 2 for its USM process (:data:`TRIGGERS`), each keyword
stem found at the start of a word of the title or the name scores 1 (:data:`KEYWORDS`). The
highest score wins; a tie names every process that shares it, in USM order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ...model.findings import Finding, Severity
from ...model.inputs import Input
from .data import Reclassified, Ref


@dataclass(frozen=True)
class Declared:
    """A document of kind Process as written: what the reclassification needs."""

    name: str
    title: str
    trigger: tuple[str, ...]


def declared_processes(inputs: Iterable[Input]) -> dict[str, Declared]:
    """Every Process as declared in the inputs, valid or not; the first of a name wins."""
    found: dict[str, Declared] = {}
    for item in inputs:
        for declaration in item.declares:
            if declaration.kind == "Process":
                found.setdefault(declaration.name, Declared(declaration.name, declaration.title, declaration.trigger))
    return found


USM_PROCESSES = ("Agree", "Change", "Recover", "Operate", "Improve")
TRIGGERS = {
    "wish": "Agree",
    "change-request": "Change",
    "incident": "Recover",
    "service-request": "Operate",
    "planned": "Operate",
    "risk": "Improve",
}
KEYWORDS = {
    "Agree": ("agree", "sla", "contract", "level", "supplier"),
    "Change": ("change", "release", "deploy", "patch"),
    "Recover": ("incident", "outage", "restor", "recover", "failure", "disruption"),
    "Operate": ("request", "fulfil", "access", "operat", "monitor", "event"),
    "Improve": ("problem", "risk", "improv", "continuity", "security"),
}
TRIGGER_WEIGHT, KEYWORD_WEIGHT = 2, 1


def reclassify(declared: dict[str, Declared], names: tuple[str, ...], findings: dict[str, list[Finding]],
               refs: dict[Finding, Ref]) -> tuple[Reclassified, ...]:
    """One row per process whose own counting findings show it is not a process."""
    rows = []
    for name in names:
        process = declared.get(name, Declared(name, name, ()))
        own = findings.get(name, [])
        kind = _kind(own)
        if kind is None:
            continue
        evidence = [f for f in own if f.requirement in (1, 2)]
        belongs, why = belongs_to(process)
        rows.append(Reclassified(
            process=name, title=process.title, trigger=process.trigger, kind=kind[0], kind_reason=kind[1],
            belongs_to=belongs, belongs_reason=why,
            evidence=tuple(sorted((refs[f] for f in evidence if f in refs), key=lambda r: r.number)),
        ))
    return tuple(rows)


def _kind(own: list[Finding]) -> tuple[str, str] | None:
    roles = any(f.requirement == 1 and f.aspect == "who" for f in own)
    tools = any(f.requirement == 1 and f.aspect == "how" for f in own)
    names = {(True, True): "roles and tools or say how", (False, True): "tools or say how",
             (True, False): "roles", (False, False): ""}[roles, tools]
    naming = [f.severity is Severity.ERROR for f in own if f.requirement == 2]
    if naming:
        title = "is a noun (requirement 2)" if any(naming) else \
            "does not read as a bare verb (requirement 2, heuristic)"
        return "practice", f"its title {title}" + (f"; its activities name {names}" if names else "")
    if tools:
        return "work instruction", f"its activities name {names} (requirement 1)"
    if roles:
        return "procedure", "its activities name roles but no tools (requirement 1)"
    return None


def belongs_to(process: Declared) -> tuple[str, str]:
    """The USM process with the highest score, and the reasons that gave it."""
    scores = dict.fromkeys(USM_PROCESSES, 0)
    reasons = []
    for trigger in process.trigger:
        if trigger in TRIGGERS:
            scores[TRIGGERS[trigger]] += TRIGGER_WEIGHT
            reasons.append(f"trigger {trigger} \u2192 {TRIGGERS[trigger]}")
    words = re.findall(r"[a-z0-9]+", f"{process.title} {process.name}".lower())
    for target, stems in KEYWORDS.items():
        for stem in stems:
            if any(word.startswith(stem) for word in words):
                scores[target] += KEYWORD_WEIGHT
                reasons.append(f"\u201c{stem}\u201d \u2192 {target}")
    best = max(scores.values())
    if best == 0:
        return "", "no trigger or keyword points to a USM process"
    return " or ".join(p for p in USM_PROCESSES if scores[p] == best), "; ".join(reasons)
