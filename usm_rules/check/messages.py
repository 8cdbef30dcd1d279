"""A rule's message template: ``{alias.attribute}`` placeholders, filled from the matched facts.

A rule reported once per file (``report: {per: file}``) speaks of all its matches in the file at
once, with three more placeholders: ``{count}`` (how many matches), ``{count|process|processes}``
(the word for that many) and ``{each:alias.attribute}`` (the values, each once, in reading order,
joined by commas).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

PLACEHOLDER = re.compile(r"\{([a-z][a-zA-Z0-9]*)\.([a-zA-Z][a-zA-Z0-9]*)\}")
GROUPED = re.compile(r"\{count\}|\{count\|([^|{}]*)\|([^|{}]*)\}|\{each:([a-z][a-zA-Z0-9]*)\.([a-zA-Z][a-zA-Z0-9]*)\}")


def render_message(template: str, bound: Mapping[str, Mapping[str, Any]]) -> str:
    """The message with each ``{alias.attribute}`` replaced by the matched fact's value."""
    return PLACEHOLDER.sub(lambda m: str(bound[m.group(1)][m.group(2)]), template)


def render_grouped(template: str, matches: Sequence[Mapping[str, Mapping[str, Any]]]) -> str:
    """The message of a rule reported once per file, for these matches (in reading order)."""
    count = len(matches)

    def filled(found: re.Match[str]) -> str:
        if found.group(0) == "{count}":
            return str(count)
        if found.group(3):
            values = dict.fromkeys(str(bound[found.group(3)][found.group(4)]) for bound in matches)
            return ", ".join(values)
        return found.group(1) if count == 1 else found.group(2)
    return GROUPED.sub(filled, template)
