"""What is accepted, in one place and in one order: inline suppressions, then waivers, then the
baseline. A requirement-0 error is never accepted (see :attr:`usm_rules.model.findings.Finding.acceptable`)."""

from __future__ import annotations

import datetime as dt

from ..check.findings import Findings
from ..check.selection import Selection
from ..model.findings import Finding
from ..model.inputs import Input
from ..model.problems import NO_REASON
from ..model.rules import Catalog
from ..read.config import Config, ConfigError
from ..read.discovery import display_path
from .baseline import Baseline, apply_baseline
from .suppress import apply_directives, apply_waivers, is_placeholder


def check_waivers(catalog: Catalog, config: Config) -> None:
    """A waiver that names no rule is a configuration error (exit 2), found before anything is read."""
    for index, waiver in enumerate(config.waivers):
        if catalog.expand(waiver.rule) is None:
            raise ConfigError(config.path or "configuration", f"waivers[{index}].rule",
                              f"'{waiver.rule}' names no rule; see `usm-rules rules`")


def utc_today() -> dt.date:
    """The day waivers expire against: today in UTC, so that a verdict never depends on the
    machine's time zone (a waiver expiring 2027-03-31 suppresses through 2027-03-31 UTC)."""
    return dt.datetime.now(dt.timezone.utc).date()


def accept(findings: list[Finding], inputs: tuple[Input, ...], catalog: Catalog, config: Config,
           baseline: Baseline | None, today: dt.date | None, selection: Selection,
           make: Findings) -> tuple[list[Finding], tuple[str, ...]]:
    """The findings with what is accepted marked (and findings about the acceptances themselves
    added), and the baseline's fingerprints that no longer occur. Waivers expire against
    ``today`` (None: :func:`utc_today`)."""
    directives = [d for item in inputs for d in item.directives]
    findings = apply_directives(findings, directives, catalog.expand, make, selection.keeps, catalog.is_requirement)
    if config.waivers:
        shown = display_path(config.path or "")
        findings = apply_waivers(findings, config.waivers, shown, today or utc_today(), catalog.expand, make)
    if baseline is None:
        return findings, ()
    if baseline.reason and is_placeholder(baseline.reason):
        findings.append(make.make(NO_REASON, baseline.path, *baseline.reason_at,
                                  f"the baseline gives the reason '{baseline.reason.strip()}', a placeholder: say "
                                  "why its findings are accepted (baseline create --reason)"))
    return apply_baseline(findings, baseline)
