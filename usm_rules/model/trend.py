"""The maturity ceiling over time, as values: one point per commit that touched a model."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import PurePath

CHECKED = "checked"  # the version was checked: its ceiling is a verdict (complete or not)
ABSENT = "absent"  # the path does not exist at this commit (deleted, not yet created, renamed away)
EMPTY = "empty"  # the path exists, but holds no usm document: nothing to check, no verdict
STATES = (CHECKED, ABSENT, EMPTY)


@dataclass(frozen=True)
class Point:
    """One version of the model: the commit, and what the check of its tree found. Only a point
    ``checked`` has a ceiling; the counts of the others are 0."""

    commit: str
    date: str  # the commit's date, ISO 8601 (committer time, UTC offset as recorded)
    subject: str
    tree: str
    ceiling: int
    likely: int
    complete: bool
    errors: int
    warnings: int
    files: int
    processes: int
    requirements: tuple[int, ...]  # counting findings for requirements 0-10
    state: str = CHECKED  # one of STATES
    not_read: tuple[str, ...] = ()  # "path (why)": over the file-size limit, links, submodules

    @property
    def short(self) -> str:
        return self.commit[:10]

    @property
    def checked(self) -> bool:
        return self.state == CHECKED

    def to_dict(self) -> dict:
        """As JSON says it: a point that was not checked has no ceiling, likely ceiling or
        completeness (null), so that no reader takes a 0 for a level."""
        data = {"state": self.state, **asdict(self)}  # the state first: it says how to read the rest
        data["requirements"] = {f"R{n}": count for n, count in enumerate(self.requirements)}
        data["not_read"] = list(self.not_read)
        if not self.checked:
            data.update(ceiling=None, likely=None, complete=None)
        return data


@dataclass(frozen=True)
class History:
    root: str  # the work tree's root, absolute: for the caller, never written out
    path: str  # the model's path inside it ("." for all of it)
    points: tuple[Point, ...]  # oldest first

    @property
    def repository(self) -> str:
        """The work tree's folder name: what a page or JSON names, never the absolute path of the
        machine that ran it."""
        return PurePath(self.root).name

    def count(self, state: str) -> int:
        """How many points are in ``state``."""
        return sum(1 for point in self.points if point.state == state)

    def to_dict(self) -> dict:
        return {"repository": self.repository, "path": self.path, "points": [p.to_dict() for p in self.points]}
