"""BPMN 2.0 diagrams read as usm/v1 documents, every value placed at its element's start tag.
The only module that reads XML.

Parsing is safe by construction (defusedxml over expat): a document type declaration is
refused outright, so no entity is ever expanded (billion laughs), no external entity is read
(a local file) and no DTD is fetched (the network); the file's size is bounded by the run's
file-size limit before it gets here. A malformed or hostile file is a positioned
requirement-0 finding (USM0018), as a YAML syntax error is.

The mapping (README, "BPMN"), with USM's reasons:

- each ``process`` is a Process, named after its pool (participant) or its own name or id;
- tasks of every kind, call activities and collapsed sub-processes are activities;
  ``sequenceFlow`` gives ``next``, followed through gateways and intermediate events;
- an expanded sub-process is a sub-process: its activities join the process, grouped;
- who (requirement 1): a lane (``performer``, at the lane; its members from ``flowNodeRef``,
  else from the BPMN-DI drawing, and with neither its name still says who), ``humanPerformer``,
  ``potentialOwner`` and ``performer`` (``role``, at the element), and vendor assignee
  attributes such as Camunda's ``assignee``/``candidateGroups`` (``role``, at the task);
- how (requirement 1): a service, script, send or business-rule task with an implementation
  (``implementation``, ``operationRef``, a script, or vendor attributes such as Camunda's
  ``class``/``expression``/``delegateExpression``/``type``/``topic``): ``tool``, at the task;
- practical conditions (requirement 4): an exclusive, inclusive, complex or event-based gateway
  after an activity is its ``gateway`` (at the gateway); a conditional flow its ``condition``
  (at the flow); a parallel gateway splits the sequence into several ``next`` (requirement 4);
- an end event names the output, the process's documentation its purpose (a start event is no
  USM trigger kind: the trigger is left to the model); names and documentation are the texts
  the language checks read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from xml.sax import handler
from xml.sax.xmlreader import InputSource

from ...model.documents import Document, LoadedFile
from ...model.limits import Limits
from ...model.positions import Positions
from ...model.problems import BPMN_SYNTAX, Problem

MODEL_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
TASKS = frozenset({"task", "userTask", "manualTask", "serviceTask", "scriptTask", "sendTask", "receiveTask",
                   "businessRuleTask", "callActivity"})
SUBPROCESSES = frozenset({"subProcess", "transaction", "adHocSubProcess"})
CONDITION_GATEWAYS = {"exclusiveGateway": "exclusive", "inclusiveGateway": "inclusive", "complexGateway": "complex",
                      "eventBasedGateway": "event-based"}
HOW_TASKS = frozenset({"serviceTask", "scriptTask", "sendTask", "businessRuleTask"})
WHO_ELEMENTS = frozenset({"humanPerformer", "potentialOwner", "performer"})
# vendor extension attributes (any namespace but BPMN's): who is assigned, what implements a task
VENDOR_WHO = ("assignee", "candidateGroups", "candidateUsers")
VENDOR_HOW = ("class", "expression", "delegateExpression", "type", "topic", "resultVariable")
NO_IMPLEMENTATION = frozenset({"", "##unspecified", "##WebService"})


@dataclass
class Element:
    """An XML element: its namespace and local name, attributes, children, text and place."""

    ns: str
    tag: str
    attrs: dict[tuple[str, str], str]
    position: tuple[int, int]
    children: list[Element] = field(default_factory=list)
    text: str = ""

    def attr(self, name: str) -> str:
        return self.attrs.get(("", name), "")

    def vendor(self, name: str) -> str:
        """An extension attribute of this local name in any namespace but BPMN's."""
        return next((v for (ns, local), v in self.attrs.items() if local == name and ns not in ("", MODEL_NS)), "")

    def model(self, *tags: str) -> list[Element]:
        return [c for c in self.children if c.ns == MODEL_NS and (not tags or c.tag in tags)]

    def walk(self) -> list[Element]:
        found, stack = [], [self]
        while stack:
            node = stack.pop()
            found.append(node)
            stack.extend(reversed(node.children))
        return found


# the namespace of BPMN 2.0's model as tools write it: the final one, the 2010 beta, older
# drafts; a file without any namespace is read as BPMN where its root is `definitions`
_MODEL_NS = re.compile(r"^(https?://(www\.)?omg\.org/spec/BPMN/\d{8}/MODEL/?|http://schema\.omg\.org/spec/BPMN/2\.0"
                       r"|http://www\.omg\.org/bpmn20)$", re.IGNORECASE)


def _namespace(uri: str, plain: bool) -> str:
    """The BPMN model namespace for any of its spellings (and for no namespace at all in a file
    whose root ``definitions`` has none: ``plain``); other namespaces as they are."""
    if uri == MODEL_NS or _MODEL_NS.match(uri) or (plain and not uri):
        return MODEL_NS
    return uri


class _Builder(handler.ContentHandler):
    def __init__(self) -> None:
        super().__init__()
        self.root: Element | None = None
        self._stack: list[Element] = []
        self._locator: Any = None
        self._plain = False  # a root `definitions` in no namespace: its elements are BPMN's

    def setDocumentLocator(self, locator: Any) -> None:
        self._locator = locator

    def startElementNS(self, name: tuple[str | None, str], qname: str | None, attrs: Any) -> None:
        line, column = self._locator.getLineNumber(), self._locator.getColumnNumber() + 1
        if self.root is None and not name[0] and name[1] == "definitions":
            self._plain = True
        namespace = _namespace(name[0] or "", self._plain)
        element = Element(namespace, name[1],
                          {("" if ns and _MODEL_NS.match(ns) else ns or "", local): value
                           for (ns, local), value in attrs.items()}, (line, column))
        if self._stack:
            self._stack[-1].children.append(element)
        else:
            self.root = element
        self._stack.append(element)

    def endElementNS(self, name: tuple[str | None, str], qname: str | None) -> None:
        self._stack.pop()

    def characters(self, content: str) -> None:
        if self._stack:
            self._stack[-1].text += content


def parse(raw: bytes) -> Element | Problem:
    """The element tree of a BPMN file, or the problem that stops it being read."""
    import io

    from defusedxml import DefusedXmlException  # type: ignore[import-untyped]
    from defusedxml.sax import make_parser  # type: ignore[import-untyped]

    parser = make_parser()
    parser.forbid_dtd = True  # no DOCTYPE at all: no entity, internal or external, no DTD fetched
    parser.forbid_entities = True
    parser.forbid_external = True
    parser.setFeature(handler.feature_namespaces, True)
    parser.setFeature(handler.feature_external_ges, False)
    parser.setFeature(handler.feature_external_pes, False)
    builder = _Builder()
    parser.setContentHandler(builder)
    source = InputSource()
    source.setByteStream(io.BytesIO(raw))
    try:
        parser.parse(source)
    except DefusedXmlException as error:
        line, column = _where(parser)
        return Problem(BPMN_SYNTAX, f"XML refused: {_refusal(error)}; a BPMN file needs no document type "
                                    "declaration or entities", line, column)
    except Exception as error:  # noqa: BLE001 - expat's SAXParseException, an encoding it does not know
        line, column = _where(parser, error)
        said = error.getMessage() if hasattr(error, "getMessage") else str(error)
        return Problem(BPMN_SYNTAX, f"XML syntax error: {said}", line, column)
    if builder.root is None:
        return Problem(BPMN_SYNTAX, "XML syntax error: no element", 1, 1)
    return builder.root


def _refusal(error: Exception) -> str:
    name = type(error).__name__
    return {"DTDForbidden": "a document type declaration (DTD)", "EntitiesForbidden": "an entity declaration",
            "ExternalReferenceForbidden": "a reference to an external entity"}.get(name, name)


def _where(parser: Any, error: Any = None) -> tuple[int, int]:
    if error is not None and hasattr(error, "getLineNumber"):
        return max(1, error.getLineNumber() or 1), (error.getColumnNumber() or 0) + 1
    try:
        return max(1, parser.getLineNumber()), parser.getColumnNumber() + 1
    except Exception:  # noqa: BLE001 - no position known
        return 1, 1


def decode_text(raw: bytes) -> str:
    """The file as text, for quotes in reports: in its declared encoding (UTF-8 by default)."""
    declared = re.match(rb"<\?xml[^>]*encoding=[\"']([A-Za-z0-9._-]+)[\"']", raw.lstrip(b"\xef\xbb\xbf"))
    encoding = declared.group(1).decode("ascii") if declared else "utf-8"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    try:
        return raw.decode(encoding, errors="replace")
    except LookupError:
        return raw.decode("utf-8", errors="replace")


_XML_START = re.compile(rb"^(\xef\xbb\xbf)?\s*<")


def sniff(raw: bytes) -> bool:
    """Bytes that start as XML does (after a byte-order mark and white space): a diagram given on
    standard input; a YAML document never starts with '<'."""
    return bool(_XML_START.match(raw[:1024]))


def read(file: str, raw: bytes, limits: Limits) -> LoadedFile:
    """The input format's reader: each BPMN process as a usm/v1 Process (the file-size limit is
    checked before the bytes get here)."""
    return load_bpmn(file, raw)


def load_bpmn(file: str, raw: bytes) -> LoadedFile:
    """A BPMN file as usm/v1 documents (one Process per BPMN process), or its problem."""
    text = decode_text(raw)
    root = read_tree(raw)
    if isinstance(root, Problem):
        return LoadedFile(problems=[root], text=text)
    documents = [Document(file, index, data, positions, positions.value(())[0], format="bpmn")
                 for index, (data, positions) in enumerate(convert_tree(root, file_stem(file)))]
    return LoadedFile(documents=documents, text=text)


def read_tree(raw: bytes) -> Element | Problem:
    """A BPMN 2.0 file's ``definitions`` element, or the problem that stops it being read."""
    root = parse(raw)
    if isinstance(root, Element) and (root.ns != MODEL_NS or root.tag != "definitions"):
        return Problem(BPMN_SYNTAX, f"not a BPMN 2.0 file: the root element is '{root.tag}', not bpmn:definitions",
                       *root.position)
    return _ids_problem(root) if isinstance(root, Element) else root


def _ids_problem(root: Element) -> Element | Problem:
    """The tree, or the first id problem in it: an id used twice by the model's elements (every
    reference, sequence flows, lanes and pools included, would be ambiguous), or a process
    without an id (nothing can refer to it: no pool, no message flow, no call)."""
    first: dict[str, Element] = {}
    for node in root.walk():
        if node.ns != MODEL_NS:
            continue  # diagram shapes (BPMN-DI) and vendors' extensions have ids of their own
        if node.tag == "process" and not node.attr("id").strip():
            return Problem(BPMN_SYNTAX, "a bpmn:process without an id: give each process a unique id, as BPMN 2.0 "
                           "tools do", *node.position)
        ident = node.attr("id")
        if not ident:
            continue
        if ident in first:
            line = first[ident].position[0]
            return Problem(BPMN_SYNTAX, f"id '{ident}' is used twice: by this {node.tag} and by the {first[ident].tag} "
                           f"at line {line}; BPMN ids are unique in a file", *node.position)
        first[ident] = node
    return root


def file_stem(file: str) -> str:
    """A diagram's file name without its folder and its BPMN suffix: what names unnamed things."""
    return re.sub(r"\.bpmn(20\.xml)?$", "", file.replace("\\", "/").rsplit("/", 1)[-1], flags=re.IGNORECASE)


# --- the mapping ---------------------------------------------------------------------------------

_SLUG = re.compile(r"[^a-z0-9]+")
_ID = re.compile(r"[^A-Za-z0-9_.-]+")


def slug(text: str) -> str:
    return _SLUG.sub("-", text.lower()).strip("-")[:100].strip("-") or "process"


def activity_id(text: str) -> str:
    cleaned = _ID.sub("-", text).lstrip("_.-")
    return cleaned if cleaned else "a"


def convert_tree(root: Element, stem: str = "") -> list[tuple[dict, Positions]]:
    """Each BPMN process of the definitions as (usm/v1 Process data, its positions); a process
    without a name of its own or of its pool is named after the file (``stem``) and its id."""
    pools = _pools(root)
    bounds = _bounds(root)
    return [_process(process, name, title, pools.get(process.attr("id")), bounds)
            for process, (name, title) in zip(root.model("process"), _names(root, stem).values(), strict=True)]


Box = tuple[float, float, float, float]  # x, y, width, height of a shape in the diagram


def _bounds(root: Element) -> dict[str, Box]:
    """Where the diagram (BPMN-DI) draws each element: its shape's bounds, by element id."""
    found: dict[str, Box] = {}
    for shape in root.walk():
        if shape.tag != "BPMNShape" or not shape.attr("bpmnElement"):
            continue
        box = next((c for c in shape.children if c.tag == "Bounds"), None)
        try:
            values = tuple(float(box.attr(name)) for name in ("x", "y", "width", "height")) if box else None
        except ValueError:
            continue
        if values is not None:
            found.setdefault(shape.attr("bpmnElement"), values)  # type: ignore[arg-type]
    return found


def _lanes_of(process: Element, activities: list[Element], bounds: dict[str, Box]) -> dict[str, Element]:
    """Each activity's lane (the innermost one): from the lanes' flowNodeRef lists, else (BPMN 2.0
    makes them optional, and some tools record membership only in the drawing) from the diagram,
    as the lane whose shape holds the centre of the activity's shape."""
    lanes = [lane for lane in process.walk() if lane.ns == MODEL_NS and lane.tag == "lane"]
    members = {ref.text.strip(): lane for lane in lanes for ref in lane.model("flowNodeRef")}
    drawn = [(lane, bounds[lane.attr("id")]) for lane in lanes if lane.attr("id") in bounds]
    for node in activities:
        if node.attr("id") in members or node.attr("id") not in bounds:
            continue
        x, y, width, height = bounds[node.attr("id")]
        centre = (x + width / 2, y + height / 2)
        holding = [(w * h, lane) for lane, (lx, ly, w, h) in drawn
                   if lx <= centre[0] <= lx + w and ly <= centre[1] <= ly + h]
        if holding:
            members[node.attr("id")] = min(holding, key=lambda item: item[0])[1]
    return members


def _pools(root: Element) -> dict[str, Element]:
    return {p.attr("processRef"): p for c in root.model("collaboration") for p in c.model("participant")}


def _names(root: Element, stem: str) -> dict[str, tuple[str, str]]:
    """Each process's id: its usm/v1 name (unique in the file) and title, in document order."""
    pools = _pools(root)
    taken: set[str] = set()
    names = {}
    for process in root.model("process"):
        pool = pools.get(process.attr("id"))
        label = ((pool.attr("name") if pool is not None else "") or process.attr("name")
                 or f"{stem} {process.attr('id')}".strip())
        name = slug(label)
        while name in taken:
            name = f"{name[:96]}-{len(taken)}"
        taken.add(name)
        names[process.attr("id")] = (name, " ".join(label.split()))
    return names


def forks(root: Element, stem: str = "") -> list[tuple[str, str]]:
    """The transitions between the file's processes, by usm/v1 name, in document order: a
    message flow from one pool's process into another's, and a call activity that calls another
    top-level process. USM declares these as forks in the process model."""
    names = {pid: name for pid, (name, _) in _names(root, stem).items()}
    owner = {node.attr("id"): process.attr("id") for process in root.model("process") for node in process.walk()
             if node.attr("id")}
    owner.update({pool.attr("id"): pid for pid, pool in _pools(root).items()})
    found: list[tuple[str, str]] = []
    pairs = [(owner.get(f.attr("sourceRef")), owner.get(f.attr("targetRef")))
             for c in root.model("collaboration") for f in c.model("messageFlow")]
    pairs += [(pid, call.attr("calledElement")) for pid in names for process in root.model("process")
              if process.attr("id") == pid for call in process.walk()
              if call.ns == MODEL_NS and call.tag == "callActivity"]
    for source, target in pairs:
        if source in names and target in names and source != target:
            pair = (names[source], names[target])
            if pair not in found:
                found.append(pair)
    return found


def _process(process: Element, name: str, title: str, pool: Element | None,
             bounds: dict[str, Box]) -> tuple[dict, Positions]:
    positions = Positions()
    place = pool.position if pool is not None else process.position
    positions.add_value((), place)
    positions.add_value(("metadata", "name"), place)
    nodes = {n.attr("id"): n for n in process.walk() if n.ns == MODEL_NS and n.attr("id")}
    flows = [n for n in process.walk() if n.ns == MODEL_NS and n.tag == "sequenceFlow"]
    outgoing: dict[str, list[Element]] = {}
    for flow in flows:
        outgoing.setdefault(flow.attr("sourceRef"), []).append(flow)
    for boundary in (n for n in nodes.values() if n.tag == "boundaryEvent"):  # an exception path: a branch
        outgoing.setdefault(boundary.attr("attachedToRef"), []).extend(outgoing.get(boundary.attr("id"), []))
    activities = [n for n in process.walk() if n.ns == MODEL_NS and (
        n.tag in TASKS or (n.tag in SUBPROCESSES and not any(c.tag in TASKS | SUBPROCESSES for c in n.model())))]
    ids = {n.attr("id"): activity_id(n.attr("id")) for n in activities}
    activities = _in_flow_order(process, activities, outgoing, nodes, set(ids))
    lanes = _lanes_of(process, activities, bounds)
    spec: dict[str, Any] = {}
    documentation = _documentation(process)
    if documentation:
        spec["purpose"] = documentation
        positions.add_value(("spec", "purpose"), process.position)
    ends = [n for n in process.model("endEvent") if n.attr("name").strip()]
    if ends:
        spec["output"] = " ".join(ends[0].attr("name").split())
        positions.add_value(("spec", "output"), ends[0].position)
    spec["activities"] = []
    for index, node in enumerate(activities):
        base = ("spec", "activities", index)
        activity: dict[str, Any] = {"id": ids[node.attr("id")], "name": " ".join(node.attr("name").split())
                                    or node.tag}
        positions.add_value(base, node.position)
        positions.add_value((*base, "id"), node.position)
        positions.add_value((*base, "name"), node.position)
        text = _documentation(node)
        if text:
            activity["description"] = text
            positions.add_value((*base, "description"), node.position)
        _who(node, lanes.get(node.attr("id")), activity, positions, base)
        _how(node, activity, positions, base)
        following, gateway, condition = _following(node.attr("id"), outgoing, nodes, set(ids))
        if gateway is not None:
            activity["gateway"] = " ".join(gateway.attr("name").split()) or CONDITION_GATEWAYS[gateway.tag] + " gateway"
            positions.add_key((*base, "gateway"), gateway.position)
            positions.add_value((*base, "gateway"), gateway.position)
        if condition is not None:
            activity["condition"] = _condition_text(condition)
            positions.add_key((*base, "condition"), condition.position)
            positions.add_value((*base, "condition"), condition.position)
        targets = [ids[t] for t in following]
        if targets:
            activity["next"] = targets[0] if len(targets) == 1 else targets
            flow = outgoing.get(node.attr("id"), [node])[0]
            positions.add_key((*base, "next"), flow.position)
            positions.add_value((*base, "next"), flow.position)
        spec["activities"].append(activity)
    _unplaced_lanes(process, lanes, spec["activities"], positions)
    subprocesses = [n for n in process.walk() if n.ns == MODEL_NS and n.tag in SUBPROCESSES and n is not process
                    and any(c.tag in TASKS for c in n.model())]
    if subprocesses:
        spec["subprocesses"] = []
        for sub in subprocesses:
            inside = [ids[c.attr("id")] for c in sub.walk() if c.attr("id") in ids and c is not sub]
            if not inside:
                continue
            spec["subprocesses"].append({"name": slug(sub.attr("name") or sub.attr("id")),
                                         "activities": inside})
            positions.add_value(("spec", "subprocesses", len(spec["subprocesses"]) - 1), sub.position)
            positions.add_value(("spec", "subprocesses", len(spec["subprocesses"]) - 1, "name"), sub.position)
        if not spec["subprocesses"]:
            del spec["subprocesses"]
    data = {"apiVersion": "usm/v1", "kind": "Process", "metadata": {"name": name, "title": title or name},
            "spec": spec}
    positions.add_value(("metadata", "title"), place)
    return data, positions


def _in_flow_order(process: Element, activities: list[Element], outgoing: dict[str, list[Element]],
                   nodes: dict[str, Element], known: set[str]) -> list[Element]:
    """The activities in the order the flow reaches them from the start events (the order of
    elements in a file is the tool's, not the process's: a step back must be a real loop)."""
    by_id = {a.attr("id"): a for a in activities}
    starts = [n.attr("id") for n in process.walk() if n.ns == MODEL_NS and n.tag == "startEvent"]
    ordered: list[str] = []
    queue = [target for start in starts for target in _following(start, outgoing, nodes, known)[0]]
    queue += [a.attr("id") for a in activities if not any(f.attr("targetRef") == a.attr("id")
                                                           for flows in outgoing.values() for f in flows)]
    while queue:
        current = queue.pop(0)
        if current in ordered or current not in by_id:
            continue
        ordered.append(current)
        queue.extend(_following(current, outgoing, nodes, known)[0])
    ordered += [a.attr("id") for a in activities if a.attr("id") not in ordered]
    return [by_id[i] for i in ordered]


def _unplaced_lanes(process: Element, lanes: dict[str, Element], activities: list[dict], positions: Positions) -> None:
    """Lanes say who even when the export records no member of any (neither flowNodeRef nor a
    drawing): their names go on the first activity as its performer, the finding at the first lane."""
    named = [lane for lane in process.walk()
             if lane.ns == MODEL_NS and lane.tag == "lane" and lane.attr("name").strip()]
    if lanes or not named or not activities or "performer" in activities[0]:
        return
    activities[0]["performer"] = ", ".join(" ".join(lane.attr("name").split()) for lane in named)
    positions.add_key(("spec", "activities", 0, "performer"), named[0].position)
    positions.add_value(("spec", "activities", 0, "performer"), named[0].position)


def _documentation(node: Element) -> str:
    return " ".join(" ".join(d.text.split()) for d in node.model("documentation") if d.text.strip())


def _who(node: Element, lane: Element | None, activity: dict, positions: Positions, base: tuple) -> None:
    if lane is not None and lane.attr("name").strip():
        activity["performer"] = " ".join(lane.attr("name").split())
        positions.add_key((*base, "performer"), lane.position)
        positions.add_value((*base, "performer"), lane.position)
    assigned = [c for c in node.model() if c.tag in WHO_ELEMENTS]
    vendor = next((node.vendor(name) for name in VENDOR_WHO if node.vendor(name)), "")
    if assigned:
        element = assigned[0]
        reference = next((" ".join(e.text.split()) for e in element.walk() if e is not element and e.text.strip()),
                         "") or element.attr("name") or element.tag
        activity["role"] = reference
        positions.add_key((*base, "role"), element.position)
        positions.add_value((*base, "role"), element.position)
    elif vendor:
        activity["role"] = vendor
        positions.add_key((*base, "role"), node.position)
        positions.add_value((*base, "role"), node.position)


def _how(node: Element, activity: dict, positions: Positions, base: tuple) -> None:
    if node.tag not in HOW_TASKS:
        return
    implementation = node.attr("implementation")
    script = next((" ".join(c.text.split())[:80] for c in node.model("script") if c.text.strip()), "")
    evidence = (next((node.vendor(name) for name in VENDOR_HOW if node.vendor(name)), "")
                or ("" if implementation in NO_IMPLEMENTATION else implementation) or node.attr("operationRef")
                or (node.attr("scriptFormat") + " script" if script or node.attr("scriptFormat") else ""))
    if not evidence and any(c.ns not in ("", MODEL_NS) for e in node.model("extensionElements") for c in e.children
                            if c.tag in ("taskDefinition", "connector")):
        evidence = "a task definition"  # Zeebe's, Activiti's connector
    if evidence:
        activity["tool"] = evidence
        positions.add_key((*base, "tool"), node.position)
        positions.add_value((*base, "tool"), node.position)


def _following(start: str, outgoing: dict[str, list[Element]], nodes: dict[str, Element],
               activities: set[str]) -> tuple[list[str], Element | None, Element | None]:
    """The activities that follow ``start`` (through gateways and events), the first
    conditional gateway passed and the first conditional flow taken."""
    found: list[str] = []
    gateway: Element | None = None
    condition: Element | None = None
    seen: set[str] = set()
    queue = list(outgoing.get(start, []))
    while queue:
        flow = queue.pop(0)
        if condition is None and flow.model("conditionExpression"):
            condition = flow
        target = flow.attr("targetRef")
        if target in seen:
            continue
        seen.add(target)
        if target in activities:
            if target not in found:
                found.append(target)
            continue
        node = nodes.get(target)
        if node is None:
            continue
        if gateway is None and node.tag in CONDITION_GATEWAYS:
            gateway = node
        queue.extend(outgoing.get(target, []))
    return found, gateway, condition


def _condition_text(flow: Element) -> str:
    expression = next((" ".join(c.text.split()) for c in flow.model("conditionExpression") if c.text.strip()), "")
    return " ".join(flow.attr("name").split()) or expression or "a conditional flow"
