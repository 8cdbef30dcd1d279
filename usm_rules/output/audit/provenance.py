"""Where a report comes from: the tool, the rule pack and its hash, the time it was made.

The time comes from ``SOURCE_DATE_EPOCH`` when it is set (reproducible-builds.org), so the
same inputs, rules and epoch give a byte-identical report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

from ...model.rules import Catalog
from ...model.shipped import shipped
from ...read.discovery import display_path

EPOCH_VARIABLE = "SOURCE_DATE_EPOCH"


class ReportError(ValueError):
    """The report cannot be made as asked (a usage problem, not a finding)."""


def generated_at(environ: Mapping[str, str]) -> str:
    """The report's time in UTC, ISO 8601 to the second: from SOURCE_DATE_EPOCH, else now."""
    epoch = environ.get(EPOCH_VARIABLE, "").strip()
    if not epoch:
        moment = dt.datetime.now(dt.timezone.utc)
    else:
        try:
            moment = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
        except (ValueError, OverflowError, OSError):
            raise ReportError(f"{EPOCH_VARIABLE}: '{epoch}' is not a number of seconds since 1970-01-01 UTC") from None
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def rule_packs(catalog: Catalog) -> tuple[str, ...]:
    """The folders the rules come from: "shipped" first, then each added pack as displayed."""
    home = _resolved(shipped("rules"))
    folders = {_resolved(Path(rule.source).parent) for rule in catalog}
    added = sorted(display_path(folder) for folder in folders if folder != home)
    return (("shipped",) if home in folders else ()) + tuple(added)


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()
