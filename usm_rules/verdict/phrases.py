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


def some(names: tuple[str, ...] | list[str], shown: int = 3) -> str:
    """``a.yaml, b.yaml, c.yaml and 4 more``: the first few of a list, then how many more."""
    listed = ", ".join(names[:shown])
    return f"{listed} and {len(names) - shown} more" if len(names) > shown else listed


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


def no_ceiling(result: Result) -> str:
    """Why an incomplete result has no ceiling: ``No ceiling: 4 files could not be read or understood``."""
    count = len(result.unreadable)
    return f"No ceiling: {plural(count, 'file')} could not be read or understood" if count else \
        "No ceiling: a rule could not run"


def readable(result: Result) -> str:
    """What the part of an incomplete result that was read allows, said as what it is: an upper
    bound, never a ceiling (``The readable files allow at most 2 (system-driven), held by ...``)."""
    m = result.maturity
    if m.design < m.ceiling:
        return (f"The readable files allow at most {m.ceiling} {accepted(m)}")
    if not m.limited_by:
        return "The readable files do not limit it"
    return f"The readable files allow at most {m.ceiling} ({m.level}), held by {holders(m.limited_by)}"


def accepted(maturity: Maturity) -> str:
    """``with 83 accepted findings; the design allows 2 (system-driven), held by ...``."""
    return (f"with {plural(maturity.accepted, 'accepted finding')}; the design allows {maturity.design} "
            f"({LEVELS[maturity.design]}), held by {holders(maturity.design_by)}")


def sentence(result: Result) -> str:
    """The one-line verdict: ceiling, level, holders, what is at risk, the mapping in force.

    An incomplete result states no ceiling, only what it knows ("No ceiling: 4 files could not be
    read or understood. The readable files allow at most 2 ..."), and findings accepted by a
    baseline, a waiver or a suppression never hide what the design allows.
    """
    m = result.maturity
    if not result.complete:
        text = f"{no_ceiling(result)}. {readable(result)}"
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
    """``maturity ceiling 2 of 5 (system-driven)``, for a title; an incomplete result has none:
    ``no maturity ceiling (4 files could not be read); the readable files allow at most 2 of 5``."""
    m = result.maturity
    if not result.complete:
        count = len(result.unreadable)
        why = f"{plural(count, 'file')} could not be read" if count else "a rule could not run"
        return f"no maturity ceiling ({why}); the readable files allow at most {min(m.ceiling, m.design)} of {TOP}"
    return f"maturity ceiling {m.ceiling} of {TOP} ({m.level})"


def report_lead(maturity: Maturity, held: int, findings: int, complete: bool = True) -> str:
    """The audit report's verdict sentence, up to the list of holders that completes it; of an
    incomplete result, what the readable files allow (no ceiling is stated)."""
    verb = "holds" if held == 1 else "hold"
    if not complete:
        if not held:
            return "The readable files do not limit the ceiling; it is stated once every input can be read."
        return (f"The readable files allow at most level {maturity.ceiling} ({maturity.level}); {plural(held, 'rule')} "
                f"with {plural(findings, 'finding')} {verb} it there:")
    if not held:
        return (f"Ceiling {maturity.ceiling}: process design does not limit you \u2014 no counting error rules out "
                f"any level; this is not a statement that you are at level {maturity.ceiling}.")
    return (f"The design allows at most level {maturity.ceiling} ({maturity.level}); {plural(held, 'rule')} with "
            f"{plural(findings, 'finding')} {verb} it there:")


def below(maturity: Maturity, minimum: int) -> str:
    """The gate's reason when the ceiling is below ``--min-maturity``."""
    return (f"maturity ceiling {maturity.ceiling} is below --min-maturity {minimum}; "
            f"held down by {holders(maturity.limited_by)}")
