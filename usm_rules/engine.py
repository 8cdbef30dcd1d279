"""Runs compiled rules over facts in durable-rules. The only module that imports durable.

Each rule gets its own ruleset on a private host per run, so rules are isolated (one that
fails is reported by name, the others still run) and no global state leaks between runs.
durable-rules' quirks are handled here and pinned by tests:

- its ``Host`` starts timer threads that dispatch actions in the background; ours never does;
- a fact no rule matches raises ``MessageNotHandledException``: expected, ignored;
- a fact asserted twice raises ``MessageObservedException``, and durable takes a fact's
  ``id`` as its identity: each fact's ``id`` is its unique ``fid`` (the attribute ``id`` is
  renamed ``id_`` on the way in, see :func:`usm_rules.conditions.engine_name`);
- a comparison with another fact must be followed by an equality join, or durable
  segfaults: the compiler sees to it (:data:`usm_rules.conditions.JOIN_KEY`);
- a ``none`` pattern only holds if the negated facts arrive first, so they are asserted first;
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

import faulthandler
import itertools
import json
import multiprocessing
import os
import sys
from dataclasses import dataclass
from types import ModuleType


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


def run_rules(rules: list[tuple[str, Compiled]], facts: list[dict]) -> dict[str, list[Match] | Crash]:
    """Every rule's matches, run in a forked child process where the platform can fork.

    The child takes durable-rules' memory with it when it exits (its rulesets can never be
    deleted, and a process can create at most 131,071 of them), and a segfault in the
    engine kills the child, not the caller: the rules are then run one per child, so the
    one that crashes is reported by name and the others still count.
    """
    if not rules:
        return {}
    if "fork" not in multiprocessing.get_all_start_methods():
        return _run_here(rules, facts)
    outcome = _run_in_child(rules, facts)
    if outcome is not None:
        return outcome
    if len(rules) == 1:
        return {rules[0][0]: Crash(rules[0][0], "the rule engine crashed (the process died) while running it")}
    split: dict[str, list[Match] | Crash] = {}
    for rule in rules:
        split.update(run_rules([rule], facts))
    return split


def _run_here(rules: list[tuple[str, Compiled]], facts: list[dict]) -> dict[str, list[Match] | Crash]:
    batches = FactBatches(facts)
    return {rule_id: run_rule(rule_id, compiled, batches) for rule_id, compiled in rules}


def _run_in_child(rules: list[tuple[str, Compiled]], facts: list[dict]) -> dict | None:
    """The outcome from a forked child, or None when the child died."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(rules, facts, sender), daemon=True)
    child.start()
    sender.close()
    try:
        outcome = receiver.recv()
    except EOFError:
        outcome = None
    finally:
        receiver.close()
        child.join()
    return outcome


def _child(rules: list[tuple[str, Compiled]], facts: list[dict], sender) -> None:
    faulthandler.disable()  # a crash here is reported as a finding, not as a C traceback
    try:
        sender.send(_run_here(rules, facts))
    finally:
        sender.close()
