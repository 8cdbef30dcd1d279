"""Runs compiled rules over facts in durable-rules. The only module that imports durable.

Each rule gets its own ruleset on a private host per run, so rules are isolated (one that
fails is reported by name, the others still run) and no global state leaks between runs.
durable-rules' quirks are handled here and pinned by tests:

- its ``Host`` starts timer threads that dispatch actions in the background; ours never does;
- a fact no rule matches raises ``MessageNotHandledException``: expected, ignored;
- a fact asserted twice raises ``MessageObservedException``, and durable takes a fact's
  ``id`` as its identity: each fact's ``id`` is its unique ``fid`` (the attribute ``id`` is
  renamed ``id_`` on the way in, see :func:`usm_rules.engine.conditions.engine_name`);
- a comparison with another fact must be followed by an equality join, or durable
  segfaults: the compiler sees to it (:data:`usm_rules.engine.conditions.JOIN_KEY`);
- a ``none`` pattern only holds if the negated facts arrive first, so they are asserted first;
- an equality join that follows an ``$or`` (what ``in`` compiles to) in one pattern is dropped,
  so the compiler puts the ``$or`` last (:func:`usm_rules.engine.conditions.compile_condition`);
- facts go in batches, serialised once per fact type, not once per rule;
- ``delete_state`` segfaults, and ``delete_ruleset`` corrupts the next ruleset's memory, so
  rulesets are never deleted: a run's engine work happens in a forked child process
  (:func:`run_rules`) whose exit frees it all, and whose crash costs only the crashing rule;
- its C extension (2.0.28) calls ``PyEval_CallObject``, which Python 3.13 removed from the C
  API. The call sits only in the five persistence callbacks (``set_store_message_callback``
  and its siblings), which a ``Host`` registers only when asked to and ours never is. On 3.13
  and later the extension is loaded with lazy symbol binding (:func:`_load_extension`), so the
  missing symbol is never resolved; a test fails if a callback is ever registered.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import sys
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Protocol


def _load_extension() -> ModuleType:
    """durable-rules' C extension; on Python 3.13+ with lazy symbol binding (see the docstring).

    With RTLD_LAZY a function's symbols are resolved when it is first called, so the extension
    loads although ``PyEval_CallObject`` no longer exists; only the persistence callbacks, which
    are never registered here, would call it. The loader's flags are restored right after.
    """
    if sys.version_info < (3, 13) or not hasattr(sys, "setdlopenflags"):
        import durable_rules_engine

        return durable_rules_engine
    flags = sys.getdlopenflags()
    sys.setdlopenflags((flags & ~os.RTLD_NOW) | os.RTLD_LAZY)
    try:
        import durable_rules_engine
    finally:
        sys.setdlopenflags(flags)
    return durable_rules_engine


durable_rules_engine = _load_extension()
# durable.engine imports the extension itself: it must come after _load_extension
from durable.engine import Host  # noqa: E402

from .conditions import JOIN_KEY, Compiled, engine_name  # noqa: E402
from .partition import CHUNK, Part, parts  # noqa: E402
from .workers import Hub, shared_hub  # noqa: E402

BATCH = 500
_NAMES = itertools.count(1)


@dataclass(frozen=True)
class Match:
    """One rule firing: the fid of each bound fact, by alias."""

    rule: str
    fids: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Crash:
    rule: str
    problem: str


class _PrivateHost(Host):
    """A host without the background dispatch threads: actions run when we drain them.

    It registers none of the persistence callbacks (their attributes stay None): on Python
    3.13 their C code calls a function that no longer exists.
    """

    PERSISTENCE = ("store_message_callback", "delete_message_callback", "queue_message_callback",
                   "get_stored_messages_callback", "get_queued_messages_callback", "get_idle_state_callback")

    def _run(self) -> None:
        return None


class FactBatches:
    """Facts grouped by type and serialised once, ready for any number of rulesets."""

    def __init__(self, facts: list[dict]) -> None:
        by_type: dict[str, list[dict]] = {}
        for fact in facts:
            visible = {engine_name(name): value for name, value in fact.items()}
            visible["id"] = fact["fid"]
            visible[JOIN_KEY] = 1
            by_type.setdefault(fact["type"], []).append(visible)
        self._batches = {
            kind: [json.dumps(items[i:i + BATCH], ensure_ascii=False) for i in range(0, len(items), BATCH)]
            for kind, items in by_type.items()
        }

    def of(self, kinds: frozenset[str]) -> list[str]:
        return [batch for kind in sorted(kinds) for batch in self._batches.get(kind, ())]


def run_rule(rule_id: str, compiled: Compiled, batches: FactBatches) -> list[Match] | Crash:
    """Every match of one rule, or the reason it could not run."""
    matches: list[Match] = []
    aliases = [alias for alias, _ in compiled.aliases]
    failures: list[str] = []

    def record(closure) -> None:
        try:
            message = closure._m
            matches.append(Match(rule_id, tuple((alias, message[alias]["fid"]) for alias in aliases)))
        except Exception as error:  # noqa: BLE001 - never let an action raise inside durable
            failures.append(f"{type(error).__name__}: {error}")

    name = f"{rule_id}-{next(_NAMES)}"
    try:
        host = _PrivateHost()
        host.register_rulesets({name: {"match": {"all": list(compiled.clauses), "run": record}}})
        ruleset = host.get_ruleset(name)
    except Exception as error:  # noqa: BLE001 - whatever durable raises, the rule is reported, not the run
        return Crash(rule_id, f"the engine rejected the rule: {error}")
    try:
        for stage in (compiled.negated_types, compiled.positive_types):
            for batch in batches.of(stage):
                _assert_batch(ruleset, batch)
            _drain(ruleset)
    except Exception as error:  # noqa: BLE001 - as above: one rule fails, the others run
        return Crash(rule_id, f"{type(error).__name__}: {error}")
    if failures:
        return Crash(rule_id, failures[0])
    return matches


def _assert_batch(ruleset, batch: str) -> None:
    code = durable_rules_engine.assert_facts(ruleset._handle, batch)[0]
    if code == 2:  # MessageObserved: a fact asserted twice (fids make this a bug)
        raise RuntimeError("a fact was asserted twice")


def _drain(ruleset) -> None:
    """Run every pending action now, in this thread; an engine error is raised, not lost."""
    errors: list = []

    def done(error, state) -> None:
        if error:
            errors.append(error)

    while not errors:
        pending = durable_rules_engine.start_action(ruleset._handle)
        if not pending:
            return
        ruleset._flush_actions(json.loads(pending[0]), {"message": json.loads(pending[1])}, pending[2], done)
    raise RuntimeError(f"the engine failed while running actions: {errors[0]}")


class Store(Protocol):
    """Where remembered outcomes are kept (a :class:`~usm_rules.check.cache.FileCache`)."""

    def get(self, key: str) -> Any | None: ...
    def put(self, key: str, value: Any) -> None: ...


def run_rules(rules: list[tuple[str, Compiled]], facts: list[dict], jobs: int = 1,
              hub: Hub | None = None, memo: Store | None = None) -> dict[str, list[Match] | Crash]:
    """Every rule's matches. Each rule sees only the facts that can take part in a match, in
    parts that can run on their own (:mod:`usm_rules.engine.partition`); the parts run in child
    processes, ``jobs`` at a time (forked by ``hub``, or this process's hub), each holding at most about
    :data:`~usm_rules.engine.partition.CHUNK` facts. With ``memo``, a part whose rule and facts were
    run before is not run again: after an edit, only the parts the edit touched are.

    A child takes durable-rules' memory with it when it exits (its rulesets can never be
    deleted, and a process can create at most 131,071 of them), and a segfault in the engine
    kills the child, not the caller: a task whose child died is run again one rule part per
    child, so the rule that crashes is reported by name and the others still count.
    """
    forker = hub if hub is not None else shared_hub()

    def isolated(tasks: list[list[_Unit]]) -> list[list[list[Match] | Crash] | None]:
        if not tasks:
            return []
        if forker is not None:
            return forker.run(run_task, tasks, jobs)
        return [run_task(task) for task in tasks]  # pragma: no cover - platforms without fork

    units = units_of(rules, facts)
    keys = [_unit_key(unit) for unit in units] if memo is not None else []
    results: list[list[Match] | Crash | None] = [
        _recalled(unit, memo.get(key)) for unit, key in zip(units, keys, strict=True)
    ] if memo is not None else [None] * len(units)
    todo = [i for i, found in enumerate(results) if found is None]
    tasks = _packed(todo, units)
    for task, outcome in zip(tasks, isolated([[units[i] for i in task] for task in tasks]), strict=True):
        per_part: list[list[Match] | Crash | None] = list(outcome) if outcome is not None else [None] * len(task)
        if outcome is None and len(task) > 1:  # which part crashed: each again, alone
            per_part = [alone[0] if alone else None for alone in isolated([[units[i]] for i in task])]
        for i, found in zip(task, per_part, strict=True):
            results[i] = found
            if memo is not None and isinstance(found, list):
                memo.put(keys[i], _remembered(units[i], found))
    merged: dict[str, list[Match] | Crash] = {rule_id: [] for rule_id, _ in rules}
    for (rule_id, _, _), found in zip(units, results, strict=True):
        _merge(merged, rule_id, found)
    return merged


_Unit = tuple[str, Compiled, list[dict]]


def units_of(rules: list[tuple[str, Compiled]], facts: list[dict]) -> list[_Unit]:
    """Each rule's parts with their facts; every rule has one at least (the engine sees it)."""
    by_type: dict[str, list[int]] = {}
    for index, fact in enumerate(facts):
        by_type.setdefault(fact["type"], []).append(index)
    units: list[_Unit] = []
    for rule_id, compiled in rules:
        found = parts(compiled.patterns, facts, by_type) or [Part(())]
        units += [(rule_id, compiled, [facts[i] for i in part.facts]) for part in found]
    return units


def plan(rules: list[tuple[str, Compiled]], facts: list[dict]) -> list[list[_Unit]]:
    """The engine's tasks for these rules and facts, as :func:`run_rules` gives its children."""
    units = units_of(rules, facts)
    return [[units[i] for i in task] for task in _packed(list(range(len(units))), units)]


def _packed(todo: list[int], units: list[_Unit]) -> list[list[int]]:
    """Rule parts (indexes into ``units``) packed into tasks of at most about CHUNK facts."""
    tasks: list[list[int]] = []
    size = 0
    for i in todo:
        if not tasks or (size and size + len(units[i][2]) > CHUNK):
            tasks.append([])
            size = 0
        tasks[-1].append(i)
        size += len(units[i][2])
    return tasks


def _unit_key(unit: _Unit) -> str:
    """What a part's outcome depends on: its rule as compiled and its facts, in order, without
    their run-wide numbers (which shift when another file changes; their order is kept)."""
    rule_id, compiled, facts = unit
    digest = hashlib.sha256(json.dumps([rule_id, compiled.clauses], sort_keys=True, default=str).encode())
    for fact in facts:
        digest.update(json.dumps({k: v for k, v in fact.items() if k != "fid"}, sort_keys=True,
                                 ensure_ascii=False, default=str).encode())
    return digest.hexdigest()


def _remembered(unit: _Unit, matches: list[Match]) -> list[tuple[tuple[str, int], ...]]:
    """Matches with each fact as its place in the part, not its run-wide number."""
    place = {fact["fid"]: i for i, fact in enumerate(unit[2])}
    return [tuple((alias, place[fid]) for alias, fid in match.fids) for match in matches]


def _recalled(unit: _Unit, kept: Any) -> list[Match] | None:
    """Remembered matches with this run's fact numbers; None when nothing (usable) was kept."""
    if not isinstance(kept, list):
        return None
    try:
        return [Match(unit[0], tuple((alias, unit[2][i]["fid"]) for alias, i in match)) for match in kept]
    except (IndexError, KeyError, TypeError, ValueError):
        return None


def _merge(merged: dict[str, list[Match] | Crash], rule_id: str, outcome: list[Match] | Crash | None) -> None:
    if isinstance(merged[rule_id], Crash):
        return
    if outcome is None:
        merged[rule_id] = Crash(rule_id, "the rule engine crashed (the process died) while running it")
    elif isinstance(outcome, Crash):
        merged[rule_id] = outcome
    else:  # a match two parts both hold (a fact in two partitions) counts once
        before = merged[rule_id]
        merged[rule_id] = list(dict.fromkeys([*(before if isinstance(before, list) else []), *outcome]))


def run_task(task: list[_Unit]) -> list[list[Match] | Crash]:
    """Run one task's rule parts, each in its own ruleset: each part's matches, or its crash."""
    return [run_rule(rule_id, compiled, FactBatches(facts)) for rule_id, compiled, facts in task]
