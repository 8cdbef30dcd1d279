"""The value lens: which maturity level the design allows, for the model and for each process.

A ceiling is the highest level reachable while the findings stand; no finding means "process
design does not limit you", never "you are at level 5".
"""

from __future__ import annotations

from ...model.findings import Finding
from ...model.results import Limiter, Result
from ...verdict.ceiling import LEVELS
from ...verdict.phrases import report_lead
from .data import Bar, Holder, Level, Ref

# One line each, from the USM Value Maturity Model (docs/usm.md#the-value-maturity-model).
TRAITS = {
    1: "The provider delivers goods or actions; \u201cour product is better\u201d.",
    2: "Technology under control: coherent systems, routines standardised but oriented to systems, not customers.",
    3: "The customer specifies the services: systems continuously available plus the support needed.",
    4: "Customer and provider co-create value; services are described by their effect on the customer\u2019s business.",
    5: "Partnership: the provider becomes part of the customer\u2019s business and invests at its own risk.",
}


def levels() -> tuple[Level, ...]:
    return tuple(Level(n, LEVELS[n], TRAITS[n]) for n in sorted(LEVELS))


def holders(limits: tuple[Limiter, ...], refs: dict[Finding, Ref]) -> tuple[Holder, ...]:
    return tuple(
        Holder(limit.rule, limit.findings[0].name if limit.findings else "", limit.requirement,
               tuple(sorted((refs[f] for f in limit.findings if f in refs), key=lambda r: r.number)))
        for limit in limits
    )


def bars(result: Result, refs: dict[Finding, Ref]) -> tuple[Bar, ...]:
    """The whole model first, then each process once, in input order."""
    m = result.maturity
    rows = [Bar("whole model", m.ceiling, m.level, True, holders(m.limited_by, refs))]
    seen = set()
    for name, ceiling, limits in m.processes:
        if name not in seen:
            seen.add(name)
            rows.append(Bar(name, ceiling, LEVELS[ceiling], False, holders(limits, refs)))
    return tuple(rows)


def lead(result: Result, held: tuple[Holder, ...]) -> str:
    """The start of the verdict sentence; the holders, listed after it, complete it."""
    return report_lead(result.maturity, len(held), sum(len(h.refs) for h in held), result.complete)
