"""Which facts can take part in a rule's match, and how they split into independent parts.

The engine evaluates every rule; this module only decides what it is given, from the rule's
compiled ``when`` (:class:`~usm_rules.engine.conditions.Pattern`), so that the work stays linear in
the input and bounded in memory whatever a rule pack says:

- **literal tests filter first**: a fact that fails a pattern's tests on the fact alone can
  never be bound by it (decided conservatively: when a test's outcome is uncertain, for values
  of another type, the fact is kept and the engine decides);
- **hash partitions on the equality join key**: the attributes that equality joins tie
  together across *every* pattern form the key; facts with different key values can never
  meet in one match, so each key value is a partition the engine may run on its own;
- **semi-join reduction**: a partition in which some positive pattern has no candidate can
  produce no match and is dropped; so is one holding a candidate of a ``none`` pattern whose
  every join is on the key and that has no other comparison (that fact refutes every match of
  the partition). What is left is, on a clean model, next to nothing.

A property test (tests/test_partition.py) checks on random fact sets that the engine, run on
the reduced partitions, finds exactly the matches it finds on all the facts.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .conditions import Pattern

CHUNK = 2_000  # facts per engine run: the engine keeps some 8 KB for every fact it holds


@dataclass(frozen=True)
class Part:
    """Facts (indexes into the run's fact list) that the engine must see together."""

    facts: tuple[int, ...]


def key_attributes(patterns: Sequence[Pattern]) -> list[tuple[str, ...]] | None:
    """For each pattern, the attributes whose values make up the partition key; None when
    the equality joins do not tie every pattern together (one partition then)."""
    if len(patterns) < 2:
        return None
    parent: dict[tuple[int, str], tuple[int, str]] = {}

    def root(node: tuple[int, str]) -> tuple[int, str]:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    index = {p.alias: i for i, p in enumerate(patterns) if p.alias is not None}
    for i, pattern in enumerate(patterns):
        for attribute, alias, other in pattern.joins:
            parent[root((i, attribute))] = root((index[alias], other))
    classes: dict[tuple[int, str], dict[int, str]] = {}
    for node in list(parent):
        members = classes.setdefault(root(node), {})
        members.setdefault(node[0], node[1])
        members[node[0]] = min(members[node[0]], node[1])
    spanning = sorted((members for members in classes.values() if len(members) == len(patterns)),
                      key=lambda members: members[0])
    if not spanning:
        return None
    return [tuple(members[i] for members in spanning) for i in range(len(patterns))]


def parts(patterns: Sequence[Pattern], facts: Sequence[dict], by_type: dict[str, list[int]],
          chunk: int = CHUNK) -> list[Part]:
    """The facts a rule's engine runs need, grouped into parts of about ``chunk`` facts that
    can each run on their own; empty when the rule cannot match."""
    keys = key_attributes(patterns)
    candidates = [candidates_of(p, facts, by_type.get(p.fact, [])) for p in patterns]
    positive = [i for i, p in enumerate(patterns) if p.alias is not None]
    decided = [i for i, p in enumerate(patterns) if p.alias is None and _decided(patterns, i, keys)]
    # a none pattern's fact refutes a partition only if it surely passes the literal tests
    refuting = {i: set(candidates_of(patterns[i], facts, candidates[i], certain=True)) for i in decided}
    index = {p.alias: i for i, p in enumerate(patterns) if p.alias is not None}
    # a pattern paired with another binds a fact read after the partner's: (partner, pattern)
    pairs = [(index[p.paired], i) for i, p in enumerate(patterns) if p.paired in index]
    if keys is None:
        if any(not candidates[i] for i in positive) or any(refuting[i] for i in decided):
            return []
        kept = sorted({f for found in candidates for f in found})
        if len(positive) == 1 and not decided and len(patterns) == 1:  # no join: split anywhere
            return [Part(tuple(kept[i:i + chunk])) for i in range(0, len(kept), chunk)]
        return [Part(tuple(kept))] if kept else []
    # set operations on each pattern's keys, so that only surviving facts are grouped
    keyed = [_keys(facts, found, keys[i]) for i, found in enumerate(candidates)]
    alive = set.intersection(*(set(keyed[i]) for i in positive))
    for i in decided:
        alive -= {key for f, key in zip(candidates[i], keyed[i], strict=True) if f in refuting[i]}
    for partner, mine in pairs:  # some fact of the pattern comes after some fact of its partner
        first: dict[Any, int] = {}
        for f, key in zip(candidates[partner], keyed[partner], strict=True):
            if key in alive and f < first.get(key, f + 1):
                first[key] = f
        last: dict[Any, int] = {}
        for f, key in zip(candidates[mine], keyed[mine], strict=True):
            if key in alive and f > last.get(key, -1):
                last[key] = f
        alive = {key for key in alive if last.get(key, -1) > first.get(key, len(facts))}
    groups: dict[Any, set[int]] = {}
    for found, keys_found in zip(candidates, keyed, strict=True):
        for f, key in zip(found, keys_found, strict=True):
            if key in alive:
                groups.setdefault(key, set()).add(f)
    return _packed([(key, sorted(group)) for key, group in groups.items()], chunk)


def _keys(facts: Sequence[dict], found: list[int], attributes: tuple[str, ...]) -> list[Any]:
    """Each fact's partition key: its key attributes' values, a string as itself, any other value
    with its type (see :func:`_typed`)."""
    if len(attributes) == 1:
        single = attributes[0]
        return [value if type(value := facts[f].get(single)) is str else _typed(value) for f in found]
    return [tuple(value if type(value := facts[f].get(a)) is str else _typed(value) for a in attributes)
            for f in found]


def _decided(patterns: Sequence[Pattern], i: int, keys: list[tuple[str, ...]] | None) -> bool:
    """Whether any candidate of ``none`` pattern ``i`` refutes its whole partition: every test
    that looks at another fact is an equality between the same part of both facts' keys."""
    pattern = patterns[i]
    if pattern.compares:
        return False
    if keys is None:
        return not pattern.joins
    index = {p.alias: j for j, p in enumerate(patterns) if p.alias is not None}
    return all(attribute in keys[i] and other in keys[index[alias]]
               and keys[i].index(attribute) == keys[index[alias]].index(other)
               for attribute, alias, other in pattern.joins)


def _packed(groups: list[tuple[Any, list[int]]], chunk: int) -> list[Part]:
    """Partitions packed, whole, into parts of about ``chunk`` facts, in reading order. A fact
    that two patterns place in two partitions may be in two parts (never twice in one).

    Where a part ends depends on the partition keys alone (a part ends after a partition whose
    key's hash falls on a multiple of the number of such partitions a part holds): an edit that
    changes one partition changes the part that holds it, not every part after it, so the
    engine's remembered parts (see :func:`usm_rules.engine.runner.run_rules`) stay valid.
    """
    out: list[Part] = []
    current: set[int] = set()
    for key, group in sorted(groups, key=lambda item: item[1]):
        current.update(group)
        every = max(1, chunk // len(group))
        if zlib.crc32(repr(key).encode("utf-8", "surrogateescape")) % every == 0 or len(current) >= 2 * chunk:
            out.append(Part(tuple(sorted(current))))
            current = set()
    if current:
        out.append(Part(tuple(sorted(current))))
    return out


def _typed(value: Any) -> tuple:
    """A join value with its kind (a tuple, so never equal to a bare string key): the engine
    joins a string with no number, and an integer with no decimal (1 with no 1.0)."""
    return (type(value).__name__, value if isinstance(value, (str, bool, int, float)) else repr(value))


def candidates_of(pattern: Pattern, facts: Sequence[dict], indexes: list[int], certain: bool = False) -> list[int]:
    """The facts of the pattern's type that its literal tests do not rule out; with ``certain``,
    only those that surely pass them (where Python and the engine surely agree)."""
    found = indexes
    for attribute, operator, operand in pattern.literals:
        if operator in ("eq", "ne") and isinstance(operand, (str, bool)):
            # the common test, kept tight: the same answer as _holds, without the dispatch
            kind, equal = type(operand), operator == "eq"
            if certain:
                found = [i for i in found if type(value := facts[i].get(attribute, found)) is kind
                         and (value == operand) is equal]
            else:
                found = [i for i in found if type(value := facts[i].get(attribute, found)) is not kind
                         or (value == operand) is equal]
        else:
            found = [i for i in found if _holds(facts[i], attribute, operator, operand, certain)]
    return found


def _holds(fact: dict, attribute: str, operator: str, operand: Any, certain: bool) -> bool:
    """Whether a literal test holds; when Python cannot be sure of the engine's answer (a
    missing attribute, values of another type), ``not certain``."""
    if attribute not in fact:
        return not certain
    value = fact[attribute]
    if operator == "in":
        return any(_holds(fact, attribute, "eq", item, certain) for item in operand)
    if not _comparable(value, operand, ordered=operator not in ("eq", "ne")):
        return not certain
    if operator == "eq":
        return bool(value == operand)
    if operator == "ne":
        return bool(value != operand)
    return bool({"gt": value > operand, "gte": value >= operand, "lt": value < operand,
                 "lte": value <= operand}[operator])


def _comparable(value: Any, operand: Any, ordered: bool) -> bool:
    """Whether Python's comparison surely gives the engine's answer for these two values: of one
    type (the engine finds no integer equal to a decimal), and numbers where there is an order."""
    if type(value) is not type(operand):
        return False
    return isinstance(value, (int, float)) and not isinstance(value, bool) if ordered else \
        isinstance(value, (str, bool, int, float))
