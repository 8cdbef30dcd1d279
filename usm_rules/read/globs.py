"""One name's glob, matched without backtracking, at a cost bounded by what it reads.

A glob is literal characters, ``?``, ``*`` and sets (``[a-z]``, ``[!0-9]``, ``[[:digit:]]``),
``\\`` escaping the next character. It is matched cut at its stars into runs that each match
exactly as many characters as they hold: the first run at the start of the name, the last at
its end, and each run between at its first place after the one before (the first place is
always the right one, since a star can take whatever lies before a later place). That is at
most (name length x pattern length) steps: ``*a*a*a*a*a*a*c`` against a long name costs what it
reads, never the exponential backtracking of a regular expression with several stars. The
same matcher, one level up, matches a path's names against a pattern's globs, ``**`` being its
star (:mod:`usm_rules.read.patterns`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")
X = TypeVar("X")

_CLASSES: dict[str, Callable[[str], bool]] = {  # [[:name:]] in a set, as POSIX names them
    "alnum": str.isalnum, "alpha": str.isalpha, "blank": lambda c: c in " \t",
    "cntrl": lambda c: ord(c) < 32 or c == "\x7f", "digit": lambda c: "0" <= c <= "9",
    "graph": lambda c: c.isprintable() and not c.isspace(), "lower": str.islower, "print": str.isprintable,
    "punct": lambda c: c.isprintable() and not c.isalnum() and not c.isspace(), "space": str.isspace,
    "upper": str.isupper, "xdigit": lambda c: c in "0123456789abcdefABCDEF",
}


class PatternError(ValueError):
    """A pattern that cannot be used: ``problem`` says what is wrong with it, in words; ``pattern``
    is the pattern (where a list of them was compiled)."""

    def __init__(self, problem: str, pattern: str = "") -> None:
        super().__init__(problem)
        self.problem = problem
        self.pattern = pattern


class Star:
    """Any run of characters within a name (``*``), or of names within a path (``**``)."""


STAR = Star()


@dataclass(frozen=True)
class _Set:
    """``[...]``: one character among single characters, ranges and POSIX classes, or not."""

    chars: frozenset[str]
    ranges: tuple[tuple[str, str], ...]
    classes: tuple[Callable[[str], bool], ...]
    negated: bool

    def matches(self, char: str) -> bool:
        found = char in self.chars or any(low <= char <= high for low, high in self.ranges) or \
            any(test(char) for test in self.classes)
        return found != self.negated


_ANY = _Set(frozenset(), (), (), True)  # ``?``: any one character
_Token = str | _Set  # a literal character, or a set


def _one_char(token: _Token, char: str) -> bool:
    return token == char if isinstance(token, str) else token.matches(char)


def cut_at_stars(items: Sequence[T | Star]) -> tuple[tuple[T, ...], ...]:
    """A pattern cut at its stars: runs between them (empty ones included), one when it has none."""
    runs: list[list[T]] = [[]]
    for item in items:
        if isinstance(item, Star):
            runs.append([])
        else:
            runs[-1].append(item)
    return tuple(tuple(run) for run in runs)


def match_runs(runs: tuple[tuple[T, ...], ...], items: Sequence[X], one: Callable[[T, X], bool]) -> bool:
    """Whether ``items`` match a pattern cut at its stars (:func:`cut_at_stars`), each item of a
    run matching exactly one item (``one``): the first run at the start, the last at the end,
    the others in order at their first place. Never backtracks: at most len(items) x pattern
    steps."""
    if len(runs) == 1:
        return len(items) == len(runs[0]) and all(map(one, runs[0], items))
    head, tail = runs[0], runs[-1]
    end = len(items) - len(tail)
    if end < len(head) or not all(map(one, head, items)) or not all(map(one, tail, items[end:])):
        return False
    at = len(head)
    for run in runs[1:-1]:
        found = next((i for i in range(at, end - len(run) + 1) if all(map(one, run, items[i:i + len(run)]))), None)
        if found is None:
            return False
        at = found + len(run)
    return True


@dataclass(frozen=True)
class Glob:
    """One name's glob: its runs of literal characters, ``?`` and sets between its stars."""

    runs: tuple[tuple[_Token, ...], ...]

    def matches(self, name: str) -> bool:
        return match_runs(self.runs, name, _one_char)


ANY_NAME = Glob(((), ()))  # ``*``: any one name


def parse_glob(name: str) -> Glob:
    """One name's glob, or :class:`PatternError`."""
    items: list[_Token | Star] = []
    at = 0
    while at < len(name):
        char = name[at]
        if char == "\\":
            if at + 1 == len(name):
                raise PatternError("it ends in a '\\' that escapes nothing (write '\\\\' for a backslash)")
            items.append(name[at + 1])
            at += 2
        elif char == "*":
            if not items or items[-1] is not STAR:
                items.append(STAR)
            at += 1
        elif char == "?":
            items.append(_ANY)
            at += 1
        elif char == "[":
            found, at = _set(name, at)
            items.append(found)
        else:
            items.append(char)
            at += 1
    return Glob(cut_at_stars(items))


def _set(name: str, start: int) -> tuple[_Set, int]:
    """The set that opens at ``name[start]``, and where the name goes on after it."""
    at = start + 1
    negated = at < len(name) and name[at] in "!^"
    at += negated
    chars: set[str] = set()
    ranges: list[tuple[str, str]] = []
    classes: list[Callable[[str], bool]] = []
    first = True
    while at < len(name) and (name[at] != "]" or first):
        first = False
        close = name.find(":]", at + 2) if name.startswith("[:", at) else -1
        if close >= 0:
            label = name[at + 2:close]
            if label not in _CLASSES:
                raise PatternError(f"no character class [:{label}:] (there are {', '.join(_CLASSES)})")
            classes.append(_CLASSES[label])
            at = close + 2
            continue
        low, at = _set_char(name, at)
        if name.startswith("-", at) and at + 1 < len(name) and name[at + 1] != "]":
            high, at = _set_char(name, at + 1)
            if high < low:
                raise PatternError(f"the range {low}-{high} runs backwards (write {high}-{low})")
            ranges.append((low, high))
        else:
            chars.add(low)
    if at >= len(name):
        raise PatternError("'[' opens a set of characters that no ']' closes (write '\\[' for a bracket)")
    return _Set(frozenset(chars), tuple(ranges), tuple(classes), negated), at + 1


def _set_char(name: str, at: int) -> tuple[str, int]:
    if name[at] == "\\":
        if at + 1 == len(name):
            raise PatternError("it ends in a '\\' that escapes nothing (write '\\\\' for a backslash)")
        return name[at + 1], at + 2
    return name[at], at + 1
