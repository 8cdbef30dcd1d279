"""Documents to facts: flat records the rule engine matches, each knowing where it stands.

A fact is a flat dict of strings, numbers and booleans (what the engine sees). Its subject and
the positions a rule may point at stay on the Python side, keyed by the fact's ``fid``, so the
engine's joins stay cheap and positions stay exact.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ..engine.vocabulary import FACT_ATTRIBUTES, FACT_POSITIONS
from ..language import reader as p
from ..language.lexicons import activity_keys
from ..model.documents import Document
from ..read.spelling import nearest

Position = tuple[int, int]


# the places each kind of fact records, in a fixed order ("at" first): a fact keeps a tuple
# in this order rather than a dictionary, a third of the memory for the commonest facts
_PLACES = {kind: ("at", *sorted(names - {"at"})) for kind, names in FACT_POSITIONS.items()}
_PLACE_INDEX = {kind: {name: i for i, name in enumerate(names)} for kind, names in _PLACES.items()}


@dataclass(slots=True)
class Fact:
    """One fact: what the engine matches (``attrs``) and where findings about it point."""

    attrs: dict[str, Any]
    subject: str
    file: str
    places: tuple[Position | None, ...] = ()  # in the order of _PLACES[type]

    def position(self, name: str) -> Position:
        index = _PLACE_INDEX[self.attrs["type"]].get(name)
        found = self.places[index] if index is not None and index < len(self.places) else None
        return found or self.places[0] or (1, 1)  # "at" is always recorded


def _locate(index: Any, path: tuple) -> Position:
    """Where a path stands; a path starting with "key" points at that mapping key, not its value."""
    return index.key(path[1:]) if path and path[0] == "key" else index.value(path)


class FactBuilder:
    """Collects the facts of all valid documents; ``fid`` numbers them in reading order."""

    def __init__(self) -> None:
        self.facts: list[Fact] = []
        self.reader: p.Reader | None = None
        self.key_kinds: dict[str, str] = {}  # activity keys that say who, how or a condition

    def add(self, document: Document, kind: str, subject: str, attrs: dict[str, Any],
            at: tuple, **positions: tuple) -> None:
        index = document.positions
        assert positions.keys() <= FACT_POSITIONS[kind], f"{kind} facts point at {sorted(positions)}"
        positions["at"] = at
        places = tuple(_locate(index, positions[name]) if name in positions else None for name in _PLACES[kind])
        attrs = {"type": kind, "fid": len(self.facts) + 1, **attrs}
        assert attrs.keys() == FACT_ATTRIBUTES[kind], f"{kind} facts carry {sorted(attrs)}"
        self.facts.append(Fact(attrs, subject, document.file, places))

    def document(self, document: Document, reader: p.Reader | None = None) -> None:
        """The facts of a valid document; language attributes read with ``reader`` (None: not read)."""
        self.reader = reader
        data = document.data
        kind, name = data["kind"], data["metadata"]["name"]
        self.add(document, "Document", f"{kind}/{name}", {"kind": kind, "name": name},
                 ("metadata", "name"))
        builder = _BUILDERS.get(kind)
        if builder is not None:
            builder(self, document, name, data["spec"])

    def declared(self, document: Document) -> None:
        """The names an invalid document declares, read defensively (its types are not checked)."""
        data = document.data
        metadata, spec = data.get("metadata"), data.get("spec")
        kind = data.get("kind")
        if isinstance(kind, str) and kind not in KINDS:
            kind = nearest(kind, KINDS) or kind  # a mistyped kind still declares its name: no cascade
        name = metadata.get("name") if isinstance(metadata, dict) else None
        if not isinstance(kind, str) or not isinstance(name, str):
            return
        self.add(document, "Document", f"{kind}/{name}", {"kind": kind, "name": name}, ("metadata", "name"))
        spec = spec if isinstance(spec, dict) else {}
        if kind == "ProcessModel":
            processes = spec.get("processes")
            for i, process in enumerate(processes if isinstance(processes, list) else []):
                if isinstance(process, str):
                    self.add(document, "ModelRef", f"ProcessModel/{name}/processes/{process}",
                             {"model": name, "process": process, "role": "member", "linked": False},
                             ("spec", "processes", i))
        elif kind == "Process":
            activities = spec.get("activities")
            for i, activity in enumerate(activities if isinstance(activities, list) else []):
                if isinstance(activity, dict) and isinstance(activity.get("id"), str):
                    self.add(document, "ActivityId", f"Process/{name}/activities/{activity['id']}",
                             {"process": name, "id": activity["id"]}, ("spec", "activities", i, "id"))


def build_facts(documents: Iterable[Document], invalid: Iterable[Document] = (),
                reader: Callable[[Document], p.Reader | None] = lambda document: None,
                key_kinds: dict[str, str] | None = None) -> list[Fact]:
    """Facts of the valid documents, plus what can be named safely in the invalid ones.

    A document that fails its schema is left out of the rules, but what it declares (its
    kind and name, a model's process list, a process's activity ids) still counts as
    existing, so a typo in one document does not make everything that refers to it look
    broken.
    """
    builder = FactBuilder()
    builder.key_kinds = key_kinds if key_kinds is not None else activity_keys()
    for document in documents:
        builder.document(document, reader(document))
    for document in invalid:
        builder.declared(document)
    return builder.facts


def _model(b: FactBuilder, doc: Document, name: str, spec: dict) -> None:
    subject = f"ProcessModel/{name}"
    members = list(spec.get("processes", []))
    links = [(fork["from"], fork["to"]) for fork in spec.get("forks", [])]
    for flow in spec.get("workflows", []):
        path = flow["path"]
        links += [(path[j], path[j + 1]) for j in range(len(path) - 1)]
    components, linked = connectivity(members, links)
    b.add(doc, "Model", subject, {
        "name": name, "managementSystem": spec.get("managementSystem", ""), "processCount": len(set(members)),
        "linkCount": sum(1 for a, z in links if a != z and a in linked and z in linked), "components": components,
        "isolated": len(set(members) - linked)}, ("metadata", "name"), processes=("key", "spec", "processes"))
    for i, process in enumerate(members):
        b.add(doc, "ModelRef", f"{subject}/processes/{process}",
              {"model": name, "process": process, "role": "member", "linked": process in linked},
              ("spec", "processes", i))
    for i, fork in enumerate(spec.get("forks", [])):
        for end in ("from", "to"):
            b.add(doc, "ModelRef", f"{subject}/forks/{fork['from']}->{fork['to']}/{end}",
                  {"model": name, "process": fork[end], "role": "fork", "linked": True}, ("spec", "forks", i, end))
    for i, flow in enumerate(spec.get("workflows", [])):
        for j, process in enumerate(flow["path"]):
            b.add(doc, "ModelRef", f"{subject}/workflows/{flow['name']}/{j}",
                  {"model": name, "process": process, "role": "workflow", "linked": len(flow["path"]) > 1},
                  ("spec", "workflows", i, "path", j))


def connectivity(members: list[str], links: list[tuple[str, str]]) -> tuple[int, set[str]]:
    """Into how many groups links join the members, and which members some link joins to another.

    Union-find with path halving: linear in members plus links. A link to a process outside
    the members joins nothing (that is another rule's finding).
    """
    parent = {m: m for m in members}

    def root(node: str) -> str:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    linked: set[str] = set()
    for a, z in links:
        if a != z and a in parent and z in parent:
            linked |= {a, z}
            parent[root(a)] = root(z)
    return len({root(m) for m in parent}), linked


def _process(b: FactBuilder, doc: Document, name: str, spec: dict) -> None:
    title = doc.data["metadata"].get("title") or name
    title_path = ("metadata", "title") if "title" in doc.data["metadata"] else ("metadata", "name")
    control = spec.get("control")
    informing = (control or {}).get("informing", [])
    purposes = {item.get("purpose") for item in informing}
    output = spec.get("output", "")
    read = b.reader
    attrs = {
        "name": name, "title": title, "model": spec.get("model", ""), "format": doc.format,
        "hasPurpose": bool(spec.get("purpose")), "hasOutput": bool(output), "output": output,
        "outputKey": " ".join(p.words(output)), "recipient": spec.get("outputRecipient", ""),
        "hasTrigger": bool(spec.get("trigger")), "hasCountedAs": bool(spec.get("countedAs")),
        "hasControl": control is not None, "hasManager": bool((control or {}).get("manager")),
        "hasSteering": bool((control or {}).get("steering")), "hasInforming": bool(informing),
        "informsImprovement": "improvement" in purposes, "informsAccountability": "accountability" in purposes,
        "language": read.language if read else "",
        "titleNoun": read.nominal_reason(title) if read else "",
        "titleBareVerb": bool(read and read.is_bare_verb(title)),
        "titleArea": read.area_of_attention(title) if read else "",
        "titleInternal": read.provider_internal(title) if read else "",
        "outputInternal": read.output_internal(output) if read and isinstance(output, str) else "",
    }
    subject = f"Process/{name}"
    b.add(doc, "Process", subject, attrs, ("metadata", "name"), title=title_path,
          spec=("key", "spec"), output=("spec", "output"), recipient=("spec", "outputRecipient"),
          model=("spec", "model"), control=("key", "spec", "control"),
          steering=("key", "spec", "control", "steering"), informing=("key", "spec", "control", "informing"))
    for field_name in ("purpose", "output"):
        text = spec.get(field_name)
        for phrase in dict.fromkeys(read.customer_phrases(text)) if read and isinstance(text, str) else ():
            b.add(doc, "Customer", f"{subject}/{field_name}/{phrase}", {"process": name, "phrase": phrase},
                  ("spec", field_name))
    activities = spec.get("activities", [])
    for i, activity in enumerate(activities):
        _activity(b, doc, name, i, activity)
    for i, sub in enumerate(spec.get("subprocesses", [])):
        _subprocess(b, doc, name, i, sub)


def _activity(b: FactBuilder, doc: Document, process: str, i: int, activity: dict) -> None:
    base = ("spec", "activities", i)
    subject = f"Process/{process}/activities/{activity['id']}"
    nexts = activity.get("next", [])
    nexts = [nexts] if isinstance(nexts, str) else nexts
    texts = [(field, activity[field]) for field in ("name", "description") if isinstance(activity.get(field), str)]
    read = b.reader
    role, role_at = _first_term(texts, read.role_term) if read else ("", "name")
    phrase = read.role_phrase(dict(texts)[role_at]) if read and role else ""
    tool, tool_at = _first_term(texts, read.tool_term) if read else ("", "name")
    cond, cond_at = _first_term(texts, read.condition_term) if read else ("", "name")
    actor, actor_at = _first_term(texts, read.role_actor) if read else ("", "name")
    named, named_at = _first_term(texts, read.named_tool) if read else ("", "name")
    clause, clause_at = _first_term(texts, read.condition_clause) if read else ("", "name")
    qualifier, qualifier_at = _first_term(texts, read.qualifier) if read else ("", "name")
    decision, decision_at = _first_term(texts, read.decision) if read else ("", "name")
    name = activity["name"]
    attrs = {
        "process": process, "id": activity["id"], "name": activity["name"], "order": i,
        "language": read.language if read else "",
        "normName": read.normalised_name(name) if read else " ".join(p.words(name)),
        "nearKey": read.near_key(name) if read else "",
        "nextCount": len(nexts),
        "roleTerm": role, "rolePhrase": phrase, "toolTerm": tool, "conditionTerm": cond, "roleActor": actor,
        "toolNamed": named,
        "conditionClause": clause, "qualifierTerm": qualifier, "decisionTerm": decision,
    }
    b.add(doc, "ActivityId", subject, {"process": process, "id": activity["id"]}, (*base, "id"))
    b.add(doc, "Activity", subject, attrs, (*base, "id"), name=(*base, "name"), next=("key", *base, "next"),
          roleTerm=(*base, role_at), toolTerm=(*base, tool_at), conditionTerm=(*base, cond_at),
          roleActor=(*base, actor_at), toolNamed=(*base, named_at), conditionClause=(*base, clause_at),
          qualifierTerm=(*base, qualifier_at), decisionTerm=(*base, decision_at))
    for key in activity:
        kind = b.key_kinds.get(key.lower(), "")
        if kind:  # every offending key is its own fact, so each gets its own finding
            b.add(doc, "ActivityKey", subject, {"process": process, "activity": activity["id"],
                                                "name": activity["name"], "key": key, "kind": kind},
                  ("key", *base, key))
    single = isinstance(activity.get("next"), str)
    for j, target in enumerate(nexts):
        at = (*base, "next") if single else (*base, "next", j)
        b.add(doc, "Edge", f"{subject}/next/{target}",
              {"process": process, "source": activity["id"], "target": target, "sourceOrder": i}, at)


def _first_term(texts: list[tuple[str, str]], find: Any) -> tuple[str, str]:
    for field_name, text in texts:
        term = find(text)
        if term:
            return term, field_name
    return "", "name"


def _subprocess(b: FactBuilder, doc: Document, process: str, i: int, sub: dict) -> None:
    base = ("spec", "subprocesses", i)
    spec = doc.data["spec"]
    own = next((k for k in ("output", "trigger") if k in sub and _differs(sub[k], spec.get(k))), "")
    subject = f"Process/{process}/subprocesses/{sub['name']}"
    b.add(doc, "SubProcess", subject, {"process": process, "name": sub["name"], "ownKey": own},
          (*base, "name"), ownKey=("key", *base, own))
    for j, activity in enumerate(sub["activities"]):
        b.add(doc, "SubStep", f"{subject}/activities/{activity}",
              {"process": process, "subprocess": sub["name"], "activity": activity}, (*base, "activities", j))


def _differs(mine: object, process: object) -> bool:
    """Whether a sub-process's output or trigger is its own (repeating the process's is not)."""
    def norm(value: object) -> Any:
        if isinstance(value, list):
            return sorted(map(norm, value))
        return " ".join(p.words(value)) if isinstance(value, str) else value
    return norm(mine) != norm(process) and not (isinstance(process, list) and norm(mine) in norm(process))


def _mapped(b: FactBuilder, doc: Document, name: str, spec: dict) -> None:
    kind = doc.data["kind"]
    for i, activity in enumerate(spec.get("activities", [])):
        base = ("spec", "activities", i)
        b.add(doc, "MappedActivity", f"{kind}/{name}/activities/{activity['id']}",
              {"ownerKind": kind, "owner": name, "id": activity["id"], "name": activity["name"],
               "mapsTo": activity.get("mapsTo", "")}, (*base, "id"), mapsTo=(*base, "mapsTo"))


def _project(b: FactBuilder, doc: Document, name: str, spec: dict) -> None:
    follows = spec.get("follows")
    state = "missing" if follows is None else ("empty" if not follows else "some")
    b.add(doc, "Project", f"Project/{name}", {"name": name, "follows": state}, ("metadata", "name"),
          spec=("key", "spec"), follows=("key", "spec", "follows"))
    for i, process in enumerate(follows or []):
        b.add(doc, "Follows", f"Project/{name}/follows/{process}", {"project": name, "process": process},
              ("spec", "follows", i))
    _mapped(b, doc, name, spec)


def _routine(b: FactBuilder, doc: Document, name: str, spec: dict) -> None:
    kind = doc.data["kind"]
    b.add(doc, "Routine", f"{kind}/{name}", {"kind": kind, "name": name, "process": spec.get("process", "")},
          ("metadata", "name"), process=("spec", "process"))
    for i, step in enumerate(spec["steps"]):
        base = ("spec", "steps", i)
        raci = step.get("raci", {})
        accountable = sum(1 for letter in raci.values() if letter == "A")
        b.add(doc, "RoutineStep", f"{kind}/{name}/steps/{i + 1}",
              {"kind": kind, "owner": name, "activity": step["activity"], "hasRaci": "raci" in step,
               "accountable": accountable}, (*base, "activity"), raci=("key", *base, "raci"))


KINDS = ("ProcessModel", "Process", "Practice", "Project", "Procedure", "WorkInstruction")
_BUILDERS = {
    "ProcessModel": _model,
    "Process": _process,
    "Practice": _mapped,
    "Project": _project,
    "Procedure": _routine,
    "WorkInstruction": _routine,
}

