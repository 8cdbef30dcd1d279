"""Patterns as .gitignore reads them (gitignore(5)), matched name by name at a bounded cost.

A pattern is cut at its slashes into one glob per name of a path (:mod:`usm_rules.read.globs`:
``?``, ``*``, sets, ``\\`` escapes), each matched against one name without backtracking;
``**`` as a whole name matches any number of folders, by the same matcher one level up. So
matching costs at most (path length x pattern length) steps, whatever the stars.

What git does, and so do these patterns:

- a pattern with a slash at its start or in its middle is anchored at its base folder
  (``/drafts``, ``processes/old``); one without matches a name at any depth (``*.draft.yaml``);
- a trailing slash matches folders only (``drafts/``);
- a leading ``**/`` and a middle ``/**/`` match any number of folders, none included; a
  trailing ``/**`` everything inside a folder; other runs of stars are one star;
- ``!`` re-includes what an earlier pattern matched; the last pattern that matches a path
  decides, and a file in a matched folder stays matched (git cannot re-include it either);
- trailing spaces are dropped unless escaped (``\\ ``).

Unlike a .gitignore file, a pattern that can match nothing is refused (:class:`PatternError`):
an empty one, a comment (``#...``), ``!`` alone, a backslash that escapes nothing, a set that
is never closed, a range that runs backwards (``[z-a]``), a name ``.`` or ``..``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .globs import ANY_NAME, STAR, Glob, PatternError, Star, cut_at_stars, match_runs, parse_glob

__all__ = ["PatternError", "Rule", "Rules", "compile_rule", "compile_rules", "shown"]


@dataclass(frozen=True)
class Rule:
    """One pattern, compiled: the globs of its names (``**`` as stars), whether it re-includes
    (``!``), whether it matches folders only (a trailing slash)."""

    text: str
    runs: tuple[tuple[Glob, ...], ...]
    negated: bool
    folders_only: bool

    def matches(self, names: Sequence[str], is_folder: bool) -> bool:
        """Whether the rule matches exactly the path ``names`` (not a folder above it)."""
        return (is_folder or not self.folders_only) and match_runs(self.runs, names, Glob.matches)


@dataclass(frozen=True)
class Rules:
    """Patterns of one base folder, in order: the last one that matches a path decides."""

    rules: tuple[Rule, ...]

    def decides(self, names: Sequence[str], is_folder: bool) -> bool | None:
        """True when the last rule that matches this very path matches it, False when it re-includes
        it, None when none matches. Callers apply it to each folder of a path, outermost first: a
        folder decided True takes everything below it."""
        for rule in reversed(self.rules):
            if rule.matches(names, is_folder):
                return not rule.negated
        return None

    def covers(self, names: Sequence[str], is_folder: bool = False) -> bool:
        """Whether the path ``names`` is matched: it, or a folder above it (git's reading)."""
        return any(self.decides(names[:depth], depth < len(names) or is_folder)
                   for depth in range(1, len(names) + 1))


def compile_rules(patterns: Sequence[str]) -> Rules:
    """The patterns, compiled in order; :class:`PatternError` for the first bad one."""
    compiled = []
    for pattern in patterns:
        try:
            compiled.append(compile_rule(pattern))
        except PatternError as error:
            raise PatternError(error.problem, pattern) from None
    return Rules(tuple(compiled))


def compile_rule(pattern: str) -> Rule:
    """One pattern as a :class:`Rule`, or :class:`PatternError`."""
    text = _without_trailing_spaces(pattern)
    if not text.strip():
        raise PatternError("it is empty: it matches nothing")
    if text.startswith("#"):
        raise PatternError("'#' starts a comment in .gitignore syntax: it matches nothing (write '\\#' for a name "
                           "that starts with #)")
    negated = text.startswith("!")
    text = text[1:] if negated else text
    folders_only = text.endswith("/") and not _escaped_at_end(text[:-1])
    text = text[:-1] if folders_only else text
    anchored = "/" in text
    text = text[1:] if text.startswith("/") else text
    if not text:
        raise PatternError("'!' negates nothing: follow it with the pattern to re-include" if negated and
                           not folders_only and not anchored else "it names no file or folder: it matches nothing")
    names = text.split("/")
    if "" in names:
        raise PatternError("'//' names an empty folder: it matches nothing")
    if "." in names or ".." in names:
        raise PatternError("a name '.' or '..' matches nothing: a pattern is read below its folder "
                           "(write 'drafts', not './drafts')")
    items: list[Glob | Star] = [] if anchored else [STAR]
    for index, name in enumerate(names):
        if name == "**":
            # a trailing '/**' is everything inside: at least one name more
            items.extend([ANY_NAME, STAR] if index == len(names) - 1 and index > 0 else [STAR])
        else:
            items.append(parse_glob(name))
    return Rule(pattern, cut_at_stars(_collapsed(items)), negated, folders_only)


def _collapsed(items: list[Glob | Star]) -> list[Glob | Star]:
    """Adjacent stars as one (``**/**``), which match the same and cost less."""
    return [item for i, item in enumerate(items) if not (isinstance(item, Star) and i and items[i - 1] is STAR)]


def _without_trailing_spaces(pattern: str) -> str:
    text = pattern.rstrip(" ")
    return text + " " if len(text) < len(pattern) and _escaped_at_end(text) else text


def _escaped_at_end(text: str) -> bool:
    """Whether ``text`` ends in a backslash that escapes what follows it (an odd run of them)."""
    return (len(text) - len(text.rstrip("\\"))) % 2 == 1


def shown(pattern: str) -> str:
    """A pattern quoted on one line: control characters escaped, as a message may carry it."""
    return "'" + "".join(c if c.isprintable() else repr(c)[1:-1] for c in pattern) + "'"
