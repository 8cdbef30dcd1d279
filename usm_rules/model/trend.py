"""The maturity ceiling over time, as values: one point per commit that touched a model."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import PurePath


@dataclass(frozen=True)
class Point:
    """One version of the model: the commit, and what the check of its tree found."""

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

    @property
    def short(self) -> str:
        return self.commit[:10]

    def to_dict(self) -> dict:
        data = asdict(self)
        data["requirements"] = {f"R{n}": count for n, count in enumerate(self.requirements)}
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

    def to_dict(self) -> dict:
        return {"repository": self.repository, "path": self.path, "points": [p.to_dict() for p in self.points]}
