"""Partitioned, reduced evaluation finds exactly the matches of the plain evaluation.

The engine runs each rule on the facts that can take part in a match only, split by the
rule's equality-join key (usm_rules/partition.py). On random fact sets, for every shipped
rule and for generated rules, the real engine must find the same matches both ways: the
plain way (one ruleset, every fact) and the way a run does it (run_rules).
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from usm_rules.check.catalog import engine_rules, load_catalog
from usm_rules.engine.conditions import ConditionError, compile_condition
from usm_rules.engine.partition import key_attributes, parts
from usm_rules.engine.runner import FactBatches, plan, run_rule, run_task
from usm_rules.engine.vocabulary import ENGINE_ATTRIBUTES, FACT_ATTRIBUTES

# few values, so that joins meet; strings, numbers and booleans mixed, so that the partition
# key's kinds and the conservative literal filter are put to the test on values of any type
VALUES = st.sampled_from(["", "a", "b", "en", 0, 1, 2, 1.0, True, False])
FEW = st.sampled_from(["", "a", 1, 1.0, True])  # for generated rules, whose tests rarely meet otherwise
SHIPPED = [rule for rule in engine_rules(load_catalog([])) if len(rule.compiled.patterns) > 0]


def _facts(types, values=VALUES):
    """Facts of the given types, every attribute set (as the fact builder sets them)."""
    def fact(kind):
        names = sorted(FACT_ATTRIBUTES[kind] - set(ENGINE_ATTRIBUTES) - {"type", "fid"})
        return st.fixed_dictionaries(dict.fromkeys(names, values)).map(lambda attrs: {"type": kind, **attrs})

    return st.lists(st.sampled_from(sorted(types)).flatmap(fact), max_size=14).map(
        lambda found: [{**attrs, "fid": i} for i, attrs in enumerate(found, 1)])


def _matches_both_ways(rule_id, compiled, facts):
    """(plain matches, matches of the run's plan): the tasks a run gives its children, run here."""
    plain = run_rule(rule_id, compiled, FactBatches(facts))
    split = [m for task in plan([(rule_id, compiled)], facts) for found in run_task(task) for m in found]
    return sorted(m.fids for m in plain), sorted(m.fids for m in split)


@pytest.mark.slow
@pytest.mark.parametrize("rule", SHIPPED, ids=lambda rule: rule.id)
def test_every_shipped_rule_finds_the_same_matches_on_reduced_partitions(rule):
    types = {pattern.fact for pattern in rule.compiled.patterns}

    @settings(max_examples=25, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(_facts(types))
    def check(facts):
        plain, split = _matches_both_ways(rule.id, rule.compiled, facts)
        assert plain == split

    check()


_TYPES = ["Activity", "Edge", "Process", "ModelRef"]
_ATTRIBUTES = {kind: sorted(FACT_ATTRIBUTES[kind] - set(ENGINE_ATTRIBUTES) - {"type", "fid"})[:6] for kind in _TYPES}


@st.composite
def _rules(draw):
    """A random ``when``: two or three patterns, literal tests, joins, comparisons, none, pairs."""
    when, bound = [], {}
    for index in range(draw(st.integers(2, 3))):
        kind = draw(st.sampled_from(_TYPES))
        where = {}
        for attribute in draw(st.lists(st.sampled_from(_ATTRIBUTES[kind]), max_size=3, unique=True)):
            choice = draw(st.integers(0, 3))
            partners = list(bound.items())
            if choice == 0 or not partners:
                where[attribute] = draw(FEW)
            elif choice == 1:
                operator = draw(st.sampled_from(["ne", "gt", "lte", "in"]))
                where[attribute] = {operator: [draw(FEW), draw(FEW)] if operator == "in" else draw(FEW)}
            else:
                alias, other = draw(st.sampled_from(partners))
                ref = f"{alias}.{draw(st.sampled_from(_ATTRIBUTES[other]))}"
                where[attribute] = {"ref": ref} if choice == 2 else {draw(st.sampled_from(["ne", "lt"])): {"ref": ref}}
        if index > 0 and draw(st.booleans()) and kind not in bound.values():
            when.append({"none": {"fact": kind, "where": where}})
            continue
        pattern = {"fact": kind, "as": f"x{index}", "where": where}
        same = [alias for alias, other in bound.items() if other == kind]
        if same and draw(st.booleans()):
            pattern["pairedWith"] = same[0]
        when.append(pattern)
        bound[f"x{index}"] = kind
    return when


@pytest.mark.slow
@settings(max_examples=150, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_rules(), _facts(_TYPES, FEW))
def test_generated_rules_find_the_same_matches_on_reduced_partitions(when, facts):
    try:
        compiled = compile_condition(when)
    except ConditionError:
        assume(False)
    plain, split = _matches_both_ways("GEN", compiled, facts)
    assert plain == split


def test_a_join_key_spans_every_pattern_or_there_is_none():
    paired = compile_condition([
        {"fact": "Activity", "as": "a"},
        {"fact": "Activity", "as": "b", "pairedWith": "a", "where": {"normName": {"ref": "a.normName"}}},
    ])
    assert key_attributes(paired.patterns) == [("normName",), ("normName",)]
    loose = compile_condition([{"fact": "Model", "as": "a"}, {"fact": "Model", "as": "b", "pairedWith": "a"}])
    assert key_attributes(loose.patterns) is None


def test_a_clean_model_leaves_the_duplicate_rules_nothing_to_do():
    # every activity name differs: no partition has a pair, so the engine is given no fact
    compiled = compile_condition([
        {"fact": "Activity", "as": "a"},
        {"fact": "Activity", "as": "b", "pairedWith": "a", "where": {"normName": {"ref": "a.normName"}}},
    ])
    facts = [{"type": "Activity", "fid": i, "normName": f"name {i}"} for i in range(1, 1001)]
    assert parts(compiled.patterns, facts, {"Activity": list(range(1000))}) == []
    facts[999]["normName"] = "name 1"
    assert [p.facts for p in parts(compiled.patterns, facts, {"Activity": list(range(1000))})] == [(0, 999)]


def test_a_none_whose_partner_exists_rules_its_partition_out():
    compiled = compile_condition([
        {"fact": "Edge", "as": "e"},
        {"none": {"fact": "Activity", "where": {"process": {"ref": "e.process"}, "id": {"ref": "e.target"}}}},
    ])
    facts = [{"type": "Edge", "fid": 1, "process": "p", "target": "p-2"},
             {"type": "Activity", "fid": 2, "process": "p", "id": "p-2"},
             {"type": "Edge", "fid": 3, "process": "p", "target": "p-9"}]
    found = parts(compiled.patterns, facts, {"Edge": [0, 2], "Activity": [1]})
    assert [p.facts for p in found] == [(2,)]  # only the dangling edge is left for the engine


def test_an_edit_changes_the_part_that_holds_it_not_the_parts_after_it():
    # part boundaries follow the partition keys, so remembered parts survive an edit elsewhere
    compiled = compile_condition([
        {"fact": "Activity", "as": "a"},
        {"fact": "Activity", "as": "b", "pairedWith": "a", "where": {"normName": {"ref": "a.normName"}}},
    ])

    def parts_of(names):
        facts = [{"type": "Activity", "fid": i, "normName": name} for i, name in enumerate(names, 1)]
        found = parts(compiled.patterns, facts, {"Activity": list(range(len(facts)))})
        return [tuple(facts[i]["normName"] for i in part.facts) for part in found]

    names = [f"name {i // 2}" for i in range(20_000)]  # 10,000 pairs
    before = parts_of(names)
    after = parts_of(names[:5000] + names[5002:])  # one pair gone, in the middle
    assert len(before) > 5
    assert len(set(before) - set(after)) == 1  # only the part that held the pair differs
