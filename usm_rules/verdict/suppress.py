"""Inline suppressions (``# usm-rules: disable=RULE -- reason``) and waivers, in one place.

Suppressed findings stay in the result with their reason (auditors must see them) but no
longer count. A suppression without a reason, one that suppresses nothing, a waiver that has
expired or matches nothing: each is reported as a finding of its own.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Iterable
from fnmatch import fnmatchcase

from ..check.findings import Findings
from ..model.findings import Finding, Suppression
from ..model.inputs import Directive
from ..model.problems import NO_REASON, UNUSED_SUPPRESSION, UNUSED_WAIVER, WAIVER_EXPIRED, WHOLE_REQUIREMENT
from ..read.config import Waiver

# what editors, templates and hurried people write where a reason belongs: not a reason
_PLACEHOLDER_START = re.compile(r"^\W*(todo|fixme|tbd|tba|xxx|wip)\b", re.IGNORECASE)
_PLACEHOLDERS = frozenset({"why", "reason", "the reason", "why this is accepted", "reason here", "because", "n/a",
                           "na", "none", "-", "--", "...", "?", "ok", "accepted", "see above", "temporary"})
SHORTEST = 8  # characters a reason has at the least


def is_placeholder(reason: str) -> bool:
    """Whether a reason is no reason: empty, a placeholder (TODO, FIXME, TBD, "why", "reason",
    "-"), or too short to say why anything was accepted."""
    text = reason.strip()
    if _PLACEHOLDER_START.match(text) or text.lower().strip(" .!:<>[]{}()") in _PLACEHOLDERS:
        return True
    return len(text) < SHORTEST or not any(char.isalpha() for char in text)


def accepted_because(reason: str) -> str:
    """The reason an accepted finding shows: the one given, or that none was (a placeholder is none)."""
    if not reason.strip():
        return "(no reason given)"
    return reason if not is_placeholder(reason) else f"(no reason given: '{reason.strip()}' is a placeholder)"


def apply_directives(findings: list[Finding], directives: Iterable[Directive],
                     expand: Callable[[str], set[str] | None], meta: Findings,
                     active: Callable[[str], bool] = lambda rule: True,
                     requirement: Callable[[str], bool] = lambda handle: False) -> list[Finding]:
    """Findings with inline and file-wide suppressions applied, plus findings about the comments.

    A suppression is called unused only if one of its rules ran (``active``): with
    ``--ignore USM0101`` a ``disable=USM0101`` comment is not known to be useless. A file-wide
    suppression of a whole requirement (``disable-file=R1``) is refused: accepting a whole
    requirement for a whole file needs a waiver, with an approver and an expiry.
    """
    by_file: dict[str, list[tuple[Directive, set[str]]]] = {}
    reported: list[Finding] = []
    for directive in directives:
        rules: set[str] = set()
        for handle in directive.handles:
            ids = expand(handle)
            if directive.scope == "file" and requirement(handle):
                reported.append(meta.make(WHOLE_REQUIREMENT, directive.file, directive.line, directive.column,
                                          f"file-wide suppression of requirement '{handle}' refused: accepting a "
                                          "whole requirement for a whole file needs a waiver in .usm-rules.yaml, "
                                          "with an approver and an expiry"))
            elif ids is None:
                reported.append(meta.make(UNUSED_SUPPRESSION, directive.file, directive.line, directive.column,
                                     f"suppression names '{handle}', which is no rule: it suppresses nothing"))
            else:
                rules |= ids
        if not directive.reason:
            reported.append(meta.make(NO_REASON, directive.file, directive.line, directive.column,
                                 "suppression without a reason: add ' -- why this is accepted' after the rules"))
        elif is_placeholder(directive.reason):
            reported.append(meta.make(NO_REASON, directive.file, directive.line, directive.column,
                                      f"suppression reason '{directive.reason}' is a placeholder, not a reason: "
                                      "write why this is accepted after ' -- '"))
        by_file.setdefault(directive.file, []).append((directive, rules))
    result = []
    used: set[int] = set()
    for finding in findings:
        for directive, rules in by_file.get(finding.file, ()):
            if finding.counts and finding.acceptable and directive.covers(finding, rules):
                used.add(id(directive))
                kind = "file" if directive.scope == "file" else "inline"
                accepted = Suppression(kind, accepted_because(directive.reason))
                finding = dataclasses.replace(finding, suppressed=accepted)
        result.append(finding)
    for directive, rules in (pair for pairs in by_file.values() for pair in pairs):
        if rules and id(directive) not in used and any(active(rule) for rule in rules):
            reported.append(meta.make(UNUSED_SUPPRESSION, directive.file, directive.line, directive.column,
                                 f"suppression of {', '.join(directive.handles)} matches no finding: remove it"))
    return result + reported


def apply_waivers(findings: list[Finding], waivers: Iterable[Waiver], config_file: str, today: dt.date,
                  expand: Callable[[str], set[str] | None], meta: Findings) -> list[Finding]:
    """Findings with the configured waivers applied; expired and unmatched waivers reported. A
    waiver suppresses through its expiry date: it has expired once ``today`` (a UTC date, see
    :func:`usm_rules.verdict.acceptance.utc_today`) is later."""
    active = []
    reported = []
    for waiver in waivers:
        label = f"waiver for {waiver.rule} on {waiver.subject} (approved by {waiver.approver})"
        if waiver.expires < today:
            reported.append(meta.make(WAIVER_EXPIRED, config_file, waiver.line, waiver.column,
                                 f"{label} expired on {waiver.expires.isoformat()}: it no longer suppresses"))
        else:
            active.append((waiver, expand(waiver.rule) or set(), [False]))
        if is_placeholder(waiver.reason):
            reported.append(meta.make(NO_REASON, config_file, waiver.line, waiver.column,
                                      f"{label} gives the reason '{waiver.reason.strip()}', a placeholder: say why "
                                      "this is accepted"))
    result = []
    for finding in findings:
        for waiver, rules, used in active:
            if finding.counts and finding.acceptable and finding.rule in rules and \
                    fnmatchcase(finding.subject, waiver.subject):
                used[0] = True
                finding = dataclasses.replace(finding, suppressed=Suppression(
                    "waiver", accepted_because(waiver.reason), waiver.approver, waiver.expires.isoformat()))
        result.append(finding)
    for waiver, _, used in active:
        if not used[0]:
            reported.append(meta.make(UNUSED_WAIVER, config_file, waiver.line, waiver.column,
                                 f"waiver for {waiver.rule} on {waiver.subject} matches no finding: remove it"))
    return result + reported
