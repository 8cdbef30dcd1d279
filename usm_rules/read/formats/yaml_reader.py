"""YAML text to plain data plus a position index. The only module that imports ruamel.yaml.

Speed and safety come from building the data straight from the parser's event stream (the
C-backed parser when ruamel.yaml.clib is installed): no round-trip objects, no constructor,
so no Python object is ever built from a tag, and no recursion, so deep nesting cannot
overflow a stack. Dates stay strings; scalars follow the YAML 1.2 core schema.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from ruamel.yaml.reader import ReaderError

from ...model.documents import BREAK, Document, LoadedFile
from ...model.limits import Limits
from ...model.positions import Positions
from ...model.problems import (
    ALIAS_BOMB,
    DUPLICATE_KEY,
    EMPTY,
    ENCODING,
    NOT_A_MAPPING,
    OVER_LIMIT,
    UNSUPPORTED_TAG,
    YAML_SYNTAX,
    Problem,
)
from ..decoding import DecodeFailure, decode

try:  # the C parser keeps every mark and is about ten times faster
    from ruamel.yaml.cyaml import CParser
except ImportError:  # pragma: no cover - only without a compiler and wheels
    CParser = None

PARSER = "libyaml (C)" if CParser is not None else "pure Python"
DEFAULT_LIMITS = Limits()
MAX_DEPTH = DEFAULT_LIMITS.nesting

_CORE = "tag:yaml.org,2002:"
_NULLS = {"", "~", "null", "Null", "NULL"}
_TRUES = {"true", "True", "TRUE"}
_FALSES = {"false", "False", "FALSE"}
_INT = re.compile(r"[-+]?[0-9]+$")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_SPECIAL_FLOATS = {
    ".inf": float("inf"), ".Inf": float("inf"), ".INF": float("inf"),
    "+.inf": float("inf"), "+.Inf": float("inf"), "+.INF": float("inf"),
    "-.inf": float("-inf"), "-.Inf": float("-inf"), "-.INF": float("-inf"),
    ".nan": float("nan"), ".NaN": float("nan"), ".NAN": float("nan"),
}
_MAY_RESOLVE = frozenset("0123456789+-.~nNtTfF")  # how a null, a boolean or a number can begin
_PLAIN_TAGS = {_CORE + t for t in ("str", "timestamp", "binary")}
_COLLECTION_TAGS = {_CORE + t for t in ("map", "seq", "set", "omap", "pairs")}



def sniff(raw: bytes) -> bool:
    """YAML is what no other format claims (see :mod:`usm_rules.read.formats`)."""
    return True


def read(file: str, raw: bytes, limits: Limits) -> LoadedFile:
    """The input format's reader: every document of one file, and every problem met on the way."""
    return load_bytes(file, raw, limits)


def load_bytes(file: str, raw: bytes, limits: Limits = DEFAULT_LIMITS) -> LoadedFile:
    """Every document of one file, and every problem met on the way."""
    text = decode(raw)
    if isinstance(text, DecodeFailure):
        return LoadedFile(problems=[Problem(ENCODING, text.message, text.line, text.column)])
    loaded = load_text(file, text, limits)
    loaded.text = text
    return loaded


def load_text(file: str, text: str, limits: Limits = DEFAULT_LIMITS) -> LoadedFile:
    builder = _Builder(file, limits)
    if _YAML_ONLY_BREAKS.search(text):  # rare: the parser's lines are not the editor's
        builder.relocate = _Lines(text).position
    try:
        for event in _events(text):
            builder.feed(event)
    except _StopFile:
        pass
    except MarkedYAMLError as error:
        builder.fail(_syntax_problem(error, builder.relocate))
    except ReaderError as error:
        line, column = _offset_to_position(text, error.position)
        builder.fail(Problem(YAML_SYNTAX, f"invalid character: {error.reason}", line, column))
    except YAMLError as error:  # pragma: no cover - ruamel raises marked errors in practice
        builder.fail(Problem(YAML_SYNTAX, f"YAML error: {error}", 1, 1))
    loaded = builder.result
    if not loaded.documents and not loaded.problems:
        loaded.problems.append(Problem(EMPTY, "file holds no YAML document", 1, 1))
    return loaded


def _events(text: str) -> Iterator[Any]:
    if CParser is None:  # pragma: no cover
        yield from YAML(typ="safe", pure=True).parse(text)
        return
    parser = CParser(text)
    while parser.check_event():
        yield parser.get_event()


# characters the YAML parser takes for line breaks and editors do not (NEL, LS, PS): where a
# text holds one, positions are counted from the character offset instead
_YAML_ONLY_BREAKS = re.compile("[\x85\u2028\u2029]")


class _Lines:
    """1-based line and column of a character offset, with lines as editors count them."""

    def __init__(self, text: str) -> None:
        self._starts = [0] + [found.end() for found in BREAK.finditer(text)]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1


def _syntax_problem(error: MarkedYAMLError, relocate: Any = None) -> Problem:
    mark = error.problem_mark or error.context_mark
    if mark is not None and relocate is not None and getattr(mark, "index", None) is not None:
        line, column = relocate(mark.index)
    else:
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    problem = error.problem or "invalid YAML"
    context = f" ({error.context})" if error.context else ""
    return Problem(YAML_SYNTAX, f"YAML syntax error: {problem}{context}", line, column)


def _offset_to_position(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def resolve_plain(value: str) -> Any:
    """A plain scalar under the YAML 1.2 core schema; anything else (dates too) stays text."""
    if value and value[0] not in _MAY_RESOLVE:  # most scalars are words: no null, bool or number
        return value
    if value in _NULLS:
        return None
    if value in _TRUES:
        return True
    if value in _FALSES:
        return False
    if _INT.match(value):
        return int(value) if len(value) <= _PYTHON_DIGITS else value  # Python turns no longer text to a number
    if value[:2] == "0o" and re.fullmatch(r"[0-7]+", value[2:]):
        return int(value[2:], 8)
    if value[:2] == "0x" and re.fullmatch(r"[0-9a-fA-F]+", value[2:]):
        return int(value[2:], 16)
    if _FLOAT.match(value):
        return float(value)
    return _SPECIAL_FLOATS.get(value, value)


_PYTHON_DIGITS = 4_300
_LOG10_2 = 0.30103


def integer_digits(value: str) -> int:
    """The decimal digits of the integer a plain scalar reads as (0 when it reads as none)."""
    if _INT.match(value):
        return len(value.lstrip("+-"))
    if value[:2] == "0o" and re.fullmatch(r"[0-7]+", value[2:]):
        return int(len(value[2:].lstrip("0")) * 3 * _LOG10_2) + 1
    if value[:2] == "0x" and re.fullmatch(r"[0-9a-fA-F]+", value[2:]):
        return int(len(value[2:].lstrip("0")) * 4 * _LOG10_2) + 1
    return 0


class _StopFile(Exception):
    """Raised to stop reading a file whose rest cannot be parsed in reasonable time."""


class _Frame:
    __slots__ = ("anchor", "dropped", "key", "key_position", "merged", "path", "value", "weight")

    def __init__(self, value: Any, path: tuple, anchor: str | None) -> None:
        self.value = value
        self.path = path
        self.anchor = anchor
        self.weight = 1
        self.key: Any = _NO_KEY
        self.key_position = (1, 1)
        self.merged: set = set()
        self.dropped = 0


_NO_KEY = object()


class _Builder:
    """Turns events into documents, one at a time, without recursion."""

    def __init__(self, file: str, limits: Limits) -> None:
        self.file = file
        self.limits = limits
        self.relocate: Any = None  # offset -> position, where the parser's line breaks are not the editor's
        self._longest = limits.scalar_length  # read once: it is tested for every scalar
        # no scalar shorter than this can hold more digits than the limit (hex: 1.2 digits a character)
        self._digits_from = limits.integer_digits * 5 // 6
        self.result = LoadedFile()
        self._index = -1
        self._reset(1)

    def _reset(self, line: int) -> None:
        self._stack: list[_Frame] = []
        self._root: Any = _NO_KEY
        self._anchors: dict[str, tuple[Any, int]] = {}
        self._positions = Positions()
        self._line = line
        self._events = 0
        self._weight = 0
        self._broken = False

    def fail(self, problem: Problem) -> None:
        self.result.problems.append(problem)

    def feed(self, event: Any) -> None:
        mark = event.start_mark
        position = (mark.line + 1, mark.column + 1) if self.relocate is None else self.relocate(mark.index)
        kind = type(event)
        if kind is ScalarEvent and not self._broken:  # most events: tested first
            self._events += 1
            if len(event.value) > self._longest:
                self._over(f"a value of {len(event.value):,} characters is longer than the limit of "
                           f"{self.limits.scalar_length:,} (limits.scalar-length); document skipped", position)
                return
            if event.style not in (None, ""):
                end = ((event.end_mark.line + 1, event.end_mark.column + 1) if self.relocate is None
                       else self.relocate(event.end_mark.index))
                self.result.strings.append((position, end))
            self._attach(self._scalar(event, position), position, 1, event.anchor)
        elif kind is DocumentStartEvent:
            self._index += 1
            self._reset(position[0])
            if self._index >= self.limits.documents:
                self._over(f"more than {self.limits.documents:,} documents in one file (limits.documents); "
                           "the rest of the file is not read", position)
                raise _StopFile
        elif kind is DocumentEndEvent:
            self._finish_document()
        elif self._broken:
            return
        elif isinstance(event, AliasEvent):
            self._alias(event, position)
        elif isinstance(event, (SequenceStartEvent, MappingStartEvent)):
            self._start(event, position)
        elif isinstance(event, (SequenceEndEvent, MappingEndEvent)):
            frame = self._stack.pop()
            self._attach_frame(frame)

    def _problem(self, rule: str, message: str, position: tuple[int, int]) -> None:
        self.result.problems.append(Problem(rule, message, *position))

    def _break(self, message: str, position: tuple[int, int]) -> None:
        self._problem(ALIAS_BOMB, message, position)
        self._broken = True

    def _over(self, message: str, position: tuple[int, int]) -> None:
        self._problem(OVER_LIMIT, message, position)
        self._broken = True

    def _finish_document(self) -> None:
        if self._broken:
            return
        root, line = self._root, self._line
        if root is _NO_KEY or root is None:
            self._problem(EMPTY, "empty document: expected apiVersion, kind, metadata and spec", (line, 1))
        elif not isinstance(root, dict):
            kind = "a list" if isinstance(root, list) else f"a single value ({root!r:.40})"
            self._problem(
                NOT_A_MAPPING,
                f"document is {kind}; expected a mapping with apiVersion, kind, metadata and spec",
                self._positions.value(()),
            )
        else:
            self.result.documents.append(Document(self.file, self._index, root, self._positions, line))

    def _scalar(self, event: ScalarEvent, position: tuple[int, int]) -> Any:
        tag, value = event.tag, event.value
        plain = event.style in (None, "")
        if plain and len(value) > self._digits_from and integer_digits(value) > self.limits.integer_digits:
            self._over(f"an integer of {integer_digits(value):,} digits is longer than the limit of "
                       f"{self.limits.integer_digits:,} (limits.integer-digits); document skipped", position)
            return value
        if tag is None or tag == "!":
            return resolve_plain(value) if plain and tag is None else value
        if tag in _PLAIN_TAGS:
            return value
        if tag.startswith(_CORE) and tag[len(_CORE):] in ("int", "float", "bool", "null"):
            resolved = resolve_plain(value)
            if _tag_fits(tag[len(_CORE):], resolved):
                return resolved
        self._unknown_tag(tag, position)
        return resolve_plain(value) if plain else value

    def _unknown_tag(self, tag: str, position: tuple[int, int]) -> None:
        shown = "!!" + tag[len(_CORE):] if tag.startswith(_CORE) else tag
        self._problem(
            UNSUPPORTED_TAG, f"tag {shown} is not supported and was ignored; the value is read as plain data", position
        )

    def _alias(self, event: AliasEvent, position: tuple[int, int]) -> None:
        self._events += 1
        if event.anchor not in self._anchors:
            self._problem(YAML_SYNTAX, f"YAML syntax error: unknown alias *{event.anchor}", position)
            self._broken = True
            return
        value, weight = self._anchors[event.anchor]
        self._weight += weight
        if self._weight > 10 * self._events + self.limits.aliases:
            self._break(f"aliases expand to more than {self._weight} nodes (alias bomb?; limits.aliases); "
                        "document skipped", position)
            return
        self._attach(value, position, weight, None)

    def _start(self, event: Any, position: tuple[int, int]) -> None:
        self._events += 1
        if len(self._stack) >= self.limits.nesting:
            # libyaml slows down quadratically on deep flow nesting: stop reading here
            self._break(f"nesting deeper than {self.limits.nesting} levels (limits.nesting); the rest of the file "
                        "is not read", position)
            raise _StopFile
        if event.tag not in (None, "!") and event.tag not in _COLLECTION_TAGS:
            self._unknown_tag(event.tag, position)
        container: Any = {} if isinstance(event, MappingStartEvent) else []
        path = self._child_path(position)
        if path is not None:
            self._positions.add_value(path, position)
        self._stack.append(_Frame(container, path if path is not None else ("<key>",), event.anchor))

    def _child_path(self, position: tuple[int, int]) -> tuple | None:
        if not self._stack:
            return ()
        parent = self._stack[-1]
        if isinstance(parent.value, list):
            return (*parent.path, len(parent.value))
        if parent.key is _NO_KEY:
            return None  # a collection used as a key
        if parent.key in parent.value and parent.key not in parent.merged:
            parent.dropped += 1
            return (*parent.path, ("<duplicate>", parent.dropped))
        return (*parent.path, parent.key)

    def _attach_frame(self, frame: _Frame) -> None:
        if frame.anchor is not None:
            self._anchors[frame.anchor] = (frame.value, frame.weight)
        if frame.path == ("<key>",):
            self._break("a mapping or list cannot be used as a key", self._positions.value(()))
            return
        self._attach(frame.value, None, frame.weight, None)

    def _attach(self, value: Any, position: tuple[int, int] | None, weight: int, anchor: str | None) -> None:
        if anchor is not None:
            self._anchors[anchor] = (value, weight)
        if not self._stack:
            self._root = value
            if position is not None:
                self._positions.add_value((), position)
            return
        parent = self._stack[-1]
        parent.weight += weight
        if isinstance(parent.value, list):
            if position is not None:
                self._positions.add_value((*parent.path, len(parent.value)), position)
            parent.value.append(value)
        elif parent.key is _NO_KEY:
            self._set_key(parent, value, position)
        else:
            self._set_value(parent, value, position)

    def _set_key(self, parent: _Frame, key: Any, position: tuple[int, int] | None) -> None:
        if isinstance(key, (dict, list)):
            self._break("a mapping or list cannot be used as a key", position or (self._line, 1))
            return
        parent.key = "null" if key is None else str(key).lower() if isinstance(key, bool) else str(key)
        parent.key_position = position or (self._line, 1)

    def _set_value(self, parent: _Frame, value: Any, position: tuple[int, int] | None) -> None:
        key, mapping = parent.key, parent.value
        parent.key = _NO_KEY
        if key == "<<" and isinstance(value, (dict, list)):
            self._merge(parent, value, position)
            return
        path = (*parent.path, key)
        if key in mapping and key not in parent.merged:
            first = self._positions.key(path)
            self._problem(
                DUPLICATE_KEY,
                f"duplicate key '{key}' (first defined at line {first[0]}); the first value is used",
                parent.key_position,
            )
            return
        parent.merged.discard(key)
        mapping[key] = value
        self._positions.add_key(path, parent.key_position)
        if position is not None:
            self._positions.add_value(path, position)

    def _merge(self, parent: _Frame, value: Any, position: tuple[int, int] | None) -> None:
        sources = value if isinstance(value, list) else [value]
        for source in sources:
            if not isinstance(source, dict):
                self._problem(YAML_SYNTAX, "YAML syntax error: a merge key (<<) needs a mapping", position or (1, 1))
                continue
            for key, item in source.items():
                if key not in parent.value:
                    parent.value[key] = item
                    parent.merged.add(key)


def _tag_fits(name: str, value: Any) -> bool:
    kinds: dict[str, type | tuple[type, ...]] = {"int": int, "float": (int, float), "bool": bool, "null": type(None)}
    if name in ("int", "float") and isinstance(value, bool):
        return False
    return isinstance(value, kinds[name])
