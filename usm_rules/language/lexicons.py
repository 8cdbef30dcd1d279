"""The shipped lexicons (``lexicons/<code>.yaml``), read and validated once, one per language.

Which languages the language checks read is which lexicon files exist: a further language is
a data file of the same form (``schemas/lexicon.schema.json``), not code; see
``docs/languages.md``. A broken lexicon is a :class:`LexiconError` naming the file and key.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from ..model.errors import DataFileError
from ..model.shipped import shipped
from ..read.own_files import load_data_file
from .reader import Lexicon, Reader


class LexiconError(DataFileError):
    """A lexicon file that cannot be used."""


def supported() -> tuple[str, ...]:
    """The language codes with a shipped lexicon, sorted."""
    return tuple(sorted(path.stem for path in shipped("lexicons").glob("*.yaml")))


@cache
def _data(language: str) -> dict[str, Any]:
    """A lexicon file's data, read and validated once (KeyError for a language without one)."""
    if language not in supported():
        raise KeyError(language)
    path = shipped("lexicons") / f"{language}.yaml"
    document = load_data_file(path, "lexicon.schema.json", LexiconError).document
    if document is None:
        raise LexiconError(str(path), "file", "is empty")
    if document.data["language"] != language:
        raise LexiconError(str(path), "language", f"'{document.data['language']}' does not match the file name")
    return document.data


@cache
def reader(language: str) -> Reader:
    """The language checks for a supported language (KeyError for another)."""
    data = _data(language)
    return Reader(Lexicon(
        language=language, name=data["name"], lemmatizer=data["lemmatizer"], compounds=data["compounds"],
        # the five USM verbs of every language: "Afspreken" in an English-read model is no noun
        usm_verbs=frozenset(data["usmVerbs"]) | _usm_verbs(), noun_markers=frozenset(data["nounMarkers"]),
        noun_marker_endings=tuple(data["nounMarkerEndings"]), nominal_suffixes=tuple(data["nominalSuffixes"]),
        articles=frozenset(data["articles"]), determiners=frozenset(data["determiners"]),
        stopwords=frozenset(data["stopwords"]), areas=frozenset(data["areas"]),
        internal=frozenset(data["internal"]), roles=tuple(data["roles"]), tools=tuple(data["tools"]),
        conditions=tuple(data["conditions"]), not_after=frozenset(data["notAfter"]),
        reporting_verbs=frozenset(data["reportingVerbs"]), clause_conditions=tuple(data["clauseConditions"]),
        internal_outputs=frozenset(data["internalOutputs"]),
        agent_prepositions=tuple(data["agentPrepositions"]), tool_prepositions=tuple(data["toolPrepositions"]),
        how_words=tuple(data["howWords"]), weak_conditions=tuple(data["weakConditions"]),
        qualifiers=tuple(data["qualifiers"]), decisions=tuple(data["decisions"]),
        not_before=frozenset(data["notBefore"]), hedges=frozenset(data["hedges"]),
        tool_places=tuple(data["toolPlaces"]), record_verbs=frozenset(data["recordVerbs"]),
        agree_verbs=frozenset(data["agreeVerbs"]),
        counterpart_verbs=frozenset(data.get("counterpartVerbs", ())),
        counterpart_modifiers=frozenset(data.get("counterpartModifiers", ())),
        counterpart_roles=tuple(data.get("counterpartRoles", ())),
        customer_nouns=frozenset(data.get("customerNouns", ())),
        channel_words=tuple(data.get("channelWords", ())),
        rule_nouns=frozenset(data.get("ruleNouns", ())),
    ))


@cache
def _usm_verbs() -> frozenset[str]:
    return frozenset(verb for language in supported() for verb in _data(language)["usmVerbs"])


@cache
def activity_keys() -> dict[str, str]:
    """Every language's activity keys that say who, how or under which condition: key -> kind.

    Keys are structure, not prose: a ``rol:`` key is read in any document, so the keys of every
    shipped lexicon apply everywhere.
    """
    kinds: dict[str, str] = {}
    for language in supported():  # the data alone: no reader (and no lemmatiser) for a language not read
        data = _data(language)
        for kind, keys in (("who", "whoKeys"), ("how", "howKeys"), ("condition", "conditionKeys")):
            kinds.update(dict.fromkeys(data[keys], kind))
    return kinds
