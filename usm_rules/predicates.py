"""Language knowledge, computed once per text and stored in fact attributes.

Rules never parse English; they match the attributes these predicates fill in. The lexicon
for verbs is lemminflect's (a maintained English lemmatiser), so "Recover" reads as a bare
verb and "Security" does not, without a hand-kept verb list.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lemminflect import getAllLemmas

USM_VERBS = frozenset({"agree", "change", "recover", "operate", "improve"})
# keys of a process activity that say who performs it, and keys that say how (with what)
WHO_KEYS = (
    "performer", "performers", "performedby", "performed_by", "performed-by", "who", "role", "roles",
    "team", "actor", "actors", "owner", "assignee", "group", "department", "responsible", "lane", "swimlane",
)
HOW_KEYS = ("how", "tool", "tools", "system", "systems", "application", "channel", "method")
CONDITION_KEYS = ("condition", "gateway", "decision", "when", "if")
AREAS_OF_ATTENTION = frozenset(
    {"security", "availability", "capacity", "continuity", "knowledge", "compliance", "quality", "performance"}
)
PROVIDER_INTERNAL = frozenset(
    {"test", "testing", "monitor", "monitoring", "develop", "development", "design", "knowledge",
     "configuration", "configure"}
)
_NOUN_MARKERS = frozenset({"management", "process", "processes"})
_NOMINAL_SUFFIXES = ("ment", "tion", "sion", "ance", "ence", "ancy", "ency")
_ARTICLES = frozenset({"a", "an", "the"})
_DETERMINERS = _ARTICLES | frozenset({"all", "each", "every", "its", "our", "their", "any", "this", "that", "new"})
_STOPWORDS = _ARTICLES | frozenset(
    {"of", "for", "to", "and", "or", "in", "on", "with", "from", "at", "into", "per", "its", "their", "our", "all"}
)
_ROLES = re.compile(
    r"\b(service desks?|help ?desks?|desks?|engineers?|analysts?|managers?|teams?|agents?|technicians?|"
    r"administrators?|admins?|specialists?|supervisors?|staff|departments?|operators?|dispatchers?|"
    r"first[- ]line|second[- ]line|third[- ]line)\b",
    re.IGNORECASE,
)
_TOOLS = re.compile(
    r"\b(servicenow|jira|topdesk|remedy|sap|excel|spreadsheets?|e-?mails?|telephones?|phones?|portals?|"
    r"chat|slack|sharepoint|outlook|cmdb|databases?|tools?|ticketing|using|via|by means of|manually|by hand)\b",
    re.IGNORECASE,
)
_CONDITIONS = re.compile(
    r"\b(if|when|whenever|unless|depending on|in case|in the event|otherwise)\b", re.IGNORECASE
)
# after these verbs "if" means "whether" and "when" a time: "Check if it works", "Record when"
_REPORTING = frozenset({"check", "checks", "verify", "verifies", "ask", "asks", "record", "records", "note",
                        "notes", "log", "logs", "register", "registers", "tell", "tells", "inform", "informs",
                        "confirm", "confirms", "state", "states", "say", "says", "know", "determine", "decide"})
_WORD = re.compile(r"[a-z0-9]+")


def activity_key_kind(key: str) -> str:
    """``who``, ``how`` or ``condition`` for a key of a process activity that says so, else ``""``."""
    key = key.lower()
    return "who" if key in WHO_KEYS else "how" if key in HOW_KEYS else "condition" if key in CONDITION_KEYS else ""


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


@lru_cache(maxsize=4096)
def lemmas(word: str) -> dict:
    return getAllLemmas(word)


def nominal_reason(title: str) -> str:
    """Why a title reads as a noun (``""`` when it does not): the exact requirement-2 check.

    "Management" or "process" anywhere makes it a noun ("Change Management"). Otherwise a
    title that starts with a verb and has an article is a verb phrase ("Restore the
    connection"); otherwise it is read as a noun phrase whose head is its last word
    ("Service Request Fulfilment", "Change Enablement").
    """
    found = words(title)
    for word in found:
        if word in _NOUN_MARKERS:
            return f"contains '{word}'"
    verb_phrase = bool(found) and "VERB" in lemmas(found[0]) and any(w in _DETERMINERS for w in found)
    if not found or verb_phrase or (len(found) == 1 and "VERB" in lemmas(found[0])):
        return ""
    head = found[-1]
    if len(head) > 6 and head.endswith(_NOMINAL_SUFFIXES) and "VERB" not in lemmas(head):
        return f"'{head}' is a noun (nominalisation)"
    return ""


def is_bare_verb(title: str) -> bool:
    """One word that the lexicon knows as a verb in its base form (the five USM verbs always)."""
    found = words(title)
    if len(found) != 1:
        return False
    word = found[0]
    return word in USM_VERBS or word in lemmas(word).get("VERB", ())


def area_of_attention(title: str) -> str:
    return next((w for w in words(title) if w in AREAS_OF_ATTENTION), "")


def provider_internal(title: str) -> str:
    return next((w for w in words(title) if w in PROVIDER_INTERNAL), "")


def role_term(text: str) -> str:
    found = _ROLES.search(text)
    return found.group(0) if found else ""


def tool_term(text: str) -> str:
    found = _TOOLS.search(text)
    return found.group(0) if found else ""


def condition_term(text: str) -> str:
    for found in _CONDITIONS.finditer(text):
        before = words(text[:found.start()])
        if found.group(1).lower() in ("if", "when") and before and before[-1] in _REPORTING:
            continue
        return found.group(1)
    return ""


def normalised_name(name: str) -> str:
    """Lower case, punctuation and articles dropped: equal names mean the same activity."""
    return " ".join(w for w in words(name) if w not in _ARTICLES)


def near_key(name: str) -> str:
    """Content words in base form, sorted: "Logging records" and "Log the record" meet."""
    return " ".join(sorted(_base(w) for w in words(name) if w not in _STOPWORDS))


def _base(word: str) -> str:
    found = lemmas(word)
    for upos in ("VERB", "NOUN", "ADJ"):
        if upos in found:
            return found[upos][0]
    return word
