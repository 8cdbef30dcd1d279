"""Language knowledge, computed once per text and stored in fact attributes.

Rules never parse a language; they match the attributes a :class:`Reader` fills in. A reader
reads one language from its :class:`Lexicon` (the data file ``lexicons/<code>.yaml``: word
lists and patterns with their sources) and a maintained lemmatiser for base forms and verb
readings (:mod:`usm_rules.language.lemmatisers`): lemminflect's lexicon for English, simplemma's
dictionary for Dutch. So "Recover" and "Herstellen" read as bare verbs and "Security" and
"Incidentbeheer" do not, without a hand-kept verb list.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from .lemmatisers import LEMMATISERS

_WORD = re.compile(r"[^\W_]+")
_AUXILIARIES = frozenset({"is", "are", "was", "were", "be", "been", "has", "have", "had", "wordt", "worden", "zijn",
                          "werd", "werden"})


def words(text: str) -> list[str]:
    """The words of a text, lower case (letters and digits of any script)."""
    return _WORD.findall(text.lower())


class Lemmas(Protocol):
    """A lemmatiser as the checks use it (see :mod:`usm_rules.language.lemmatisers`)."""

    def is_verb(self, word: str) -> bool: ...
    def is_base_verb(self, word: str) -> bool: ...
    def knows(self, word: str) -> bool: ...
    def base(self, word: str) -> str: ...


@dataclass(frozen=True)
class Lexicon:
    """One language's words, as its data file gives them (see ``schemas/lexicon.schema.json``)."""

    language: str
    name: str
    lemmatizer: str
    compounds: bool
    usm_verbs: frozenset[str]
    noun_markers: frozenset[str]
    noun_marker_endings: tuple[str, ...]
    nominal_suffixes: tuple[str, ...]
    articles: frozenset[str]
    determiners: frozenset[str]
    stopwords: frozenset[str]
    areas: frozenset[str]
    internal: frozenset[str]
    roles: tuple[str, ...]
    tools: tuple[str, ...]
    conditions: tuple[str, ...]
    not_after: frozenset[str]
    reporting_verbs: frozenset[str]
    clause_conditions: tuple[str, ...]
    internal_outputs: frozenset[str] = frozenset()
    agent_prepositions: tuple[str, ...] = ()
    tool_prepositions: tuple[str, ...] = ()
    how_words: tuple[str, ...] = ()
    weak_conditions: tuple[str, ...] = ()
    qualifiers: tuple[str, ...] = ()
    decisions: tuple[str, ...] = ()
    not_before: frozenset[str] = frozenset()
    hedges: frozenset[str] = frozenset()
    tool_places: tuple[str, ...] = ()
    record_verbs: frozenset[str] = frozenset()
    agree_verbs: frozenset[str] = frozenset()


class Reader:
    """The language checks of one language."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self._roles = _alternatives(lexicon.roles, compound=lexicon.compounds)
        self._tools = _alternatives((*lexicon.tools, *lexicon.how_words))
        self._conditions = _alternatives(lexicon.conditions)
        self._weak = _alternatives(lexicon.weak_conditions)
        self._clause = _alternatives(lexicon.clause_conditions)
        self._qualifiers = _alternatives(lexicon.qualifiers)
        self._decisions = _alternatives(lexicon.decisions)
        articles = "|".join(map(re.escape, sorted(lexicon.articles | lexicon.determiners)))
        ending = r"[^\W\d_]*?" if lexicon.compounds else ""
        roles = "|".join(lexicon.roles)
        modifiers = "" if lexicon.compounds else r"(?:[\w'’-]+\s+){0,2}?"  # "the problem manager", "2nd line"
        self._subject = re.compile(
            rf"^\W*(?:(?:{articles})\s+)?{modifiers}\b({ending}(?:{roles}))\s+([^\W\d_]+)\s+([^\W\d_]+)",
            re.IGNORECASE) if roles else None
        agents = "|".join(map(re.escape, lexicon.agent_prepositions))
        modifiers = r"(?:[\w'’-]+\s+){0,2}?"  # "by the network team", "by the vendor's engineers"
        self._agent = re.compile(rf"\b(?:{agents})\s+(?:(?:{articles})\s+)?{modifiers}\b({ending}(?:{roles}))\b",
                                 re.IGNORECASE) if roles and agents else None
        means = "|".join(map(re.escape, lexicon.tool_prepositions))
        tools = "|".join(lexicon.tools)
        vendor = r"(?:(?:microsoft|ms|atlassian|google|aws|amazon|azure|ibm|oracle|bmc)\s+)?"
        self._means = re.compile(rf"\b(?:{means})\s+(?:(?:{articles})\s+)?{vendor}({tools})\b",
                                 re.IGNORECASE) if means and tools else None
        places = "|".join(map(re.escape, lexicon.tool_places))
        self._place = re.compile(rf"\b(?:{places})\s+(?:(?:{articles})\s+)?{vendor}({tools})\b",
                                 re.IGNORECASE) if places and tools else None
        self._alternative = re.compile(rf"\s*(?:,|\bor\b)\s+(?:(?:{means})\s+)?(?:(?:{articles})\s+)?({tools})\b",
                                       re.IGNORECASE) if tools else None
        # a named tool doing the work itself: "Jenkins compiles the code"
        self._tool_subject = re.compile(rf"^\W*(?:(?:{articles})\s+)?({tools})\s+([^\W\d_]+)\s+([^\W\d_]+)",
                                        re.IGNORECASE) if tools else None
        self._lemmas: Lemmas = LEMMATISERS[lexicon.lemmatizer](lexicon.language)
        # condition_term asks condition_clause again of the text the fact builder just asked it of
        self.condition_clause = lru_cache(maxsize=64)(self._condition_clause)  # type: ignore[method-assign]
        self._determiners = lexicon.articles | lexicon.determiners
        self._stopwords = lexicon.articles | lexicon.stopwords

    @property
    def language(self) -> str:
        return self.lexicon.language

    def extended(self, roles: tuple[str, ...] = (), tools: tuple[str, ...] = ()) -> Reader:
        """This reader with an organisation's own role and tool names (literal, any case) added."""
        if not roles and not tools:
            return self
        lex = self.lexicon
        return Reader(dataclasses.replace(
            lex, roles=(*map(_literal, roles), *lex.roles), tools=(*map(_literal, tools), *lex.tools)))

    def knows(self, word: str) -> bool:
        """Whether the word is a word of this language (its lemmatiser or its lexicon knows it)."""
        lex = self.lexicon
        return self._lemmas.knows(word) or word in lex.usm_verbs or word in self._stopwords or word in lex.determiners

    def nominal_reason(self, title: str) -> str:
        """Why a title reads as a noun (``""`` when it does not): the exact requirement-2 check.

        A noun marker anywhere makes it a noun ("Change Management", "Incidentbeheer").
        Otherwise a title that starts with a verb and has a determiner is a verb phrase
        ("Restore the connection"); otherwise it is read as a noun phrase whose head is its
        last word ("Service Request Fulfilment", "Change Enablement").
        """
        lex = self.lexicon
        found = words(title)
        for word in found:
            if word in lex.noun_markers:
                return f"contains '{word}'"
            ending = next((e for e in lex.noun_marker_endings if word.endswith(e) and word != e), "")
            if ending:
                return f"contains '{ending}' ('{word}')"
        verb_phrase = bool(found) and self._lemmas.is_verb(found[0]) and any(w in self._determiners for w in found)
        if not found or verb_phrase or (len(found) == 1 and self._lemmas.is_verb(found[0])):
            return ""
        head = found[-1]
        if len(head) > 6 and head.endswith(lex.nominal_suffixes) and not self._lemmas.is_verb(head):
            return f"'{head}' is a noun (nominalisation)"
        content = [w for w in found if w not in self._stopwords and not w.isdigit()]
        if content and not any(w in lex.usm_verbs or self._lemmas.is_verb(w) for w in content):
            return "no word of it reads as a verb"
        return ""

    def is_bare_verb(self, title: str) -> bool:
        """One word that the lexicon knows as a verb in its base form (the five USM verbs always)."""
        found = words(title)
        if len(found) != 1:
            return False
        return found[0] in self.lexicon.usm_verbs or self._lemmas.is_base_verb(found[0])

    def area_of_attention(self, title: str) -> str:
        return _word_in(title, self.lexicon.areas)

    def provider_internal(self, title: str) -> str:
        return _word_in(title, self.lexicon.internal)

    def role_term(self, text: str) -> str:
        return _search(self._roles, text, 0)  # the whole match: "probleemanalist", not only "analist"

    def tool_term(self, text: str) -> str:
        return _search(self._tools, text, 0)

    def role_actor(self, text: str) -> str:
        """A role or team as the subject ("The service desk logs the call") or the agent ("... by
        the network team") of the activity: strong evidence of who (requirement 1)."""
        found = self._subject.search(text) if self._subject else None
        opening = _opening(text)
        if found and found.start(1) > 0 and opening and self._lemmas.is_base_verb(opening) \
                and not text.lstrip().lower().startswith(found.group(1).lower()):
            found = None  # "Restore the team sites": an imperative, the role word is part of the object
        if found and found.group(2).lower().endswith("ing"):
            found = None  # "the desk booking system": a gerund, not a finite verb
        if found:
            verb, after = found.group(2).lower(), found.group(3).lower()
            inflected = verb != self._lemmas.base(verb)  # "logs", "registreert": a finite verb
            # "Service desk tickets are closed": a noun, not a verb; "the developer is notified": passive
            auxiliary = after in _AUXILIARIES or verb in _AUXILIARIES
            if self._lemmas.is_verb(verb) and not auxiliary and (inflected or after in self._determiners):
                return found.group(1)
        return _search(self._agent, text)

    def named_tool(self, text: str) -> str:
        """A named tool, system or channel used as a means ("in ServiceNow", "by e-mail") or doing
        the work itself ("Jenkins compiles the code"): strong."""
        for means in self._means.finditer(text) if self._means else ():
            # "by e-mail or by phone": a choice of channel that is recorded or agreed, not the means
            before = words(text[:means.start()])[-1:]
            alternative = before == ["or"] or text[:means.start()].rstrip().endswith(",")
            if not alternative and not (self._alternative and self._alternative.match(text, means.end())):
                return means.group(1)
        place = self._place.search(text) if self._place else None
        if place and self._records(_clause_before(text, place.start())):
            return place.group(1)  # "Log the call in ServiceNow", not "Fix the error in the portal"
        found = self._tool_subject.search(text) if self._tool_subject else None
        if found:
            verb, after = found.group(2).lower(), found.group(3).lower()
            finite = verb != self._lemmas.base(verb) and not {verb, after} & _AUXILIARIES
            if self._lemmas.is_verb(verb) and finite:
                return found.group(1)
        return ""

    def _records(self, clause: str) -> bool:
        """Whether the clause's verb records or sends: its opening word (an imperative) or a finite
        form in it ("registers"), never a noun that could also be a verb ("the broken link")."""
        found = words(clause)
        verbs = [w for w in found if w == _opening(clause) or w != self._lemmas.base(w)]
        return any(self._lemmas.base(w) in self.lexicon.record_verbs for w in verbs)

    def condition_clause(self, text: str) -> str:
        return self._condition_clause(text)  # replaced by a memo of _condition_clause per reader

    def _condition_clause(self, text: str) -> str:
        """A conditional clause governing the activity ("If priority is P1, ...", "... unless ..."): strong."""
        found = self._first_condition(self._conditions, text)
        if found:
            return found
        for match in self._clause.finditer(text) if self._clause else ():
            if not _clause_before(text, match.start()).strip():  # it opens its clause
                return match.group(1)
        return ""

    def condition_term(self, text: str) -> str:
        """Any conditional wording, the strong clauses included (heuristic on its own)."""
        return self.condition_clause(text) or self._first_condition(self._weak, text)

    def _first_condition(self, pattern: re.Pattern[str] | None, text: str) -> str:
        lex = self.lexicon
        for found in pattern.finditer(text) if pattern else ():
            before, after = words(_clause_before(text, found.start())), words(text[found.end():])[:1]
            word = found.group(1).lower()
            if word in lex.not_after and before and (before[0] in lex.reporting_verbs or
                                                    before[-1] in lex.reporting_verbs):
                continue  # "Ask the customer if ...": whether; "Notify the customer when ...": a time
            if before and before[-1] in lex.not_before:
                continue  # "as if", "even if"
            if after and after[0] in lex.hedges:
                continue  # "if known", "if possible": the activity happens anyway
            return found.group(1)
        return ""

    def qualifier(self, text: str) -> str:
        """A customer-class qualifier ("for gold customers", "priority 1 only"): strong (requirement 4).

        Not after a verb that makes the class the subject ("Agree the service levels for gold
        customers": differentiated agreements are what Agree makes)."""
        if _opening(text) in self.lexicon.agree_verbs:
            return ""
        return _search(self._qualifiers, text)

    def decision(self, text: str) -> str:
        """A decision hidden in the activity ("decide whether", "approve or reject"): heuristic."""
        return _search(self._decisions, text)

    def output_internal(self, output: str) -> str:
        """A word of an output that only the provider sees ("Updated CMDB"), or ""."""
        return _word_in(output, self.lexicon.internal_outputs)

    def normalised_name(self, name: str) -> str:
        """Lower case, punctuation and articles dropped: equal names mean the same activity."""
        return " ".join(w for w in words(name) if w not in self.lexicon.articles)

    def near_key(self, name: str) -> str:
        """Content words in base form, sorted: "Logging records" and "Log the record" meet."""
        return " ".join(sorted(self._lemmas.base(w) for w in words(name) if w not in self._stopwords))


def _search(pattern: re.Pattern[str] | None, text: str, group: int = 1) -> str:
    """The first match's group, or ""."""
    found = pattern.search(text) if pattern else None
    return found.group(group) if found else ""


def _word_in(text: str, vocabulary: frozenset[str]) -> str:
    """The first word of a text that is in a word list, or ""."""
    return next((word for word in words(text) if word in vocabulary), "")


def _opening(text: str) -> str:
    """A text's first word, lower case ("" for none)."""
    found = _WORD.search(text.lower())
    return found.group(0) if found else ""


def _clause_before(text: str, position: int) -> str:
    """The part of the clause that stands before ``position`` (since the last , ; : or .)."""
    return re.split(r"[,;:.]", text[:position])[-1]


def _literal(name: str) -> str:
    """A configured name as a pattern: itself, any spacing."""
    return r"\s+".join(map(re.escape, name.split()))


def _alternatives(patterns: tuple[str, ...], compound: bool = False) -> re.Pattern[str] | None:
    """One pattern for a list, on word boundaries; with ``compound``, also as a word's last part."""
    if not patterns:
        return None
    ending = r"[^\W\d_]*?" if compound else ""
    return re.compile(r"\b" + ending + "(" + "|".join(patterns) + r")\b", re.IGNORECASE)


