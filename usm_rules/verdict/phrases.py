"""The verdict in words, said once: the ceiling, its level, the rules that hold it there.

Every human format (text, GitHub, JUnit, Markdown, the audit report, the gate's reasons, the
CLI's closing line) builds its verdict from these phrases, so they can never disagree.
"""

from __future__ import annotations

from ..model.results import DEFAULT_MAPPING, Limiter, Maturity, Result
from .ceiling import LEVELS, TOP

NOT_LIMITING = "process design does not limit maturity"


def plural(count: int, noun: str, many: str = "") -> str:
    return f"{count} {noun if count == 1 else (many or noun + 's')}"


def level(maturity: Maturity) -> str:
    """``maturity ceiling 2 (system-driven)``."""
    return f"maturity ceiling {maturity.ceiling} ({maturity.level})"


def holders(limits: tuple[Limiter, ...], names: bool = False, counts: bool = False) -> str:
    """``USM0701 (requirement 7), ...``; with the rule's name and its number of findings if asked."""
    def one(limit: Limiter) -> str:
        name = f" {limit.findings[0].name}" if names and limit.findings else ""
        count = f", {plural(len(limit.findings), 'finding')}" if counts else ""
        return f"{limit.rule}{name} (requirement {limit.requirement}{count})"
    return ", ".join(one(limit) for limit in limits)


def undetermined(result: Result) -> str:
    """Why an incomplete result has no ceiling: ``not determined: 4 files could not be read``."""
    count = len(result.unreadable)
    why = f"{plural(count, 'file')} could not be read or understood" if count else "a rule could not run"
    return f"not determined: {why}"


def accepted(maturity: Maturity) -> str:
    """``with 83 accepted findings; the design allows 2 (system-driven), held by ...``."""
    return (f"with {plural(maturity.accepted, 'accepted finding')}; the design allows {maturity.design} "
            f"({LEVELS[maturity.design]}), held by {holders(maturity.design_by)}")


def sentence(result: Result) -> str:
    """The one-line verdict: ceiling, level, holders, what is at risk, the mapping in force.

    An incomplete result never states a bare ceiling ("at most 2; not determined: ..."), and
    findings accepted by a baseline, a waiver or a suppression never hide what the design allows.
    """
    m = result.maturity
    if not result.complete:
        text = f"Maturity ceiling at most {m.ceiling} ({m.level}); {undetermined(result)}"
        if m.limited_by:
            text += f"; held by {holders(m.limited_by)}"
    else:
        text = level(m).capitalize()
        if m.design < m.ceiling:
            text += f" {accepted(m)}"
        else:
            text += f", held by {holders(m.limited_by)}" if m.limited_by else f": {NOT_LIMITING}"
    if m.at_risk:
        text += f"; at risk: {', '.join(m.at_risk)}"
    if m.likely < m.ceiling:
        text += f"; {likely(m)}"
    if result.mapping != DEFAULT_MAPPING:
        text += f"; ceiling mapping: {result.mapping}"
    return text


def likely(maturity: Maturity) -> str:
    """``likely 3 if the 11 warnings are confirmed`` (only said when it is below the ceiling)."""
    return (f"likely {maturity.likely} ({LEVELS[maturity.likely]}) if the "
            f"{plural(maturity.warnings, 'warning')} {'is' if maturity.warnings == 1 else 'are'} confirmed")


def heading(result: Result) -> str:
    """``maturity ceiling 2 of 5 (system-driven)``, for a title (``at most`` when incomplete)."""
    m = result.maturity
    if not result.complete:
        return f"maturity ceiling at most {m.ceiling} of {TOP} ({m.level}), not determined"
    return f"maturity ceiling {m.ceiling} of {TOP} ({m.level})"


def report_lead(maturity: Maturity, held: int, findings: int) -> str:
    """The audit report's verdict sentence, up to the list of holders that completes it."""
    if not held:
        return (f"Ceiling {maturity.ceiling}: process design does not limit you \u2014 no counting error rules out "
                f"any level; this is not a statement that you are at level {maturity.ceiling}.")
    verb = "holds" if held == 1 else "hold"
    return (f"The design allows at most level {maturity.ceiling} ({maturity.level}); {plural(held, 'rule')} with "
            f"{plural(findings, 'finding')} {verb} it there:")


def below(maturity: Maturity, minimum: int) -> str:
    """The gate's reason when the ceiling is below ``--min-maturity``."""
    return (f"maturity ceiling {maturity.ceiling} is below --min-maturity {minimum}; "
            f"held down by {holders(maturity.limited_by)}")
