"""Whether a result passes the CI gates (README.md#exit-codes): the exit code and why."""

from __future__ import annotations

from ..model.findings import Severity
from ..model.results import Result
from .phrases import below


def failing(result: Result, fail_on: str = "error", min_maturity: int = 1) -> list[str]:
    """Reasons the run fails its gates; an empty list means exit 0."""
    reasons = []
    if fail_on != "never":
        threshold = Severity(fail_on).rank
        count = sum(1 for f in result.active if f.severity.rank >= threshold)
        if count:
            reasons.append(f"{count} finding(s) at or above {fail_on}")
    ceiling = result.maturity.ceiling
    if not result.complete:  # an incomplete result always fails, whatever --fail-on says
        unread = len(result.unreadable)
        reasons.append(f"the result is incomplete ({unread} file(s) could not be read or understood, or a "
                       f"rule crashed): no ceiling can be determined"
                       + (f" and --min-maturity {min_maturity} cannot be confirmed" if min_maturity > 1 else ""))
    elif ceiling < min_maturity:
        reasons.append(below(result.maturity, min_maturity))
    return reasons
