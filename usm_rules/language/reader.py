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
# how organisations number and qualify titles: "1. Agree", "01 Agree", "P3 Recover", "Step 2:
# Change"; "Agree (service agreements)", "Recover – get shipments moving", "Change: releases"
_ENUMERATOR = re.compile(r"^\s*(?:\(?\d{1,3}[.)]?|\(?[a-z][.)]|[a-z]{1,3}\d{1,3}[.)]?|#\d+"
                         r"|(?:step|phase|stage)\s+\d+[.:]?)\s+", re.IGNORECASE)
_QUALIFIER = re.compile(r"\s*(?:\([^)]*\)|\[[^\]]*\])\s*$|\s+[\u2013\u2014-]\s+.*$|\s*:\s+.*$")
_AUXILIARIES = frozenset({"is", "are", "was", "were", "be", "been", "has", "have", "had", "wordt", "worden", "zijn",
                          "werd", "werden"})


def title_head(title: str) -> str:
    """A title without its number and its qualifier: what the title names ("Recover" of
    "3. Recover (clinical and non-clinical services)"); the title itself when nothing is left."""
    head = _QUALIFIER.sub("", _ENUMERATOR.sub("", title, count=1), count=1).strip()
    return head or title


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
    counterpart_verbs: frozenset[str] = frozenset()
    counterpart_modifiers: frozenset[str] = frozenset()
    counterpart_roles: tuple[str, ...] = ()
    customer_nouns: frozenset[str] = frozenset()
    channel_words: tuple[str, ...] = ()
    rule_nouns: frozenset[str] = frozenset()


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
        self._counterpart_roles = _alternatives(lexicon.counterpart_roles)
        self._channel = re.compile("(?:" + "|".join(lexicon.channel_words) + r")\Z", re.IGNORECASE) \
            if lexicon.channel_words else None
        self._means_words = frozenset(lexicon.tool_prepositions) | frozenset(lexicon.tool_places)
        self._particles = frozenset({"back", "up", "out", "off", "down", "over", "in", "on", "away"})

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
        found = words(title_head(title))
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
        """One word that the lexicon knows as a verb in its base form (the five USM verbs always),
        numbered or qualified as organisations write titles ("2. Change", "Agree (contracts)")."""
        found = words(title_head(title))
        if len(found) != 1:
            return False
        return found[0] in self.lexicon.usm_verbs or self._lemmas.is_base_verb(found[0])

    def area_of_attention(self, title: str) -> str:
        return _word_in(title_head(title), self.lexicon.areas)

    def provider_internal(self, title: str) -> str:
        return _word_in(title_head(title), self.lexicon.internal)

    def role_term(self, text: str) -> str:
        """A role or team the text names as one of the provider's (heuristic): not the customer's
        side met as the work's partner or recipient ("Agree the date with the requesting
        department", "Notify the affected agents", "Keep the students and staff informed")."""
        found = self._role_mention(text)
        return found.group(0) if found else ""  # the whole match: "probleemanalist", not only "analist"

    def role_phrase(self, text: str) -> str:
        """The role :meth:`role_term` finds with the word that qualifies it, in lower case ("title
        team" in "Review the patch with the title team"): what a purpose's customer is matched by."""
        found = self._role_mention(text)
        return self._phrase(text, found) if found else ""

    def customer_phrases(self, text: str) -> list[str]:
        """The roles a purpose or an output names other than as its actor, as :meth:`role_phrase`
        writes them ("Lock in, with each title team, a season plan": ``["title team"]``): the
        customer the process is for, whom its activities may name as their partner."""
        actor = self.role_actor(text)
        return [self._phrase(text, found) for found in (self._roles.finditer(text) if self._roles else ())
                if found.group(0) != actor]

    def _role_mention(self, text: str) -> re.Match[str] | None:
        if self._roles is None or self._base(_opening(text)) in self.lexicon.counterpart_verbs:
            return None
        for found in self._roles.finditer(text):
            if not self._customer_side(text, found.start(), found.end()):
                return found
        return None

    def _phrase(self, text: str, found: re.Match[str]) -> str:
        before = words(_clause_before(text, found.start()))[-1:]
        qualifier = [w for w in before if w not in self._stopwords and w not in self._determiners]
        return " ".join([*qualifier, *found.group(0).lower().split()])

    def _customer_side(self, text: str, start: int, end: int) -> bool:
        """Whether the role at ``text[start:end]`` is the customer's side: a modifier or "for" before
        it, a possessive after it, a customer noun listed with it, or a customer role by name."""
        lex = self.lexicon
        clause = words(_clause_before(text, start))
        before = clause[-3:]
        after = words(text[end:])[:2]
        if set(before) & lex.counterpart_modifiers or "for" in before or text[end:end + 2] in ("'s", "\u2019s"):
            return True
        if {"what", "whatever", "that", "whether"} & set(clause) or (before[-2:-1] == ["with"] and after[:1] == [
                "about"]):
            return True  # "what the department wants": their wish; "a chat with the team about": a partner
        gap = re.match(r"\s+(?=[^\W\d_])", text[end:])
        another_role = bool(gap and self._roles and self._roles.match(text, end + gap.end()))
        if after and gap and self._compound(after[0]) and not another_role:
            return True  # "operator safety", "staff handbook": the role word names something else;
            # "2e-lijns specialist" is one role in two words
        for named in self._counterpart_roles.finditer(text) if self._counterpart_roles else ():
            if named.start() <= start < named.end():
                return True
        listed = [*words(text[:start])[-2:], *after]
        return bool(set(listed) & lex.customer_nouns) and bool({"and", "or"} & set(listed) or "," in text[
            max(0, start - 3):start] + text[end:end + 2])

    def _compound(self, word: str) -> bool:
        """Whether a word after a role makes it a modifier of a noun: a known word, not a verb, not
        a function word."""
        return word not in self._stopwords and word not in self._determiners and self._lemmas.knows(word) \
            and not self._lemmas.is_verb(word)

    def _participle(self, word: str) -> bool:
        return word.endswith(("ed", "en", "wn", "ne")) and word != self._base(word)

    def _base(self, word: str) -> str:
        return self._lemmas.base(word) if word else ""

    def tool_term(self, text: str) -> str:
        """A tool, channel or how-word the text names (heuristic); a tool or channel that is also a
        plain noun only where it is the means: after a means or place preposition ("via the
        portal"), or what a sending or recording verb sends ("Send a reminder e-mail"), not what
        the work is on ("Renew the certificate of the customer portal") or a plain word ("a chat")."""
        for found in self._tools.finditer(text) if self._tools else ():
            clause = _clause_before(text, found.start())
            if self._channel and self._channel.match(found.group(0)) and not set(
                    words(clause)[-3:]) & self._means_words and not self._records(clause):
                continue
            if found.group(0).lower() == "using" and self._applies_a_rule(text[found.end():]):
                continue
            return found.group(0)
        return ""

    def _applies_a_rule(self, after: str) -> bool:
        """Whether what "using" takes is an agreed rule, not a tool: its noun phrase (up to the next
        preposition or clause break) ends in a rule noun ("using the network's cost-sharing formula",
        "using the agreed criteria")."""
        phrase: list[str] = []
        for word in words(re.split(r"[,;:.()]", after)[0])[:6]:
            if word in self._means_words or (phrase and word in self._stopwords and word not in self._determiners):
                break
            phrase.append(word)
        return bool(phrase) and phrase[-1] in self.lexicon.rule_nouns

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
        for agent in self._agent.finditer(text) if self._agent else ():
            if not self._agent_elsewhere(text, agent.start(), agent.start(1), agent.end(1)):
                return agent.group(1)
        return ""

    def _agent_elsewhere(self, text: str, by: int, start: int, end: int) -> bool:
        """Whether an agent phrase ("by the X") names who did something else than the activity: the
        reporter of its object ("the disruption reported by the resident": a participle right after
        a noun), the subject of a clause inside it ("Verify that the request is approved by the
        requester's manager"), or the customer's side."""
        clause = words(_clause_before(text, by))
        if {"that", "whether"} & set(clause):
            return True
        chain = clause[:]
        if chain and chain[-1] in self._particles:
            chain.pop()  # "rolled back by"
        participle = chain[-1] if chain else ""
        while len(chain) >= 3 and chain[-2] in ("and", "or") and self._participle(chain[-3]):
            del chain[-2:]  # "approved or rejected by"
        before = chain[-2] if len(chain) >= 2 else ""
        passive = before in _AUXILIARIES or before in ("be", "being", "get", "gets", "got", "gotten")
        if before and self._participle(participle) and not passive and before not in self._determiners \
                and self._lemmas.knows(before):
            return True  # "the disruption reported by": a participle after a noun, not "is rolled back by"
        return self._customer_side(text, start, end)

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
            if word in lex.not_after and self._reported(text, found.start(), before):
                continue  # "Ask the customer if ...": whether; "Notify the customer when ...": a time
            if before and before[-1] in lex.not_before:
                continue  # "as if", "even if"
            if after and after[0] in lex.hedges:
                continue  # "if known", "if possible": the activity happens anyway
            return found.group(1)
        return ""

    def _reported(self, text: str, position: int, before: list[str]) -> bool:
        """Whether an "if" or "when" at ``position`` is what a reporting verb asks or tells (whether,
        at what time): a reporting verb in its clause ("Residents are told ... when it is back"),
        or, for the last of a list of questions, at the sentence's start ("Note what, where, and
        when it began")."""
        lex = self.lexicon
        if any(w in lex.reporting_verbs or self._base(w) in lex.reporting_verbs for w in before):
            return True
        sentence = re.split(r"[.;:!?]", text[:position])[-1]
        if set(before) - {"and", "or"}:
            return False
        opening = _opening(sentence)
        if opening in lex.reporting_verbs or self._base(opening) in lex.reporting_verbs:
            return True
        # the last of a list of questions a reporting verb governs, wherever the verb stands:
        # "Customers are told what happened, whether they should boil their water, and when ..."
        said = words(sentence)
        return bool(set(said) & _QUESTION_WORDS) and any(self._base(w) in lex.reporting_verbs for w in said)

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


_QUESTION_WORDS = frozenset({"what", "whether", "where", "who", "which", "how", "why"})


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


