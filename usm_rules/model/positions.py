"""The side index from a path in a document's data to 1-based line and column.

Data stays plain (dicts, lists, scalars); positions never enter it. A path is a tuple of
mapping keys and list indexes, e.g. ``("spec", "activities", 2, "name")``.
"""

from __future__ import annotations

Path = tuple
Position = tuple[int, int]


class Positions:
    """Where each node of one document starts, and where each mapping key stands."""

    __slots__ = ("_keys", "_values")

    def __init__(self) -> None:
        self._values: dict[Path, Position] = {}
        self._keys: dict[Path, Position] = {}

    def add_value(self, path: Path, position: Position) -> None:
        self._values[path] = position

    def add_key(self, path: Path, position: Position) -> None:
        self._keys[path] = position

    def value(self, path: Path) -> Position:
        """The node at ``path``, or the nearest ancestor that has a position."""
        return self._nearest(self._values, tuple(path))

    def key(self, path: Path) -> Position:
        """The key that introduces ``path`` (a list item has no key: its value is used)."""
        path = tuple(path)
        while path:
            if path in self._keys:
                return self._keys[path]
            if path in self._values:
                return self._values[path]
            path = path[:-1]
        return self._values.get((), (1, 1))

    @staticmethod
    def _nearest(index: dict[Path, Position], path: Path) -> Position:
        while path not in index and path:
            path = path[:-1]
        return index.get(path, (1, 1))
