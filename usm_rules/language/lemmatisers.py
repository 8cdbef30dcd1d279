"""The lemmatisers behind the language checks, one per lexicon's ``lemmatizer``. The only
module that reads lemminflect's or simplemma's data.

English reads lemminflect's own lemma lexicon, word by word: the file (``lemma_lu.csv.gz``,
sorted by word) is decompressed once and each word is found by binary search. lemminflect's
``getAllLemmas`` first parses all 80,000 lines into dictionaries (a quarter of a second, at
every start) and importing lemminflect pulls numpy in; neither is needed to look a word up.
The answers are lemminflect's, overrides included (a test compares every word of the
corpora with ``getAllLemmas``).
"""

from __future__ import annotations

import gzip
import importlib.util
from bisect import bisect_left
from functools import cache, lru_cache
from pathlib import Path


def _word(line: str) -> str:
    return line[:line.find(",")]


class LemmaTable:
    """lemminflect's lemma lookup, lazily: ``lemmas(word)`` is ``getAllLemmas(word)`` for a
    lower-case word, as a dict from universal part of speech to a tuple of lemmas."""

    def __init__(self, folder: Path) -> None:
        self._lines = gzip.decompress((folder / "lemma_lu.csv.gz").read_bytes()).decode().splitlines()
        self._overrides: dict[str, dict[str, tuple[str, ...]]] = {}
        for line in (folder / "lemma_overrides.csv").read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                word, upos, lemma = line.split(",")
                self._overrides.setdefault(word, {})[upos] = (lemma,)

    def lemmas(self, word: str) -> dict[str, tuple[str, ...]]:
        found: dict[str, tuple[str, ...]] = {}
        index = bisect_left(self._lines, word, key=_word)
        while index < len(self._lines) and _word(self._lines[index]) == word:
            _, category, forms = self._lines[index].split(",")
            found[category.upper().replace("MODAL", "AUX")] = tuple(forms.split("/"))
            index += 1
        found.update(self._overrides.get(word, {}))
        return {upos: tuple(lemma.lower() for lemma in lemmas) for upos, lemmas in found.items()}


@cache
def lemma_table() -> LemmaTable:
    """lemminflect's lexicon, found without importing lemminflect (which imports numpy)."""
    spec = importlib.util.find_spec("lemminflect")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("lemminflect is not installed")
    return LemmaTable(Path(next(iter(spec.submodule_search_locations))) / "resources")


class Lemminflect:
    """English: lemminflect's lexicon of lemmas by part of speech."""

    def __init__(self, language: str) -> None:
        self._lemmas = lru_cache(maxsize=8192)(lemma_table().lemmas)

    def is_verb(self, word: str) -> bool:
        return "VERB" in self._lemmas(word)

    def knows(self, word: str) -> bool:
        return bool(self._lemmas(word))

    def is_base_verb(self, word: str) -> bool:
        """A verb's base form, or its gerund ("Recovering")."""
        verbs = self._lemmas(word).get("VERB", ())
        return word in verbs or (word.endswith("ing") and bool(verbs))

    def base(self, word: str) -> str:
        found = self._lemmas(word)
        for upos in ("VERB", "NOUN", "ADJ"):
            if upos in found:
                return found[upos][0]
        return word


class Simplemma:
    """Dutch (and other languages simplemma knows): a verb's lemma is its infinitive (-en or -n)."""

    def __init__(self, language: str) -> None:
        import simplemma  # loaded once a text in this language is read

        self._simplemma = simplemma
        self._language = language
        self.lemma = lru_cache(maxsize=8192)(self._lemma)

    def _lemma(self, word: str) -> str:
        # separable verbs come back as "uit_voeren": the infinitive is the word without the mark
        return str(self._simplemma.lemmatize(word, lang=self._language)).replace("_", "").lower()

    def _known(self, word: str) -> bool:
        return bool(self._simplemma.is_known(word, lang=self._language))

    def knows(self, word: str) -> bool:
        return self._known(word)

    def is_verb(self, word: str) -> bool:
        lemma = self.lemma(word)
        return lemma.endswith("n") and len(lemma) > 3 and (self._known(word) or self._known(lemma)) and (
            lemma != word or word.endswith("en"))

    def is_base_verb(self, word: str) -> bool:
        return self.is_verb(word) and self.lemma(word) == word

    def base(self, word: str) -> str:
        return self.lemma(word)


LEMMATISERS: dict[str, type[Lemminflect] | type[Simplemma]] = {"lemminflect": Lemminflect, "simplemma": Simplemma}
