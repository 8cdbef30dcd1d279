"""The input formats: each one module (a reader that yields documents with positions) and one line
in :data:`FORMATS`, its file-name suffixes and a sniffer for bytes that come without a telling
name (standard input).

A reader is ``read(file, raw, limits) -> LoadedFile``: every document of the file as plain data
with a side index of positions, and every problem met on the way as a positioned
:class:`~usm_rules.model.problems.Problem` (never an exception). Discovery takes the suffixes
from here, :mod:`usm_rules.read.inputs` the reader; nothing else needs to know a format.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ...model.documents import LoadedFile
from ...model.limits import Limits
from . import bpmn_reader, yaml_reader


@dataclass(frozen=True)
class InputFormat:
    """One input format: its name, the suffixes of its files, how to tell its bytes, its reader."""

    name: str
    suffixes: tuple[str, ...]  # lower case, with the dot
    sniff: Callable[[bytes], bool]  # whether bytes without a telling name are in this format
    read: Callable[[str, bytes, Limits], LoadedFile]
    comments: bool  # whether suppression comments (``# usm-rules: disable=...``) are read from its text


FORMATS = (
    InputFormat("yaml", (".yaml", ".yml"), yaml_reader.sniff, yaml_reader.read, comments=True),
    InputFormat("bpmn", (".bpmn", ".bpmn20.xml"), bpmn_reader.sniff, bpmn_reader.read, comments=False),
)
DEFAULT = FORMATS[0]  # what bytes no sniffer claims are read as
SUFFIXES = tuple(suffix for found in FORMATS for suffix in found.suffixes)


def by_name(name: str) -> InputFormat:
    return next(found for found in FORMATS if found.name == name)


def named(file: str) -> InputFormat | None:
    """The format a file name says (its suffix, in any case), or None."""
    lowered = file.lower()
    return next((found for found in FORMATS if lowered.endswith(found.suffixes)), None)


def format_for(file: str, raw: bytes) -> InputFormat:
    """The format to read a file in: the one its name says, else the one whose sniffer claims its
    bytes, else YAML."""
    return named(file) or next((found for found in FORMATS[1:] if found.sniff(raw)), DEFAULT)
