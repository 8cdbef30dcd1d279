"""Documents as the readers give them (plain data beside a position index), and lines as editors count them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .positions import Positions
from .problems import Problem

BREAK = re.compile(r"\r\n|\r|\n")  # line breaks as editors count them (not NEL, LS or PS)


@dataclass
class Document:
    """One YAML document: plain data, where each node stands, and where it came from."""

    file: str
    index: int
    data: Any
    positions: Positions
    line: int
    format: str = "yaml"  # the input format it was read from (usm_rules.read.formats)


@dataclass
class LoadedFile:
    documents: list[Document] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    text: str | None = None  # the decoded text, when it could be decoded
    # where quoted and block scalars stand, (start, end) 1-based: a '#' inside is no comment
    strings: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)


def editor_lines(text: str) -> list[str]:
    """A text's lines as editors split them (CR LF, CR, LF), without the break; not at the
    other characters the YAML parser or ``str.splitlines`` take for breaks."""
    lines = BREAK.split(text)
    return lines[:-1] if lines and lines[-1] == "" else lines
