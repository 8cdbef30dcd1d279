"""Untrusted text made safe to show: inside Markdown (one escaper for every Markdown the tool
writes), and in any human-readable output (control characters written out)."""

from __future__ import annotations

import re

_SPECIAL = re.compile(r"([\\`*_\[\]|~$])")  # emphasis, code, links, table cells, strike-through, maths
_SPACE = re.compile(r"\s+")  # a newline would end a table row or a list item
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def escape(text: str) -> str:
    """Safe inline and in a table cell: no HTML, no emphasis, code or link, no cell break, one line.

    Values are always written inline, never at the start of a line, so block syntax (``#``,
    ``>``, ``-``) needs no escape.
    """
    text = "".join(_HTML.get(c, c) for c in visible(text, keep="\n\r\t"))
    return _SPACE.sub(" ", _SPECIAL.sub(r"\\\1", text))


# C0 and C1 controls, DEL, and the invisible marks that reorder or hide text (bidirectional
# overrides and isolates, "Trojan Source"; line and paragraph separators)
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def visible(text: str, keep: str = "") -> str:
    """Untrusted text made safe to show to a person: every control character written out
    (``\\x1b``, ``\\n``, ``\\u202e``), so none can move a terminal's cursor, colour it, forge a
    line of output or a CI command, or reorder what is read. Characters in ``keep`` stay."""
    def shown(found: re.Match[str]) -> str:
        char = found.group(0)
        if char in keep:
            return char
        return _NAMED.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")
    return _CONTROL.sub(shown, text)


_TOKEN = re.compile(r"[^\s:,\[\]{}#]+")


def token_length(line: str, index: int) -> int:
    """The length of the word or key that starts at 0-based ``index`` of a source line (0 for
    none): what a caret underlines, and an editor's diagnostic spans."""
    found = _TOKEN.match(line, index)
    return len(found.group(0)) if found else 0


_QUOTED = re.compile(r"'([^']+)'")


def quoted_span(line: str, index: int, message: str) -> tuple[int, int]:
    """Where in a source line a finding's caret (or an editor's range) belongs: the last word
    the message quotes that stands on the line at or after 0-based ``index`` ('ServiceNow' in
    "... is done with 'ServiceNow'"), else the word or key at ``index``. (start, length)."""
    lowered = line.lower()
    for term in reversed(_QUOTED.findall(message)):
        found = lowered.find(term.lower(), index)
        if found >= 0 and term.strip():
            return found, len(term)
    return index, token_length(line, index)


def line_start(path: str) -> str:
    """A path shown at the start of a line: never read as a CI command (``::error ...``)."""
    return f"./{path}" if path.startswith("::") else path
