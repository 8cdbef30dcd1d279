"""Did you mean ...? The nearest valid spelling of a mistyped kind, key, rule id or name."""

from __future__ import annotations

from collections.abc import Iterable
from difflib import get_close_matches

CUTOFF = 0.6  # difflib's similarity ratio: 'Proces' ~ 'Process', 'purpsoe' ~ 'purpose', 'who-how' ~ 'who-how-key'


def nearest(word: str, options: Iterable[str]) -> str | None:
    """The closest option to a mistyped word (case-insensitive), or None when none is close."""
    choices = {option.lower(): option for option in options}
    found = get_close_matches(word.lower(), list(choices), n=1, cutoff=CUTOFF)
    return choices[found[0]] if found else None


def suggestion(word: str, options: Iterable[str]) -> str:
    """``"; did you mean 'Process'?"`` or ``""``."""
    found = nearest(word, options)
    return f"; did you mean '{found}'?" if found and found != word else ""
