"""Suppression comments (``# usm-rules: disable=RULE -- reason``) found in a file's text.

What a comment suppresses is decided after the rules (:mod:`usm_rules.verdict.suppress`); here each one
is only found, with its place, its rules and its reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..model.inputs import Directive

_DIRECTIVE = re.compile(
    r"(?:^|\s)#\s*usm-rules:\s*(?P<kind>disable-file|disable)\s*="
    r"\s*(?P<rules>[^\s#]*(?:\s*,\s*[^\s#-][^\s#]*)*)(?P<rest>.*)$"
)
_REASON = re.compile(r"^\s*--\s*(?P<reason>.*?)\s*$")


def scan(file: str, text: str, strings: Iterable[tuple[tuple[int, int], tuple[int, int]]] = ()) -> list[Directive]:
    """Every suppression comment of a file (cheap when there is none).

    ``strings`` are the spans of quoted and block scalars: a '#' inside one is text, not a
    comment, so "usm-rules: disable" written in a description suppresses nothing.
    """
    if "usm-rules:" not in text:
        return []
    spans = list(strings)
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        match = _DIRECTIVE.search(line)
        if not match:
            continue
        handles = tuple(h.strip() for h in match.group("rules").split(",") if h.strip())
        reason = _REASON.match(match.group("rest"))
        column = line.index("#", match.start()) + 1
        if any(start <= (number, column) < end for start, end in spans):
            continue
        found.append(Directive(file, number, column, "file" if match.group("kind") == "disable-file" else "line",
                               handles, reason.group("reason") if reason else "", not line[:column - 1].strip()))
    return found
