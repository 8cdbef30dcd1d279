"""Generate a realistic scale corpus: one full USM model per organisation, one folder each.

    python bench/corpus.py OUT_DIR [--scale S] [--seed N] [--force]
    python bench/corpus.py OUT_DIR --files N          one organisation spread over N small files
    python bench/corpus.py OUT_DIR --single-file MB   one multi-document file of about MB megabytes

At scale 1: 100 organisations, 10 files each (about 1,000 files, 11.5 MB, 48,500 process
activities). Every organisation has a ProcessModel, the five USM processes with about 97
activities each, practices, a project, procedures and work instructions; names, ids, outputs
and activity names are unique across the whole corpus, so cross-document rules see one large
input and not copies. About 10% of the processes and a few routines carry a typical defect
(role as actor, named tool, condition, noun title, missing output, duplicate id, ...), and
about 15% of the files hold 2-4 documents. Scale S multiplies the number of organisations
(ceil(100 * S)) and keeps the per-file shape; organisation i is the same at every scale. The
output is deterministic for a seed. Prints what was written.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import random
import re
import shutil
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Doc = dict[str, Any]

# ---------------------------------------------------------------------------------------------
# Word lists. Clean texts avoid the lexicon's roles, tools, conditions and qualifiers
# (lexicons/en.yaml); the defects below use them on purpose.

PROCESSES = ("agree", "change", "recover", "operate", "improve")
PREFIX = {"agree": "agr", "change": "chg", "recover": "rec", "operate": "opr", "improve": "imp"}

VERBS = {
    "agree": ["Capture", "Clarify", "Assess", "Draft", "Negotiate", "Sign", "Renew", "Extend", "Terminate",
              "Compare", "Propose", "Explain", "Summarise", "Settle", "Align", "Prepare", "Discuss", "Adjust",
              "Archive", "Publish", "Evaluate", "Translate", "Describe", "Specify", "Define", "Validate",
              "Reconcile", "Revise", "Approve", "Outline"],
    "change": ["Record", "Assess", "Plan", "Build", "Implement", "Evaluate", "Close", "Schedule", "Prepare",
               "Verify", "Document", "Coordinate", "Review", "Approve", "Deploy", "Configure", "Install",
               "Migrate", "Rehearse", "Package", "Announce", "Authorise", "Validate", "Register", "Estimate",
               "Sequence", "Stage", "Trial", "Complete", "Finalise"],
    "recover": ["Register", "Classify", "Diagnose", "Restore", "Confirm", "Close", "Prioritise", "Investigate",
                "Isolate", "Reproduce", "Contain", "Repair", "Reset", "Restart", "Reroute", "Replace", "Inform",
                "Update", "Analyse", "Correlate", "Verify", "Document", "Trace", "Stabilise", "Reconnect",
                "Rebuild", "Reinstate", "Acknowledge", "Resolve", "Bypass"],
    "operate": ["Accept", "Verify", "Schedule", "Carry out", "Inform", "Close", "Grant", "Revoke", "Reset",
                "Provide", "Deliver", "Prepare", "Run", "Produce", "Distribute", "Renew", "Extend", "Transfer",
                "Archive", "Issue", "Collect", "Return", "Rotate", "Clean up", "Check", "Refresh", "Order", "Ship",
                "Hand out", "Set up"],
    "improve": ["Identify", "Assess", "Choose", "Hand over", "Evaluate", "Analyse", "Estimate", "Rank", "Review",
                "Collect", "Compare", "Quantify", "Propose", "Select", "Track", "Report", "Measure", "Verify",
                "Close", "Explore", "Weigh", "Validate", "Share", "Investigate", "Summarise", "Forecast",
                "Prioritise", "Record", "Discuss", "Examine"],
}
OBJECTS = {
    "agree": ["customer wish", "service requirements", "service levels", "support hours", "price",
              "service agreement", "underpinning contract", "supplier terms", "delivery conditions",
              "availability target", "restore time", "cost estimate", "service description", "renewal date",
              "termination terms", "volume forecast", "budget ceiling", "penalty clause", "acceptance criteria",
              "reporting calendar", "contract period", "service scope", "payment terms", "exit arrangement",
              "escalation path", "capacity commitment", "usage forecast", "catalogue entry", "pricing model",
              "continuity arrangements"],
    "change": ["change request", "impact analysis", "risk assessment", "fallback arrangement",
               "implementation window", "build package", "trial results", "deployment runbook",
               "customer notification", "acceptance evidence", "component inventory", "dependency map",
               "rollout order", "calendar entry", "service downtime", "migration scope", "firmware update",
               "patch bundle", "network reconfiguration", "server upgrade", "software version", "data conversion",
               "capacity extension", "security fix", "licence change", "interface adjustment", "rollback steps",
               "go-live checklist", "pilot group", "post-implementation findings"],
    "recover": ["incident", "disruption", "affected service", "agreed restore time", "failing component",
                "error message", "workaround", "first symptom", "service interruption", "outage scope",
                "customer impact", "recovery steps", "faulty setting", "broken connection", "corrupted data set",
                "lost access", "degraded response", "failed job", "expired certificate", "full disk",
                "network fault", "power failure", "storage fault", "login failure", "sync error", "slow response",
                "data loss", "customer confirmation", "restoration evidence", "stalled batch"],
    "operate": ["service request", "entitlement", "requested work", "access rights", "password", "user account",
                "periodic report", "file restore", "backup copy", "certificate renewal", "storage quota",
                "software installation", "licence allocation", "device delivery", "account removal",
                "workspace", "standard setting", "batch run", "monthly statement", "data extract",
                "usage overview", "access badge", "shared folder", "distribution list", "housekeeping job",
                "key handover", "loan device", "screen", "headset", "archive retrieval"],
    "improve": ["risk", "opportunity", "threat", "customer feedback", "audit finding", "trend",
                "recurring incident", "improvement measure", "expected benefit", "residual risk", "likelihood",
                "business impact", "vulnerability", "capacity shortage", "cost saving", "satisfaction score",
                "complaint pattern", "supplier performance", "lessons learned", "effect of the measure",
                "weak spot", "service review outcome", "market development", "regulatory change",
                "technology lifecycle", "end-of-life component", "single point of failure", "dependency risk",
                "usage trend", "near miss"],
}
SERVICES = [
    "payroll service", "web shop", "order intake", "warehouse scanning", "video conferencing", "file storage",
    "laptop service", "network access", "wireless network", "invoicing service", "customer app",
    "booking service", "HR self-service", "timesheet service", "expense claims", "learning platform",
    "library catalogue", "print service", "meeting room booking", "visitor registration", "parking permits",
    "student enrolment", "exam scheduling", "patient scheduling", "lab results", "pharmacy stock",
    "claims handling", "policy administration", "loan origination", "payment gateway", "card issuing",
    "fleet tracking", "route planning", "freight booking", "customs clearance", "energy metering",
    "water billing", "permit applications", "building access", "mobile workplace", "remote access",
    "document archive", "contract register", "procurement service", "supplier onboarding", "asset register",
    "facility requests", "catering orders", "translation service", "research computing", "data warehouse",
    "reporting service", "public website", "intranet", "member administration", "donor registration",
    "event tickets", "loyalty programme", "store checkout", "kitchen orders", "hotel reservations",
    "flight schedules", "baggage tracking", "tenant requests", "rent collection", "grant applications",
    "case files", "court calendar", "tax returns", "pension administration", "benefit payments",
    "vehicle registration", "waste collection", "street lighting", "traffic signals", "school transport",
    "sports facilities", "museum collection", "call recording", "digital signatures",
]
SITES = ["Utrecht", "Ghent", "Leeds", "Lyon", "Porto", "Aarhus", "Graz", "Cork", "Basel", "Turin", "Bremen", "Tartu"]
NAME_FORMS = ["{v} the {o} of the {s}", "{v} the {o} for the {s}", "{v} the {s} {o}"]
WHYS = [
    "so that the customer knows what to expect", "so that the agreed service level is kept",
    "so that the next activity can start without delay", "so that nothing agreed with the customer gets lost",
    "so that the customer can rely on the {s}", "so that the result can be measured and reported",
    "so that the customer receives what was agreed", "so that later steps work from the same facts",
    "so that the customer is not surprised by the outcome",
]
DESCRIPTIONS = [
    "Make sure the {o} of the {s} is complete and correct, {why}.",
    "Go through the {o} together with the customer of the {s}, {why}.",
    "Work out the {o} for the {s} in enough detail, {why}.",
    "Bring the {o} up to date for the {s}, {why}.",
    "Establish the facts about the {o}. Keep the customer of the {s} informed of the progress.",
    "Put the {o} in writing, {why}.",
    "Compare the {o} with what was agreed for the {s}, {why}.",
    "Settle every open point about the {o} before the work moves on, {why}.",
    "Look at the {o} from the customer's side: what does the {s} have to deliver? Write the answer down, {why}.",
    "Take the {o} as the starting point for the work on the {s}.",
    "Finish the {o} within the agreed time, {why}.",
]
HEADER = {
    "agree": ("Agree", "wish", "signed agreement", ["Signed service agreement", "Agreed service",
              "Service agreement the customer has signed"],
              "Give every customer a clear, signed agreement on the services they receive, the service levels "
              "they can count on and the price they pay."),
    "change": ("Change", "change-request", "implemented change", ["Implemented change", "Changed service",
               "Modified service, delivered as agreed"],
               "Deliver the changes that customers ask for, or that keep their services healthy, without "
               "disrupting the services they rely on."),
    "recover": ("Recover", "incident", "restored service", ["Restored service", "Service working as agreed again",
                "Service back at the agreed level"],
                "Get the customer's service back to the agreed level as quickly as possible after a failure, "
                "and keep the customer informed until it is."),
    "operate": ("Operate", ["service-request", "planned"], "fulfilled request", ["Fulfilled service request",
                "Delivered standard service", "Completed request"],
                "Carry out the regular work and the requests that customers make within their agreements, so "
                "that they can use their services as agreed every day."),
    "improve": ("Improve", "risk", "handled risk or opportunity", ["Reduced risk or realised opportunity",
                "Handled risk", "Improved service value"],
                "Protect and raise the value of the services for the customer, dealing with risks and "
                "opportunities before they turn into disruptions or missed chances."),
}
SUBPROCESSES = {"agree": ["intake", "negotiation"], "change": ["build", "rollout"], "recover": ["triage", "resolve"],
                "operate": ["fulfil", "routine"], "improve": ["analysis", "handover"]}
STEERING = ["Monthly agreement with the workflow coordinators on the {t} process logic",
            "Quarterly review of the {t} activities with the operators who carry them out",
            "Yearly review of the {t} service levels with the account coordinators",
            "Weekly planning of the {t} work with the team coordinators"]
INFORMING = [("Share of {c} delivered within the agreed time", "accountability", "90%"),
             ("Number of {c} per service per month", "accountability", None),
             ("Customer satisfaction with each {c}", "accountability", "8 out of 10"),
             ("Number of {c} that had to be redone", "improvement", None),
             ("Average lead time per {c}", "improvement", "5 days")]
ORG_FIRST = ["Brightline", "Northwind", "Hollandia", "Meridian", "Keystone", "Riverside", "Bluepeak", "Lakeshore",
             "Ironbridge", "Greenfield", "Harbourview", "Silverleaf", "Oakridge", "Westbrook", "Eastgate",
             "Stonehill", "Clearwater", "Redcliff", "Fairhaven", "Highmoor"]
ORG_SECTOR = ["Insurance", "Logistics", "Hospital", "University", "Municipality", "Bank", "Energy", "Retail",
              "Housing", "Airport", "Water Board", "Pension Fund", "Foods", "Telecom", "Library", "Courts",
              "Transport", "Museum", "Charity", "Hotels", "Engineering", "Software"]
PRACTICES = {"recover": ("Incident Management", "ITIL 4"), "change": ("Change Enablement", "ITIL 4"),
             "operate": ("Service Request Management", "ITIL 4"), "agree": ("Service Level Management", "ITIL 4"),
             "improve": ("Risk Management", "ISO/IEC 20000")}
PERFORMERS = ["Service desk", "Second-line support", "Change advisory board", "Account manager", "Network team",
              "Application team", "Problem manager", "Service owner"]
TOOLS = ["ServiceNow", "TOPdesk", "Jira", "Excel", "SharePoint", "Rundeck", "Ansible", "Confluence"]
PROFILES = ["Operator", "Workflow coordinator", "Team coordinator", "Workflow manager", "Account coordinator",
            "Service coordinator"]
PROJECTS = [("datacenter-move", "Data centre move", "Run every production service from the new site"),
            ("erp-upgrade", "ERP upgrade", "Move every business unit to the new ERP release"),
            ("office-relocation", "Office relocation", "Give every employee a working place in the new office"),
            ("cloud-migration", "Cloud migration", "Run the customer-facing services on the cloud platform"),
            ("network-renewal", "Network renewal", "Replace every branch network before the support ends")]
HOW = ["Run the job '{j}' and wait until the status page shows all checks green.",
       "Open the request in {tool}, fill in the standard template and attach the customer's confirmation.",
       "Follow the checklist '{j}' step by step and note the result of every step.",
       "Start the script '{j}' from the jump host and keep the output with the request."]
ROLE_ACTORS = ["The service desk agent logs the {o} of the {s}", "Second-line support handles the {s} {o}",
               "The change advisory board approves the {o} for the {s}", "The network team checks the {s} {o}",
               "The process manager reviews the {o} of the {s}"]
CONDITIONS = ["If the {s} is still down after one hour, escalate the {o}",
              "{v} the {o} of the {s} only if the customer asks for it",
              "{v} the {o} of the {s}, unless the supplier has already done so"]
DECISIONS = ["Decide whether the {s} {o} is complete", "Approve or reject the {o} for the {s}"]
NOUN_TITLES = {"agree": "Service Level Management", "change": "Change Management", "recover": "Incident Management",
               "operate": "Request Fulfilment", "improve": "Continual Improvement"}
STOPWORDS = frozenset(["a", "an", "the", "of", "for", "to", "and", "or", "in", "on", "with", "from", "at", "into",
                       "per", "its", "their", "our", "all"])


# ---------------------------------------------------------------------------------------------
# A minimal YAML writer: block style, comments, flow lists and mappings where organisations use them.

class Flow(dict[str, Any]):
    """A mapping written in flow style: {id: x, name: y}."""


class Folded(str):
    """A long string written as a folded block scalar (>-)."""


_PLAIN = re.compile(r"[A-Za-z0-9][\w ,.'()/%&-]*")
_RESERVED = frozenset(["yes", "no", "true", "false", "null", "on", "off", "y", "n", "~"])


def scalar(value: object) -> str:
    if isinstance(value, (int, float)):
        return str(value)
    text = str(value)
    plain = _PLAIN.fullmatch(text) and text.lower() not in _RESERVED and not text.endswith(" ")
    return text if plain and not _looks_numeric(text) else json.dumps(text)


def _looks_numeric(text: str) -> bool:
    return re.fullmatch(r"[-+]?(\d[\d_]*)?(\.\d+)?([eE][-+]?\d+)?|0x[0-9a-fA-F]+", text) is not None


def inline(value: object) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(inline(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {inline(v)}" for k, v in value.items()) + "}"
    return scalar(value)


def emit(value: Doc, indent: int = 0) -> list[str]:
    """Block-style lines of a mapping; keys starting with '#' are comment lines."""
    pad, lines = " " * indent, []
    for key, item in value.items():
        if key.startswith("#"):
            lines.append(f"{pad}# {item}")
        elif isinstance(item, Folded):
            lines.append(f"{pad}{key}: >-")
            lines.extend(f"{pad}  {part}" for part in _wrap(item, 88 - indent))
        elif isinstance(item, Flow) or (isinstance(item, list) and all(not isinstance(v, dict) for v in item)):
            lines.append(f"{pad}{key}: {inline(item)}")
        elif isinstance(item, dict):
            lines.append(f"{pad}{key}:")
            lines.extend(emit(item, indent + 2))
        elif isinstance(item, list):
            lines.append(f"{pad}{key}:")
            lines.extend(_emit_item(v, indent + 2) for v in item)
        else:
            lines.append(f"{pad}{key}: {scalar(item)}")
    return lines


def _emit_item(item: Doc, indent: int) -> str:
    if isinstance(item, Flow):
        return f"{' ' * indent}- {inline(item)}"
    body = emit(item, indent + 2)
    return "\n".join([" " * indent + "- " + body[0].lstrip(), *body[1:]])


def _wrap(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line]


def render(documents: list[Doc], comment: str) -> str:
    parts = ["\n".join(emit(doc)) + "\n" for doc in documents]
    return f"# {comment}\n" + "---\n".join(parts)


# ---------------------------------------------------------------------------------------------
# Organisations


@dataclass
class Stats:
    files: int = 0
    bytes: int = 0
    organisations: int = 0
    documents: int = 0
    multi_document_files: int = 0
    processes: int = 0
    activities: int = 0
    defective_processes: int = 0
    files_with_defects: int = 0
    defects: Counter[str] = field(default_factory=Counter)

    def summary(self) -> str:
        defects = ", ".join(f"{k} {v}" for k, v in sorted(self.defects.items()))
        return (f"files {self.files}, {self.bytes / 1e6:.2f} MB, organisations {self.organisations}, "
                f"documents {self.documents} ({self.multi_document_files} files with 2+), processes "
                f"{self.processes}, activities {self.activities}; defects: {self.defective_processes} processes "
                f"({self.defective_processes / max(self.processes, 1):.1%}), {self.files_with_defects} files "
                f"({self.files_with_defects / max(self.files, 1):.1%}) [{defects}]")


@dataclass
class Org:
    index: int
    rng: random.Random
    used: set[tuple[str, ...]]
    title: str = ""
    slug: str = ""
    code: str = ""
    services: list[str] = field(default_factory=list)
    flow: bool = False
    explicit_next: bool = True
    activities: dict[str, list[Doc]] = field(default_factory=dict)
    defects: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        first = ORG_FIRST[self.index % len(ORG_FIRST)]
        sector = ORG_SECTOR[self.index // len(ORG_FIRST) % len(ORG_SECTOR)]
        lap = self.index // (len(ORG_FIRST) * len(ORG_SECTOR))
        self.title = f"{first} {sector}" + (f" {lap + 1}" if lap else "")
        self.slug = re.sub(r"[^a-z0-9]+", "-", self.title.lower())
        self.code = "".join(w[0] for w in self.title.lower().split() if w[0].isalpha()) + str(self.index)
        self.services = self.rng.sample(SERVICES, 20)
        self.flow = self.rng.random() < 0.3
        self.explicit_next = self.rng.random() < 0.5

    def name(self, base: str) -> str:
        return f"{base}-{self.slug}"


def name_key(text: str) -> tuple[str, ...]:
    """Content words of a name, crudely stemmed: coarser than usm-rules' own key, so unique here is unique there."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    return tuple(sorted(_stem(w) for w in words if w not in STOPWORDS))


def _stem(word: str) -> str:
    for ending in ("ing", "ed", "es", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def claim(org: Org, name: str) -> bool:
    """Whether no activity of the corpus has this name's content words yet; if so, they are now taken."""
    key = name_key(name)
    if key in org.used:
        return False
    org.used.add(key)
    return True


def unique_name(org: Org, process: str, forms: list[str] = NAME_FORMS) -> tuple[str, str, str]:
    """A fresh activity name (and its object and service), unique in content words across the corpus."""
    rng = org.rng
    for attempt in range(400):
        verb, obj, service = rng.choice(VERBS[process]), rng.choice(OBJECTS[process]), rng.choice(org.services)
        if _stem(verb.split()[0].lower()) in {_stem(w) for w in f"{obj} {service}".lower().split()}:
            continue
        name = rng.choice(forms).format(v=verb, o=obj, s=service)
        if attempt > 200:
            name += f" at the {rng.choice(SITES)} site"
        if claim(org, name):
            return name, obj, service
    raise RuntimeError(f"no fresh activity name left for {process}; widen the word lists")


def make_activity(org: Org, process: str, number: int) -> Doc:
    name, obj, service = unique_name(org, process)
    activity: Doc = {"id": f"{org.code}-{PREFIX[process]}-{number}", "name": name}
    if org.rng.random() < 0.42:
        why = org.rng.choice(WHYS).format(s=service)
        activity["description"] = org.rng.choice(DESCRIPTIONS).format(o=obj, s=service, why=why)
    return activity


def make_process(org: Org, process: str) -> Doc:
    title, trigger, counted, outputs, purpose = HEADER[process]
    count = org.rng.randint(82, 112)
    activities = [make_activity(org, process, n) for n in range(1, count + 1)]
    if org.explicit_next:
        for current, following in itertools.pairwise(activities):
            current["next"] = following["id"]
    org.activities[process] = activities
    spec = {"model": org.name("usm"), "purpose": Folded(purpose),
            "output": f"{org.rng.choice(outputs)} for {org.title} customers", "outputRecipient": "customer",
            "trigger": trigger, "countedAs": counted, "activities": activities,
            "subprocesses": make_subprocesses(org, process, activities), "control": make_control(org, title, counted)}
    doc = {"apiVersion": "usm/v1", "kind": "Process",
           "metadata": {"name": org.name(process), "title": title,
                        "description": f"{title} at {org.title}: {count} activities, in order."},
           "spec": spec}
    if org.flow:
        spec["activities"] = [Flow(a) for a in activities]
    return doc


def make_subprocesses(org: Org, process: str, activities: list[Doc]) -> list[Doc]:
    subprocesses, start = [], org.rng.randint(0, 10)
    for label in SUBPROCESSES[process]:
        length = org.rng.randint(3, 12)
        ids = [a["id"] for a in activities[start:start + length]]
        subprocesses.append({"name": f"{process}-{label}", "title": label.capitalize(), "activities": ids})
        start += length + org.rng.randint(5, 30)
    return subprocesses


def make_control(org: Org, title: str, counted: str) -> Doc:
    unit = counted.split()[-1] + "s"
    steering = [s.format(t=title) for s in org.rng.sample(STEERING, org.rng.randint(2, 3))]
    chosen = [INFORMING[0], INFORMING[3], *org.rng.sample([INFORMING[1], INFORMING[2], INFORMING[4]], 1)]
    informing = []
    for measure, purpose, target in chosen:
        report = {"measure": measure.format(c=unit), "purpose": purpose}
        if target:
            report["target"] = target
        informing.append(Flow(report) if org.flow else report)
    return {"manager": f"{title} process manager", "steering": steering, "informing": informing}


def make_model(org: Org) -> Doc:
    forks = [("agree", "change"), ("recover", "change"), ("recover", "operate"), ("improve", "agree"),
             ("improve", "change"), ("improve", "operate")]
    workflows = [("Agree and change", "wish", ["agree", "change"]), ("Change", "change-request", ["change"]),
                 ("Recover and change", "incident", ["recover", "change"]),
                 ("Recover and operate", "incident", ["recover", "operate"]),
                 ("Operate", "service-request", ["operate"]), ("Improve and agree", "risk", ["improve", "agree"]),
                 ("Improve and change", "risk", ["improve", "change"]),
                 ("Improve and operate", "risk", ["improve", "operate"])]
    return {"apiVersion": "usm/v1", "kind": "ProcessModel",
            "metadata": {"name": org.name("usm"), "title": f"{org.title} USM model",
                         "description": Folded(f"The one process model that every {org.title} service team "
                                               "works to, whatever framework its practices come from.")},
            "spec": {"managementSystem": f"{org.title} service management",
                     "processes": [org.name(p) for p in PROCESSES],
                     "#": "A fork is the only place where work branches: from one process into another.",
                     "forks": [Flow({"from": org.name(a), "to": org.name(b)}) for a, b in forks],
                     "workflows": [{"name": n, "trigger": t, "path": [org.name(p) for p in path]}
                                   for n, t, path in workflows]}}


def make_practice(org: Org, process: str, size: tuple[int, int] = (12, 24), tag: str = "") -> Doc:
    """A framework practice whose activities say who (and sometimes with what) and map onto ``process``."""
    title, framework = PRACTICES[process]
    activities = []
    for number in range(1, org.rng.randint(*size) + 1):
        target = org.rng.choice(org.activities[process])
        performer = org.rng.choice(PERFORMERS)
        verb, _, rest = target["name"].partition(" ")
        name = f"{performer} {_third_person(verb.lower())} {rest}"
        name += f" in {org.rng.choice(TOOLS)}" if org.rng.random() < 0.4 else ""
        activities.append({"id": f"{org.code}-pr{tag}-{PREFIX[process]}-{number}", "name": name,
                           "performer": performer, "mapsTo": target["id"]})
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") + (f"-{tag}" if tag else "")
    return {"apiVersion": "usm/v1", "kind": "Practice",
            "metadata": {"name": org.name(slug), "title": title,
                         "description": f"The {framework} {title} practice as {org.title} runs it."},
            "spec": {"framework": framework, "activities": activities}}


def _third_person(verb: str) -> str:
    if verb.endswith(("s", "sh", "ch", "x", "z")):
        return verb + "es"
    if verb.endswith("y") and verb[-2:-1] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + "s"


def make_project(org: Org) -> Doc:
    slug, title, goal = org.rng.choice(PROJECTS)
    changes = org.activities["change"]
    activities = []
    for number in range(1, org.rng.randint(8, 16) + 1):
        target = changes[min(len(changes) - 1, (number - 1) * len(changes) // 16)]
        activities.append({"id": f"{org.code}-prj-{number}", "mapsTo": target["id"],
                           "name": f"{target['name']} in wave {1 + (number - 1) // 4}"})
    return {"apiVersion": "usm/v1", "kind": "Project",
            "metadata": {"name": org.name(slug), "title": f"{title} {2025 + org.index % 3}"},
            "spec": {"goal": Folded(f"{goal} before the end of {2025 + org.index % 3}, with no unplanned "
                                    "downtime for customers."),
                     "follows": [org.name("change")], "activities": activities}}


def make_procedure(org: Org, process: str) -> Doc:
    steps = []
    for activity in org.activities[process]:
        others = org.rng.sample(PROFILES, org.rng.randint(2, 3))
        raci = {others[0]: "R", others[1]: "A", **{p: org.rng.choice("CI") for p in others[2:]}}
        steps.append({"activity": activity["id"], "raci": Flow(raci) if org.flow else raci})
    return {"apiVersion": "usm/v1", "kind": "Procedure",
            "metadata": {"name": org.name(f"{process}-procedure"), "title": f"{HEADER[process][0]} procedure",
                         "description": f"Who does what in each {HEADER[process][0]} activity at {org.title}."},
            "spec": {"process": org.name(process), "steps": steps}}


def make_work_instruction(org: Org, process: str, number: int) -> Doc:
    chosen = org.rng.sample(org.activities[process], org.rng.randint(2, 6))
    steps = []
    for activity in chosen:
        tool = org.rng.choice(TOOLS)
        how = org.rng.choice(HOW).format(j=activity["name"].split(" the ", 1)[-1], tool=tool)
        steps.append({"activity": activity["id"], "how": how, "tool": tool})
    return {"apiVersion": "usm/v1", "kind": "WorkInstruction",
            "metadata": {"name": org.name(f"{process}-instruction-{number}"),
                         "title": f"{HEADER[process][0]} work instruction {number}"},
            "spec": {"process": org.name(process), "procedure": org.name(f"{process}-procedure"), "steps": steps}}


# ---------------------------------------------------------------------------------------------
# Defects: what real organisations get wrong. Each takes a Process document and damages it.

def _pick(org: Org, doc: Doc) -> Doc:
    return org.rng.choice(doc["spec"]["activities"][1:-1])


def _process(doc: Doc) -> str:
    name: str = doc["metadata"]["name"]
    return name.split("-")[0]


def _fields(org: Org, doc: Doc) -> dict[str, str]:
    process = _process(doc)
    return {"o": org.rng.choice(OBJECTS[process]), "s": org.rng.choice(org.services),
            "v": org.rng.choice(VERBS[process])}


def defect_role_actor(org: Org, doc: Doc) -> None:
    _pick(org, doc)["name"] = unique_name(org, _process(doc), ROLE_ACTORS)[0]


def defect_named_tool(org: Org, doc: Doc) -> None:
    activity = _pick(org, doc)
    activity["name"] += f" in {org.rng.choice(TOOLS[:5])}"


def defect_condition(org: Org, doc: Doc) -> None:
    _pick(org, doc)["description"] = org.rng.choice(CONDITIONS).format(**_fields(org, doc)) + "."


def defect_who_key(org: Org, doc: Doc) -> None:
    _pick(org, doc)["performer"] = org.rng.choice(PERFORMERS)


def defect_role_in_text(org: Org, doc: Doc) -> None:
    _pick(org, doc)["description"] = f"Agree the timing with the service owner of the {org.rng.choice(org.services)}."


def defect_hidden_decision(org: Org, doc: Doc) -> None:
    _pick(org, doc)["name"] = unique_name(org, _process(doc), DECISIONS)[0]


def defect_noun_title(org: Org, doc: Doc) -> None:
    doc["metadata"]["title"] = NOUN_TITLES[_process(doc)]


def defect_no_output(org: Org, doc: Doc) -> None:
    del doc["spec"]["output"]


def defect_no_trigger(org: Org, doc: Doc) -> None:
    del doc["spec"]["trigger"]


def defect_duplicate_id(org: Org, doc: Doc) -> None:
    activities = doc["spec"]["activities"]
    later = org.rng.randrange(len(activities) // 2, len(activities) - 1)
    activities[later]["id"] = activities[later - 20]["id"]


def defect_branching(org: Org, doc: Doc) -> None:
    activities = doc["spec"]["activities"]
    at = org.rng.randrange(1, len(activities) - 3)
    activities[at]["next"] = [activities[at + 1]["id"], activities[at + 3]["id"]]


def defect_qualifier(org: Org, doc: Doc) -> None:
    _pick(org, doc)["name"] += org.rng.choice([" for gold customers", " for premium users", ", priority 1 only"])


def defect_one_sided_informing(org: Org, doc: Doc) -> None:
    informing = doc["spec"]["control"]["informing"]
    informing[:] = [r for r in informing if r["purpose"] == "accountability"]


PROCESS_DEFECTS = {"role-as-actor": defect_role_actor, "named-tool": defect_named_tool,
                   "conditional-clause": defect_condition, "who-key": defect_who_key,
                   "noun-title": defect_noun_title, "missing-output": defect_no_output,
                   "missing-trigger": defect_no_trigger, "duplicate-id": defect_duplicate_id,
                   "branching-next": defect_branching, "customer-qualifier": defect_qualifier,
                   "accountability-only": defect_one_sided_informing, "role-in-text": defect_role_in_text,
                   "hidden-decision": defect_hidden_decision}
PROCESS_DEFECT_RATE = 0.10


def damage_process(org: Org, doc: Doc) -> bool:
    if org.rng.random() >= PROCESS_DEFECT_RATE:
        return False
    kind = org.rng.choice(sorted(PROCESS_DEFECTS))
    PROCESS_DEFECTS[kind](org, doc)
    org.defects[kind] += 1
    return True


def orphan_process(org: Org) -> Doc:
    """A process document that no model lists (an old ITIL process nobody removed)."""
    activities = [make_activity(org, "improve", 900 + n) for n in range(1, org.rng.randint(5, 9))]
    return {"apiVersion": "usm/v1", "kind": "Process",
            "metadata": {"name": org.name("problem-handling"), "title": "Handle problems"},
            "spec": {"model": org.name("usm"), "purpose": "Find and remove the causes of recurring incidents.",
                     "output": f"Removed cause of recurring incidents at {org.title}", "outputRecipient": "customer",
                     "trigger": "risk", "countedAs": "removed cause", "activities": activities}}


# ---------------------------------------------------------------------------------------------
# Files


@dataclass
class File:
    path: str
    documents: list[Doc]
    comment: str
    defective: bool = False


def organisation_files(org: Org) -> list[File]:
    """The ten files of one organisation, with its defects."""
    files = [File("model.yaml", [make_model(org)], f"The process model of {org.title}.")]
    for process in PROCESSES:
        doc = make_process(org, process)
        files.append(File(f"{process}.yaml", [doc], f"{HEADER[process][0]}: what happens, in order. "
                          "Who does it is in a procedure, how in a work instruction.", damage_process(org, doc)))
    if org.rng.random() < 0.04:
        files[3].documents.append(orphan_process(org))
        files[3].defective = True
        org.defects["unreferenced-process"] += 1
    files.append(practice_file(org))
    project = make_project(org)
    files.append(File(f"project-{project['metadata']['name'].removesuffix('-' + org.slug)}.yaml", [project],
                      "Projects follow processes: each activity maps onto a Change activity."))
    files.extend(routine_files(org))
    return files


def practice_file(org: Org) -> File:
    chosen = org.rng.sample(PROCESSES, org.rng.choice([1, 1, 2, 3]))
    docs = [make_practice(org, process) for process in chosen]
    defective = org.rng.random() < 0.04
    if defective:
        del docs[0]["spec"]["activities"][-1]["mapsTo"]
        org.defects["unmapped-practice-activity"] += 1
    name = "practices.yaml" if len(docs) > 1 else f"practice-{chosen[0]}.yaml"
    return File(name, docs, "Framework practices, mapped onto the processes of the model.", defective)


def routine_files(org: Org) -> list[File]:
    first, second = org.rng.sample(PROCESSES, 2)
    routines = [make_procedure(org, first)]
    routines += [make_work_instruction(org, first, n) for n in range(1, org.rng.randint(1, 3) + 1)]
    defective = org.rng.random() < 0.04
    if defective:
        raci = routines[0]["spec"]["steps"][2]["raci"]
        raci[next(p for p in PROFILES if p not in raci)] = "A"
        org.defects["two-accountables"] += 1
    return [File(f"{first}-routines.yaml", routines, "Routines: the procedure adds who, the work instructions how.",
                 defective),
            File(f"{second}-procedure.yaml", [make_procedure(org, second)], "Who does what, per activity.")]


def organisations(count: int, seed: int) -> Iterator[tuple[Org, list[File]]]:
    used: set[tuple[str, ...]] = set()
    for index in range(count):
        org = Org(index, random.Random(seed * 1_000_003 + index), used)
        yield org, organisation_files(org)


def record(stats: Stats, org: Org, files: list[File]) -> None:
    stats.organisations += 1
    stats.defects.update(org.defects)
    for item in files:
        stats.documents += len(item.documents)
        stats.multi_document_files += len(item.documents) > 1
        stats.files_with_defects += item.defective
        for doc in item.documents:
            if doc["kind"] == "Process":
                stats.processes += 1
                stats.activities += len(doc["spec"]["activities"])
    stats.defective_processes += sum(v for k, v in org.defects.items() if k in PROCESS_DEFECTS)


def write_file(stats: Stats, path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    stats.files += 1
    stats.bytes += len(text.encode())


def write_scaled(out: Path, count: int, seed: int) -> Stats:
    """``count`` organisations, one folder each."""
    stats = Stats()
    for org, files in organisations(count, seed):
        record(stats, org, files)
        for item in files:
            write_file(stats, out / f"{org.index:03d}-{org.slug}" / item.path, render(item.documents, item.comment))
    return stats


def write_single(out: Path, megabytes: float, seed: int) -> Stats:
    """Whole organisations, one after another, in one file of about ``megabytes`` MB."""
    stats, parts, size = Stats(), [], 0
    for org, files in organisations(10**6, seed):
        record(stats, org, files)
        for item in files:
            parts.append(render(item.documents, f"{org.title}: {item.path}. {item.comment}"))
            size += len(parts[-1].encode())
        if size >= megabytes * 1e6:
            break
    write_file(stats, out / "single.yaml", "---\n".join(parts))
    stats.multi_document_files, stats.files_with_defects = 1, min(stats.files_with_defects, 1)
    return stats


def write_many(out: Path, count: int, seed: int) -> Stats:
    """One organisation over ``count`` files: its ten usual files, then small routines, one per file."""
    stats = Stats()
    org = Org(0, random.Random(seed), set())
    files = organisation_files(org)
    for number in range(1, count - len(files) + 1):
        process = PROCESSES[number % len(PROCESSES)]
        if number % 4:
            doc = make_work_instruction(org, process, 1000 + number)  # 1-3: the usual files
        else:
            doc = make_practice(org, process, (3, 6), str(number))
        files.append(File(f"routines/{process}/{doc['kind'].lower()}-{number:05d}.yaml", [doc], "A routine."))
    record(stats, org, files)
    for item in files:
        write_file(stats, out / item.path, render(item.documents, item.comment))
    return stats


def organisation_count(scale: float) -> int:
    return max(1, math.ceil(100 * scale - 1e-9))


def write_corpus(out: Path, organisations_count: int, seed: int = 1) -> int:
    """``organisations_count`` organisations under ``out``; returns the bytes written (bench/loader_throughput.py)."""
    return write_scaled(out, organisations_count, seed).bytes


def prepare(out: Path, force: bool) -> None:
    if out.exists() and any(out.iterdir()):
        if not force:
            sys.exit(f"{out} is not empty: pass --force to replace it")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--scale", type=float, default=1.0, help="organisations = ceil(100 * S)")
    parser.add_argument("--files", type=int, help="one organisation over N small files")
    parser.add_argument("--single-file", type=float, metavar="MB", help="one multi-document file of about MB")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--force", action="store_true", help="replace OUT if it is not empty")
    args = parser.parse_args()
    prepare(args.out, args.force)
    if args.files:
        stats = write_many(args.out, max(args.files, 7), args.seed)
    elif args.single_file:
        stats = write_single(args.out, args.single_file, args.seed)
    else:
        stats = write_scaled(args.out, organisation_count(args.scale), args.seed)
    print(f"wrote {args.out}: {stats.summary()}")


if __name__ == "__main__":
    main()
