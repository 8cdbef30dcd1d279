"""The rule engine under durable-rules' quirks, on the real engine (nothing mocked)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from conftest import check, located

import usm_rules
from usm_rules.check.catalog import load_catalog
from usm_rules.engine.conditions import ConditionError, compile_condition
from usm_rules.engine.runner import FactBatches, run_rule
from usm_rules.model.rules import Catalog

TWO_PROCESSES = """\
apiVersion: usm/v1
kind: Process
metadata: {name: recover}
spec:
  activities:
    - {id: rec-1, name: Register the failure}
---
apiVersion: usm/v1
kind: Process
metadata: {name: operate}
spec:
  activities:
    - {id: op-1, name: Register the failure}
"""


def test_facts_that_no_rule_matches_are_fine():
    compiled = compile_condition([{"fact": "Activity", "as": "a", "where": {"roleTerm": {"ne": ""}}}])
    facts = [{"type": "Activity", "fid": 1, "roleTerm": ""}, {"type": "Process", "fid": 2, "name": "x"}]
    assert run_rule("T1", compiled, FactBatches(facts)) == []


def test_a_join_fires_once_per_pair_on_equal_keys():
    compiled = compile_condition([
        {"fact": "Activity", "as": "a"},
        {"fact": "Activity", "as": "b", "pairedWith": "a", "where": {"normName": {"ref": "a.normName"}}},
    ])
    facts = [{"type": "Activity", "fid": i, "normName": name} for i, name in enumerate("xyxzx", 1)]
    matches = run_rule("T2", compiled, FactBatches(facts))
    assert sorted(m.fids for m in matches) == [
        (("a", 1), ("b", 3)), (("a", 1), ("b", 5)), (("a", 3), ("b", 5))]


def test_none_holds_only_when_no_negated_fact_exists_whatever_the_order():
    compiled = compile_condition([
        {"fact": "Process", "as": "p"},
        {"none": {"fact": "ModelRef", "where": {"process": {"ref": "p.name"}}}},
    ])
    facts = [{"type": "Process", "fid": 1, "name": "recover"}, {"type": "Process", "fid": 2, "name": "loose"},
             {"type": "ModelRef", "fid": 3, "process": "recover"}]  # the negated fact comes last
    assert [m.fids for m in run_rule("T3", compiled, FactBatches(facts))] == [(("p", 2),)]


def test_identical_documents_are_distinct_facts(tree):
    tree({"a.yaml": TWO_PROCESSES, "b.yaml": TWO_PROCESSES})
    result = check(select=["R9"])
    assert ("b.yaml", 3, 18, "USM0904") in located(result)
    assert ("b.yaml", 6, 12, "USM0901") in located(result)
    assert result.complete


def test_activity_ids_that_repeat_do_not_confuse_the_engine(tree):
    """durable-rules takes a fact's ``id`` as its identity; activity ids must not be that."""
    tree({"a.yaml": TWO_PROCESSES.replace("op-1", "rec-1")})
    result = check(select=["USM0901", "USM0102"])
    assert located(result) == [("a.yaml", 13, 12, "USM0901")]


def test_two_runs_in_one_process_give_the_same_result(tree):
    tree({"a.yaml": TWO_PROCESSES})
    first, second = check(), check()
    assert first == second and first.findings


def test_a_rule_the_engine_rejects_is_a_finding_naming_it(tree):
    tree({"a.yaml": TWO_PROCESSES})
    catalog = load_catalog()
    good = catalog["USM0902"]
    bogus = {"a": {"$and": [{"type": "Activity"}, {"$bogus": {"x": 1}}]}}
    compiled = dataclasses.replace(good.compiled, clauses=(bogus,))
    broken = dataclasses.replace(good, id="X0001", name="bogus", compiled=compiled)
    result = usm_rules.check_paths(["."], catalog=Catalog([*catalog, broken]))
    crash = [f for f in result.findings if f.rule == "USM0010"]
    assert len(crash) == 1 and crash[0].message.startswith("rule X0001 (bogus) crashed and was skipped:")
    assert crash[0].subject == "Rule/X0001"
    assert ("a.yaml", 13, 24, "USM0902") in located(result)  # the other rules still ran
    assert result.complete is False


def test_a_rule_whose_message_does_not_fit_is_a_finding_naming_it(tree):
    tree({"a.yaml": TWO_PROCESSES})
    catalog = load_catalog()
    broken = dataclasses.replace(catalog["USM0902"], id="X0002", name="misfit", message="{b.nothing}")
    result = usm_rules.check_paths(["."], catalog=Catalog([*catalog, broken]))
    crash = [f.message for f in result.findings if f.rule == "USM0010"]
    assert crash == ["rule X0002 (misfit) crashed and was skipped: KeyError: 'nothing'; please report this"]


# the test process runs threads (the language detector's) by the time a hub is forked anew for
# a patched engine; Python 3.12+ warns about any fork then. A CLI run forks its hub first.
FORK_IN_TESTS = "ignore:This process .* is multi-threaded:DeprecationWarning"


@pytest.fixture()
def fresh_hub():
    """The engine's children are forked by the process's hub: stop it, so that the run forks a
    new one from this process as patched, and stop that one afterwards."""
    from usm_rules.engine import workers

    workers.close_shared_hub()
    yield
    workers.close_shared_hub()
    workers.shared_hub()  # a clean one for the tests after (forked here, under this test's filter)


@pytest.mark.slow
@pytest.mark.filterwarnings(FORK_IN_TESTS)
@pytest.mark.parametrize("big", [False, True], ids=["small-run", "files-on-two-cores"])
def test_a_process_killed_by_a_segfault_costs_only_its_rule(tree, monkeypatch, big, fresh_hub):
    """durable-rules can segfault (jruizgit/rules#381, delete_state); whatever the trigger, the
    engine's process dies with SIGSEGV. Make one rule do exactly that, deterministically: the
    run must report that rule by name and keep every other rule's findings, in a small run and
    in a big one (files read on two cores)."""
    import os
    import signal

    from usm_rules import api
    from usm_rules.engine import runner as engine

    monkeypatch.setattr(api, "BIG", 0 if big else api.BIG)

    real = engine.run_rule

    def segfault_on_x(rule_id, compiled, batches):
        if rule_id == "X0003":
            os.kill(os.getpid(), signal.SIGSEGV)
        return real(rule_id, compiled, batches)

    monkeypatch.setattr(engine, "run_rule", segfault_on_x)
    tree({"a.yaml": TWO_PROCESSES})
    catalog = load_catalog()
    broken = dataclasses.replace(catalog["USM0902"], id="X0003", name="segfault")
    result = usm_rules.check_paths(["."], catalog=Catalog([*catalog, broken]), jobs=2)
    crash = [f.message for f in result.findings if f.rule == "USM0010"]
    assert crash == ["rule X0003 (segfault) crashed and was skipped: the rule engine crashed (the process died) "
                     "while running it; please report this"]
    assert ("a.yaml", 13, 24, "USM0902") in located(result)
    assert result.complete is False


@pytest.mark.parametrize(("pattern", "key", "problem"), [
    ({"fact": "Activity", "as": "b", "where": {"fid": {"gt": {"ref": "a.fid"}}}}, "when[1].where.fid",
     "'fid' is the engine's own; to match each unordered pair of facts once, write 'pairedWith: ALIAS'"),
    ({"fact": "Activity", "as": "b", "pairedWith": "x"}, "when[1].pairedWith", "'x' is not bound"),
    ({"fact": "Process", "as": "b", "pairedWith": "a"}, "when[1].pairedWith",
     "'a' binds Activity facts, not Process: a pair is two facts of one type"),
])
def test_pairs_are_said_in_the_rule_language_not_with_engine_identities(pattern, key, problem):
    with pytest.raises(ConditionError) as raised:
        compile_condition([{"fact": "Activity", "as": "a"}, pattern])
    assert raised.value.key == key and raised.value.problem.startswith(problem)


@pytest.mark.filterwarnings(FORK_IN_TESTS)
def test_no_persistence_callback_is_ever_registered(tree, monkeypatch, fresh_hub):
    """On Python 3.13 the extension's persistence callbacks call PyEval_CallObject, which no
    longer exists: the extension loads lazily and works only while none is ever registered.
    Make every registration fail, in this process and in the forked engine child, and run
    every shipped rule on the samples' worst folder: nothing may notice."""
    from usm_rules.engine import runner as engine

    def refused(*args):
        raise AssertionError(f"a persistence callback was registered: {args!r}")

    names = [name for name in dir(engine.durable_rules_engine) if name.endswith("_callback")]
    assert len(names) == 5  # the five the extension has (durable's Python side names a sixth it lacks)
    for name in names:
        monkeypatch.setattr(engine.durable_rules_engine, name, refused)
    tree({"a.yaml": TWO_PROCESSES})
    result = usm_rules.check_paths(["."])
    assert "USM0010" not in {f.rule for f in result.findings}
    assert ("a.yaml", 13, 24, "USM0902") in located(result)
    host = engine._PrivateHost()
    assert all(getattr(host, attribute) is None for attribute in engine._PrivateHost.PERSISTENCE)


def test_the_loader_flags_are_restored_after_the_extension_is_loaded():
    """Lazy binding is for durable-rules' extension only: every later import binds as usual."""
    import os
    import subprocess
    import sys

    code = ("import os, sys; before = sys.getdlopenflags(); import usm_rules.engine; "
            "print(before == sys.getdlopenflags() == os.RTLD_NOW)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert done.stdout.strip() == "True", done.stderr


def test_a_join_holds_beside_an_in_test():
    # durable-rules drops an equality join that follows an $or (what `in` compiles to) in the
    # same pattern, and then pairs facts whose keys differ; found by tests/test_partition.py
    compiled = compile_condition([
        {"fact": "Activity", "as": "a"},
        {"fact": "Edge", "as": "e", "where": {"source": {"in": ["x", "y"]}, "target": {"ref": "a.id"}}},
    ])
    facts = [{"type": "Activity", "fid": 1, "id": "rec-1"},
             {"type": "Edge", "fid": 2, "source": "x", "target": "rec-9"},
             {"type": "Edge", "fid": 3, "source": "y", "target": "rec-1"}]
    assert [m.fids for m in run_rule("T9", compiled, FactBatches(facts))] == [(("a", 1), ("e", 3))]


def test_the_hub_has_the_engine_before_it_forks_an_engine_child():
    """The hub is forked while the caller holds little; a run has it import the engine while the
    run reads (its children then start with it), sent as a function by reference, never by a
    module name. In a fresh process, as the command line starts."""
    import subprocess
    import sys

    if not Path("/proc/self/maps").exists():
        pytest.skip("no /proc to look into the hub with")
    probe = """
import sys, time
from pathlib import Path
from usm_rules.engine.workers import shared_hub
hub = shared_hub()
maps = Path(f"/proc/{hub._process.pid}/maps")
before = "durable_rules_engine" in maps.read_text()
from usm_rules.engine.runner import run_task
hub.preload(run_task)
for _ in range(200):
    if "durable_rules_engine" in maps.read_text():
        break
    time.sleep(0.05)
print(before, "durable_rules_engine" in maps.read_text())
"""
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.split() == ["False", "True"]
