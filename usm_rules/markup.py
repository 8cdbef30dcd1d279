"""Untrusted text made safe inside Markdown: one escaper for every Markdown the tool writes."""

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
    text = "".join(_HTML.get(c, c) for c in text)
    return _SPACE.sub(" ", _SPECIAL.sub(r"\\\1", text))
