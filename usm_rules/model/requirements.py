"""The ten USM requirements for calling something a process (docs/usm.md), plus 0 for readable input."""

from __future__ import annotations

from collections.abc import Iterable

from .findings import Finding, Severity

REQUIREMENTS = {
    0: "The input can be read and understood (load and schema)",
    1: "Describes what happens in sequence, not who or how",
    2: "Can be interpreted with a verb",
    3: "Can be counted",
    4: "Does not depend on practical conditions",
    5: "Has a customer-relevant and unique purpose",
    6: "Can be split into sub-processes without changing it",
    7: "A process model organises the processes",
    8: "The model is integral: it holds all service-management activities",
    9: "The model is integrated: each activity occurs only once",
    10: "All activities are steered by process control",
}


def status(findings: Iterable[Finding]) -> str:
    """``fail`` on any counting error, ``warn`` on any counting warning, else ``pass``.

    Suppressed findings do not count, and an info finding never changes the status.
    """
    severities = {f.severity for f in findings if f.counts}
    if Severity.ERROR in severities:
        return "fail"
    return "warn" if Severity.WARNING in severities else "pass"
