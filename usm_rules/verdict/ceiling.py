"""The maturity ceilings (docs/usm.md#maturity-ceilings): the lowest ceiling among violated error rules."""

from __future__ import annotations

from ..model.findings import Finding, Severity
from ..model.results import Limiter, Maturity

LEVELS = {
    1: "technology-driven",
    2: "system-driven",
    3: "service-driven",
    4: "customer-driven",
    5: "business-driven",
}
TOP = 5


def maturity(findings: list[Finding], processes: list[str]) -> Maturity:
    """The model's ceiling and each process's, from the findings that count.

    Only errors with a ceiling lower it (suppressed findings do not count); warnings are
    listed as "at risk", and the *likely* ceiling is the one they would set if confirmed.
    A process's own ceiling comes from findings on its subject.
    """
    every = list(findings)
    design, design_by = _lowest([f for f in every if f.severity is Severity.ERROR and f.ceiling is not None])
    accepted = sum(1 for f in every if not f.counts)
    findings = [f for f in every if f.counts]
    limiting = [f for f in findings if f.severity is Severity.ERROR and f.ceiling is not None]
    ceiling, limited_by = _lowest(limiting)
    warned = [f for f in findings if f.severity is Severity.WARNING and f.ceiling is not None]
    about = _by_process(limiting + warned, processes)
    per_process = [(name, *_lowest([f for f in about.get(name, ()) if f.severity is Severity.ERROR]))
                   for name in processes]
    at_risk = sorted({f.rule for f in warned})
    likely, likely_by = _lowest(limiting + warned)
    likely_processes = tuple((name, _lowest(about.get(name, []))[0]) for name in processes)
    return Maturity(ceiling, LEVELS[ceiling], limited_by, tuple(per_process), tuple(at_risk), likely, likely_by,
                    len(warned), likely_processes, design, design_by, accepted)


def _by_process(findings: list[Finding], processes: list[str]) -> dict[str, list[Finding]]:
    """The findings about each process (see :meth:`Finding.is_about`), in one pass over the
    findings: linear in processes plus findings, where comparing every pair was quadratic."""
    names = set(processes)
    about: dict[str, list[Finding]] = {}
    for finding in findings:
        if not finding.subject.startswith("Process/"):
            continue
        parts = finding.subject[len("Process/"):].split("/")
        for end in range(1, len(parts) + 1):  # a name may itself hold a '/'
            name = "/".join(parts[:end])
            if name in names:
                about.setdefault(name, []).append(finding)
    return about


def _lowest(findings: list[Finding]) -> tuple[int, tuple[Limiter, ...]]:
    ceilings = [f.ceiling for f in findings if f.ceiling is not None]
    if not ceilings:
        return TOP, ()
    ceiling = min(ceilings)
    by_rule: dict[tuple[str, int], list[Finding]] = {}
    for finding in findings:
        if finding.ceiling == ceiling:
            by_rule.setdefault((finding.rule, finding.requirement), []).append(finding)
    return ceiling, tuple(
        Limiter(rule, requirement, ceiling, tuple(found)) for (rule, requirement), found in sorted(by_rule.items())
    )
