"""The maturity ceiling over time, as values: one point per commit that touched a model."""

from __future__ import annotations

from dataclasses import asdict, dataclass


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
    root: str  # the work tree's root
    path: str  # the model's path inside it ("." for all of it)
    points: tuple[Point, ...]  # oldest first

    def to_dict(self) -> dict:
        return {"root": self.root, "path": self.path, "points": [p.to_dict() for p in self.points]}
