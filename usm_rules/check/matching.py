"""The engine's matches made findings: every selected rule run over the run's facts, and the
matches of an unchanged tree and rule set taken from the cache instead of the engine."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from ..engine.runner import Crash, run_rules
from ..engine.workers import Hub
from ..model.findings import Finding
from .cache import FileCache
from .catalog import EngineRule
from .facts import Fact
from .findings import Findings


class EngineMemo:
    """The engine's matches for exactly these files' contents and these rules, kept in the cache:
    an unchanged tree is checked again without running the engine (or grouping its facts)."""

    def __init__(self, folder: Path, files: str, rules: list[EngineRule]) -> None:
        self._store = FileCache(folder, f"engine|{engine_version()}", kind="runs")
        digest = hashlib.sha256(files.encode())
        for rule in rules:
            digest.update(f"|{rule.id}|".encode() + hashlib.sha256(rule.raw).digest())
        self._key = digest.hexdigest()

    def get(self) -> dict | None:
        found = self._store.get(self._key)
        return found if isinstance(found, dict) else None

    def put(self, outcomes: dict) -> None:
        if not any(isinstance(outcome, Crash) for outcome in outcomes.values()):  # a crash is never kept
            self._store.put(self._key, outcomes)


def part_store(folder: Path) -> FileCache:
    """Where the engine's outcome of each rule part is kept, for an edited tree (see
    :func:`usm_rules.engine.runner.run_rules`)."""
    return FileCache(folder, f"engine|{engine_version()}", kind="parts")


@functools.cache
def engine_version() -> str:
    """The engine's identity (part of the engine memos' keys), looked up once per process: the
    hash of durable-rules' compiled extension, which does the matching (any rebuild or release
    of it is another engine; importlib.metadata alone would cost a warm run a tenth of its time)."""
    from importlib.util import find_spec

    spec = find_spec("durable_rules_engine")
    try:
        return hashlib.sha256(Path(spec.origin).read_bytes()).hexdigest() if spec and spec.origin else "unknown"
    except OSError:  # pragma: no cover - an engine that imports but cannot be read
        return "unknown"


def match_rules(rules: list[EngineRule], facts: list[Fact], make: Findings, jobs: int,
                hub: Hub | None, memo: EngineMemo | None = None, store: FileCache | None = None) -> list[Finding]:
    """Every finding the rules' matches make; a rule that crashes (in the engine, or in its
    message) is its own USM0010 finding, and the others still count."""
    outcomes = memo.get() if memo is not None else None
    if outcomes is None:
        outcomes = run_rules([(rule.id, rule.compiled) for rule in rules], [fact.attrs for fact in facts], jobs, hub,
                             store)
        if memo is not None:
            memo.put(outcomes)
    findings: list[Finding] = []
    for rule in rules:
        outcome = outcomes[rule.id]
        if isinstance(outcome, Crash):
            findings.append(make.crash(rule, outcome.problem))
            continue
        try:
            matches = [{alias: facts[fid - 1] for alias, fid in match.fids} for match in outcome]
            if rule.report_per == "file":
                findings += make.per_file(rule, rule.message, matches, rule.report_fact, rule.report_at)
            else:
                findings += [make.match(rule, rule.message, bound, rule.report_fact, rule.report_at)
                             for bound in matches]
        except Exception as error:  # noqa: BLE001 - a message template that does not fit: the rule's crash
            findings.append(make.crash(rule, f"{type(error).__name__}: {error}"))
    return findings
