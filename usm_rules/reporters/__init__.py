"""Reporter plugins, chosen by name from :data:`REPORTERS`."""

from __future__ import annotations

from .base import Context, Reporter, report
from .json_report import JsonReporter
from .text import TextReporter

REPORTERS: dict[str, type[Reporter]] = {cls.name: cls for cls in (TextReporter, JsonReporter)}

__all__ = ["Context", "REPORTERS", "Reporter", "report"]
