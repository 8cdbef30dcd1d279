"""The library entry point: paths in, a :class:`~usm_rules.model.Result` out. Never prints."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .baseline import Baseline, apply_baseline
from .catalog import Catalog, Rule, load_catalog, render_message
from .ceiling import maturity
from .config import Config, ConfigError
from .discovery import Source, discover, display_path, read_source
from .engine import Crash, Match, run_rules
from .facts import Fact, build_facts
from .loader import Document, LoadProblem, load_bytes
from .model import FileOutcome, Finding, Result
from .selection import Selection
from .suppress import Directive, apply_directives, apply_waivers, scan
from .validation import validate_document

CRASH_RULE = "USM0010"


@dataclass
class _Input:
    """What one file gave: its valid documents and its requirement-0 problems."""

    source: Source
    documents: list[Document]
    invalid: list[Document]
    problems: list[LoadProblem]
    directives: list[Directive]


def check_paths(
    paths: Iterable[str | Path],
    *,
    rules: Iterable[str | Path] = (),
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    exclude: Iterable[str] = (),
    stdin: bytes | None = None,
    catalog: Catalog | None = None,
    config: Config | None = None,
    baseline: Baseline | None = None,
    today: dt.date | None = None,
) -> Result:
    """Check every YAML document under ``paths`` against the rule catalogue.

    ``config`` supplies defaults (``select`` given here replaces the configured one; ``ignore``,
    ``exclude`` and ``rules`` add to it). A ``catalog`` given is used as it is (see
    :func:`prepare_catalog` for one with the configuration's overrides). Raises :class:`~usm_rules.catalog.CatalogError` for a
    broken rule pack, :class:`~usm_rules.config.ConfigError` for a configuration that names
    unknown rules, :class:`~usm_rules.selection.SelectionError` for an unknown ``select`` or
    ``ignore`` entry; problems in the input files are findings, never exceptions.
    """
    config = config or Config()
    catalog = catalog or prepare_catalog(config, rules)
    _check_waivers(catalog, config)
    selection = _selection(catalog, config, tuple(select), tuple(ignore))
    patterns = (*config.exclude, *((os.getcwd(), pattern) for pattern in exclude))
    inputs = [_read(source, stdin) for source in discover([str(p) for p in paths], patterns)]
    documents = [doc for item in inputs for doc in item.documents]
    facts = build_facts(documents, [doc for item in inputs for doc in item.invalid])
    findings = [_load_finding(catalog[p.rule], item.source.display, p) for item in inputs for p in item.problems]
    findings += _run_rules([catalog[r] for r in selection.engine_rules()], facts, catalog)
    findings, fixed = _suppress(findings, inputs, catalog, config, baseline, today or dt.date.today(), selection)
    findings = _deduplicate(f for f in findings if selection.keeps(f.rule))
    processes = tuple(doc.data["metadata"]["name"] for doc in documents if doc.data["kind"] == "Process")
    complete = not any(p.rule in _INCOMPLETE for item in inputs for p in item.problems) and not any(
        f.rule == CRASH_RULE for f in findings
    )
    return Result(
        findings=tuple(findings),
        files=tuple(_outcome(item) for item in inputs),
        documents=sum(len(item.documents) + len(item.invalid) for item in inputs),
        processes=processes,
        maturity=maturity(findings, list(processes)),
        complete=complete,
        mapping=config.mapping,
        fixed=fixed,
    )


def prepare_catalog(config: Config, rules: Iterable[str | Path] = ()) -> Catalog:
    """The shipped rules plus packs, with the configuration's severities and ceilings."""
    catalog = load_catalog([*config.rules, *rules])
    try:
        return catalog.overridden(config.severity, config.ceilings)
    except KeyError as error:
        raise ConfigError(config.path or "configuration", error.args[0], "names no rule, rule name or requirement "
                          "(R0-R10); see `usm-rules rules`") from None


def _check_waivers(catalog: Catalog, config: Config) -> None:
    for index, waiver in enumerate(config.waivers):
        if catalog.expand(waiver.rule) is None:
            raise ConfigError(config.path or "configuration", f"waivers[{index}].rule",
                              f"'{waiver.rule}' names no rule; see `usm-rules rules`")


def _selection(catalog: Catalog, config: Config, select: tuple[str, ...], ignore: tuple[str, ...]) -> Selection:
    where = config.path or "configuration"
    labels = ("--select" if select else f"{where}: select", "--ignore" if ignore else f"{where}: ignore")
    return Selection(catalog, select or config.select, (*config.ignore, *ignore), labels)


def _suppress(findings: list[Finding], inputs: list[_Input], catalog: Catalog, config: Config,
              baseline: Baseline | None, today: dt.date, selection: Selection) -> tuple[list[Finding], tuple[str, ...]]:
    """Inline suppressions, then waivers, then the baseline: after the rules, in one place."""
    def meta(rule: str, file: str, line: int, column: int, message: str) -> Finding:
        return _finding(catalog[rule], file, line, column, message, "")

    directives = [d for item in inputs for d in item.directives]
    findings = apply_directives(findings, directives, catalog.expand, meta, selection.keeps)
    if config.waivers:
        shown = display_path(config.path or "")
        findings = apply_waivers(findings, config.waivers, shown, today, catalog.expand, meta)
    if baseline is None:
        return findings, ()
    return apply_baseline(findings, baseline)


_INCOMPLETE = {"USM0001", "USM0003", "USM0004", "USM0005", "USM0006", "USM0007", "USM0009"}


def _read(source: Source, stdin: bytes | None) -> _Input:
    raw = read_source(source, stdin)
    if isinstance(raw, str):
        return _Input(source, [], [], [LoadProblem("USM0007", f"cannot read file: {raw}", 1, 1)], [])
    loaded = load_bytes(source.display, raw)
    directives = scan(source.display, loaded.text, loaded.strings) if loaded.text is not None else []
    valid, invalid, problems = [], [], list(loaded.problems)
    for document in loaded.documents:
        errors = validate_document(document)
        problems.extend(errors)
        (invalid if errors else valid).append(document)
    return _Input(source, valid, invalid, problems, directives)


def _outcome(item: _Input) -> FileOutcome:
    failed = any(p.rule in _INCOMPLETE for p in item.problems)
    return FileOutcome(item.source.display, "error" if failed else "checked", len(item.documents) + len(item.invalid))


def _load_finding(rule: Rule, file: str, problem: LoadProblem) -> Finding:
    return _finding(rule, file, problem.line, problem.column, problem.message, "")


def _finding(rule: Rule, file: str, line: int, column: int, message: str, subject: str) -> Finding:
    return Finding(
        file=file, line=line, column=column, rule=rule.id, name=rule.name, requirement=rule.requirement,
        severity=rule.severity, confidence=rule.confidence, ceiling=rule.ceiling, message=message,
        subject=subject,
    )


def _run_rules(rules: list[Rule], facts: list[Fact], catalog: Catalog) -> list[Finding]:
    outcomes = run_rules([(rule.id, rule.compiled) for rule in rules], [fact.attrs for fact in facts])
    findings: list[Finding] = []
    for rule in rules:
        outcome = outcomes[rule.id]
        if isinstance(outcome, Crash):
            findings.append(_crash(catalog, rule, outcome.problem))
            continue
        try:
            findings.extend(_from_match(rule, match, facts) for match in outcome)
        except Exception as error:  # a message template that does not fit the facts
            findings.append(_crash(catalog, rule, f"{type(error).__name__}: {error}"))
    return findings


def _from_match(rule: Rule, match: Match, facts: list[Fact]) -> Finding:
    bound = {alias: facts[fid - 1] for alias, fid in match.fids}
    fact = bound[rule.report_fact]
    line, column = fact.position(rule.report_at or "at")
    message = render_message(rule.message, {alias: f.attrs for alias, f in bound.items()})
    return _finding(rule, fact.file, line, column, message, fact.subject)


def _crash(catalog: Catalog, rule: Rule, problem: str) -> Finding:
    message = f"rule {rule.id} ({rule.name}) crashed and was skipped: {problem}; please report this"
    return _finding(catalog[CRASH_RULE], rule.source, 1, 1, message, f"Rule/{rule.id}")


def _deduplicate(findings: Iterable[Finding]) -> list[Finding]:
    """Sorted, one finding per rule and place (a join can reach the same place twice)."""
    seen: set[tuple] = set()
    unique = []
    for finding in sorted(findings):
        # a join can reach one place twice (same subject, other partner): keep one; findings
        # without a subject (several schema errors at one node) differ by their message
        key = (finding.file, finding.line, finding.column, finding.rule, finding.subject or finding.message)
        if key not in seen:
            seen.add(key)
            unique.append(finding)
    return unique


__all__ = ["check_paths", "prepare_catalog"]
