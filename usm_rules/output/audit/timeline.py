"""The ceiling's history as a chart on a time axis: where each commit stands, and which dates label it.

The x position of a commit is its committer date, so that a year of quiet and a week of work
look like what they were; commits at one instant (or a single commit) are spread evenly
instead. Labels are dates, written where they do not collide with the one before.

Only a version that was checked is a point on the ceiling's scale. A commit where the path is
absent, or holds nothing to check, is a gap: a dotted line across the plot at its date, no
point, and the lines break there, so that no line claims a level for a version that had none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ...model.trend import History, Point

WIDTH = 900
LEFT, RIGHT, TOP_PAD, BOTTOM_PAD, STEP_Y = 64, 44, 16, 36, 44
LABEL_GAP = 84  # pixels between the centres of two date labels (a date is about 70 px wide)


@dataclass(frozen=True)
class Mark:
    x: float
    ceiling_y: int
    likely_y: int
    point: Point


@dataclass(frozen=True)
class Gap:
    """A commit with no ceiling: the path absent, or nothing to check."""

    x: float
    point: Point


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    right: int
    levels: tuple[tuple[int, int], ...]  # (y, level), 1-5
    marks: tuple[Mark, ...]  # the checked versions, oldest first
    gaps: tuple[Gap, ...]  # the others
    ticks: tuple[Tick, ...]
    runs: tuple[tuple[Mark, ...], ...] = ()  # the marks between two gaps: one line each

    def lines(self, which: str) -> list[str]:
        """The SVG points of each piece of the ceiling (``ceiling``) or likely (``likely``) line."""
        return [" ".join(f"{m.x:.1f},{m.ceiling_y if which == 'ceiling' else m.likely_y}" for m in run)
                for run in self.runs]


def chart(history: History) -> Chart:
    plot = WIDTH - LEFT - RIGHT
    times = [_time(p.date) for p in history.points]
    known = [t for t in times if t is not None]
    span = (max(known) - min(known)) if len(known) == len(times) and known else 0.0
    count = len(history.points)
    placed: list[Mark | Gap] = []
    for index, point in enumerate(history.points):
        evenly = 0.5 if count == 1 else index / max(count - 1, 1)
        share = (times[index] - min(known)) / span if span > 0 else evenly  # type: ignore[operator]
        x = LEFT + plot * share
        placed.append(Mark(x, _y(point.ceiling), _y(point.likely), point) if point.checked else Gap(x, point))
    marks = tuple(m for m in placed if isinstance(m, Mark))
    return Chart(WIDTH, TOP_PAD + 4 * STEP_Y + BOTTOM_PAD, LEFT, RIGHT,
                 tuple((_y(level), level) for level in range(1, 6)), marks,
                 tuple(g for g in placed if isinstance(g, Gap)), _ticks(placed), _runs(placed))


def _runs(placed: list[Mark | Gap]) -> tuple[tuple[Mark, ...], ...]:
    runs: list[list[Mark]] = [[]]
    for item in placed:
        if isinstance(item, Mark):
            runs[-1].append(item)
        elif runs[-1]:
            runs.append([])
    return tuple(tuple(run) for run in runs if run)


def _ticks(marks: list[Mark | Gap]) -> tuple[Tick, ...]:
    """A date under a commit where it fits: the newest always, then older ones that keep clear of
    the labels already placed and differ from their neighbour's date."""
    placed: list[Tick] = []
    for mark in reversed(marks):
        label = mark.point.date[:10]
        if all(abs(mark.x - tick.x) >= LABEL_GAP for tick in placed) and all(t.label != label for t in placed):
            placed.append(Tick(mark.x, label))
    return tuple(reversed(placed))


def _y(level: int) -> int:
    return TOP_PAD + (5 - level) * STEP_Y


def _time(date: str) -> float | None:
    try:
        return datetime.fromisoformat(date.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None
