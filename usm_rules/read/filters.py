"""What a run's patterns keep: ``exclude`` and ``include``, each pattern relative to its base folder.

The configuration's patterns are relative to its folder; ``--exclude`` patterns have the base
:data:`CHECKED_TREE` and are placed, for each checked path, at the checked folder it is in, so
that they mean the same wherever the run starts from. A path is matched as git matches it: it,
or a folder above it, is decided by the last pattern that matches (see
:mod:`usm_rules.read.patterns`). Discovery walks down one name at a time and never enters an
excluded folder, so it asks only about the last name of a path (:meth:`Filters.excluded_here`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from .config import ConfigError
from .patterns import PatternError, Rules, compile_rules, shown

CHECKED_TREE = ""  # the base of a pattern relative to the checked folder it applies to (--exclude)


@dataclass(frozen=True)
class _Scope:
    """The patterns of one base folder (absolute, or :data:`CHECKED_TREE` until placed)."""

    base: str
    rules: Rules

    def names(self, path: str) -> list[str] | None:
        """The path's names below the base (None when it is not below it)."""
        relative = os.path.relpath(os.path.abspath(path), self.base)
        if relative in (os.curdir, os.pardir) or relative.startswith(os.pardir + os.sep):
            return None
        return relative.split(os.sep)

    def covers(self, path: str, is_folder: bool) -> bool:
        names = self.names(path)
        return names is not None and self.rules.covers(names, is_folder)

    def decides(self, path: str, is_folder: bool) -> bool:
        names = self.names(path)
        return names is not None and self.rules.decides(names, is_folder) is True


@dataclass(frozen=True)
class Filters:
    """What a run excludes and includes: patterns by base folder."""

    exclude: tuple[_Scope, ...] = ()
    include: tuple[_Scope, ...] = ()

    @classmethod
    def of(cls, exclude: tuple[tuple[str, str], ...], include: tuple[tuple[str, str], ...]) -> Filters:
        """The (base, pattern) pairs compiled. A bad pattern is a :class:`ConfigError` naming
        ``--exclude`` (the configuration's are checked as it is loaded, naming its file and key)."""
        return cls(_scopes(exclude, "--exclude"), _scopes(include, "include"))

    def placed(self, tree: str) -> Filters:
        """The filters with the checked tree's patterns (``--exclude``) based at ``tree``."""
        def place(scopes: tuple[_Scope, ...]) -> tuple[_Scope, ...]:
            return tuple(_Scope(tree, s.rules) if s.base == CHECKED_TREE else s for s in scopes)
        return Filters(place(self.exclude), place(self.include))

    def excludes(self, path: str, is_folder: bool) -> bool:
        """Whether the path, or a folder above it, is excluded."""
        return any(scope.covers(path, is_folder) for scope in self.exclude)

    def includes(self, path: str, is_folder: bool) -> bool:
        """Whether the path, or a folder above it, is in scope of ``include`` (all is without one)."""
        return not self.include or any(scope.covers(path, is_folder) for scope in self.include)

    def excluded_here(self, path: str, is_folder: bool) -> bool:
        """Whether a pattern excludes this very path, the folders above it being known not excluded."""
        return any(scope.decides(path, is_folder) for scope in self.exclude)

    def included_here(self, path: str, is_folder: bool) -> bool:
        """Whether a pattern includes this very path, the folders above it being known not included."""
        return any(scope.decides(path, is_folder) for scope in self.include)


def _scopes(pairs: tuple[tuple[str, str], ...], option: str) -> tuple[_Scope, ...]:
    by_base: dict[str, list[str]] = {}
    for base, pattern in pairs:
        by_base.setdefault(base, []).append(pattern)
    try:
        return tuple(_Scope(base, compile_rules(patterns)) for base, patterns in by_base.items())
    except PatternError as error:
        raise ConfigError(option, f"{shown(error.pattern)} is not a pattern", error.problem) from None
