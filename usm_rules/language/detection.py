"""Which language each document is read in: stated (``metadata.language``, the configuration's
``language``) or detected from its own text. The only module that imports lingua.

Detection reads a document's titles, purpose, output and activity texts with lingua (a
maintained, rule- and n-gram-based detector: deterministic, no network, no model download)
among :data:`CANDIDATES`, the supported languages plus the languages organisations near them
write in, so that a German model is recognised as German (and left alone) rather than read
as poor Dutch. A language is taken when it is clearly ahead (confidence at least :data:`SURE`
and :data:`LEAD` times the runner-up).

The lexicons have the last word on the supported languages (see :func:`detect`): a short
text (a title alone, "Incident Management") or a jargon-heavy one is too little for any n-gram
detector. Otherwise the document is *unsure* and no language check judges it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from .lexicons import reader, supported
from .reader import words

SURE = 0.5
LEAD = 2.0
CONFIRM = 0.5  # share of the words the proposed language's lexicon must know
KNOWN = 0.75  # share of the words a lexicon must know to overrule the detector
# ISO 639-1 codes lingua is asked to choose among
CANDIDATES = ("en", "nl", "de", "fr", "es", "it", "pt", "da", "sv", "nb", "fi", "pl")
AUTO = "auto"
# the detector's time grows with the text; this much prose (some twenty activities) places a
# language as surely as a hundred activities do
SAMPLE = 2000
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class Reading:
    """The language a document is read in: a code ("" when unsure) and where it comes from."""

    language: str
    source: str  # metadata | configuration | detected
    confidence: float = 1.0

    def label(self) -> str:
        return self.language or "unknown"


def reading(data: Any, setting: str = AUTO) -> Reading:
    """The document's language: its own ``metadata.language``, else the configured one, else detected."""
    metadata = data.get("metadata") if isinstance(data, dict) else None
    stated = metadata.get("language") if isinstance(metadata, dict) else None
    if isinstance(stated, str) and stated:
        return Reading(primary(stated), "metadata")
    if setting != AUTO:
        return Reading(primary(setting), "configuration")
    return detect(sample(" ".join(texts(data))))


def sample(text: str) -> str:
    """The first :data:`SAMPLE` characters of a text, ending at a word boundary."""
    if len(text) <= SAMPLE:
        return text
    cut = text.rfind(" ", 0, SAMPLE)
    return text[:cut if cut > 0 else SAMPLE]


def primary(tag: str) -> str:
    """The primary language subtag of a BCP 47 tag: ``nl-BE`` and ``NL`` read as ``nl``."""
    return tag.replace("_", "-").split("-")[0].lower()


def texts(data: Any) -> list[str]:
    """The prose of a document: title, purpose, output, activity and step texts."""
    found: list[str] = []
    if not isinstance(data, dict):
        return found
    metadata = data["metadata"] if isinstance(data.get("metadata"), dict) else {}
    spec = data["spec"] if isinstance(data.get("spec"), dict) else {}
    title = metadata.get("title") or (str(metadata.get("name", "")).replace("-", " ").replace("_", " "))
    for value in (title, metadata.get("description"), spec.get("purpose"), spec.get("output")):
        if isinstance(value, str):
            found.append(value)
    for key in ("activities", "steps"):
        items = spec.get(key)
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict):
                found += [v for k, v in item.items() if k in ("name", "description", "how") and isinstance(v, str)]
    return found


def detect(text: str) -> Reading:
    """The language a text is written in, or "" when neither the detector nor a lexicon can place it.

    lingua proposes; the lexicons confirm: a supported language is taken when its lexicon knows
    at least :data:`CONFIRM` of the words, or, whatever lingua said, when it knows :data:`KNOWN`
    of them (lingua's n-grams misplace short or jargon-heavy English: "Managed Availability and
    Capacity" read as French or Swedish, differently from one lingua release to the next). A
    language without a lexicon is taken only when lingua is sure of it.
    """
    found = [word for word in words(text) if not _DIGIT.search(word)]
    if not found:
        return Reading("", "detected", 0.0)
    values = _detector().compute_language_confidence_values(text)
    ranking = [value.language.iso_code_639_1.name.lower() for value in values]
    first, second = values[0].value, values[1].value if len(values) > 1 else 0.0
    sure = first >= SURE and first >= LEAD * second
    if ranking[0] in supported() and _known(ranking[0], found) >= CONFIRM:
        return Reading(ranking[0], "detected", round(first, 2))
    shares = {code: _known(code, found) for code in supported()}
    best = max(shares.values(), default=0.0)
    if best >= KNOWN:
        tied = [code for code, share in shares.items() if share == best]
        chosen = min(tied, key=lambda code: ranking.index(code) if code in ranking else len(ranking))
        return Reading(chosen, "detected", round(best, 2))
    return Reading(ranking[0] if sure and ranking[0] not in supported() else "", "detected", round(first, 2))


def _known(language: str, found: list[str]) -> float:
    """The share of the words a language's lexicon knows."""
    if not found:
        return 0.0
    known = reader(language).knows
    return sum(1 for word in found if known(word)) / len(found)


@cache
def _detector() -> Any:
    from lingua import IsoCode639_1, LanguageDetectorBuilder  # loaded when a document is detected

    codes = [getattr(IsoCode639_1, code.upper()) for code in CANDIDATES]
    # low-accuracy mode: trigram models only, about 0.1 s and 30 MB to load instead of seconds and
    # hundreds of MB; on titles and activity texts it places English and Dutch as well
    return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).with_low_accuracy_mode().build()
