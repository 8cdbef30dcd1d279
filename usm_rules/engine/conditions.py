"""The declarative ``when`` of a rule file, checked and compiled to durable-rules' JSON form.

A condition is a list of patterns. ``{fact: Activity, as: a, where: {...}}`` binds a fact;
``{none: {fact: ModelRef, where: {...}}}`` requires that no such fact exists. A test is a
literal (equality), ``{ref: a.attr}`` (equality with a bound fact: an indexed join), or one
of ``eq ne gt gte lt lte in`` with a literal or a ref. ``pairedWith: a`` binds another fact
of ``a``'s type and matches each unordered pair once. The vocabulary (fact types and their
attributes) is :mod:`usm_rules.engine.vocabulary`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .vocabulary import ENGINE_ATTRIBUTES, FACT_ATTRIBUTES, LANGUAGE_ATTRIBUTES

_OPERATORS = {"ne": "$neq", "gt": "$gt", "gte": "$gte", "lt": "$lt", "lte": "$lte"}
# durable-rules takes a fact's ``id`` (with ``sid``) as its identity, and a second fact with
# the same id is "already observed". Activity ids are not unique in bad input, so the
# engine sees the attribute ``id`` as ``id_`` and every fact's identity is its fid.
RESERVED = {"id": "id_", "sid": "sid_"}
# durable-rules segfaults when a comparison with another fact (gt, ne, ... with a ref) is not
# followed by an equality join in the same pattern (jruizgit/rules#381). The compiler puts
# equality joins last and, where a pattern has none, adds one on this constant attribute,
# which every fact carries with the value 1.
JOIN_KEY = "j_"


def engine_name(attribute: str) -> str:
    return RESERVED.get(attribute, attribute)


class ConditionError(ValueError):
    """A condition that cannot be compiled; ``key`` names where in the rule file."""

    def __init__(self, key: str, problem: str) -> None:
        super().__init__(f"{key}: {problem}")
        self.key = key
        self.problem = problem


@dataclass(frozen=True)
class Pattern:
    """One pattern as :mod:`usm_rules.engine.partition` reads it to decide which facts can take part.

    ``literals`` are (attribute, operator, value) tests on the fact alone (operator one of
    ``eq ne gt gte lt lte in``); ``joins`` are equality tests with a bound fact, (attribute,
    alias, its attribute); ``compares`` says whether any other test compares with a bound fact.
    """

    fact: str
    alias: str | None  # None under ``none``
    literals: tuple[tuple[str, str, Any], ...]
    joins: tuple[tuple[str, str, str], ...]
    compares: bool
    paired: str | None = None  # ``pairedWith``: binds a fact read after the partner's


@dataclass(frozen=True)
class Compiled:
    """A condition ready for the engine: clauses, the bound aliases, the fact types used, and
    each pattern's tests as :class:`Pattern` (from which the facts that can match are derived)."""

    clauses: tuple[dict, ...]
    aliases: tuple[tuple[str, str], ...]  # (alias, fact type) of the positive patterns
    positive_types: frozenset[str]
    negated_types: frozenset[str]
    patterns: tuple[Pattern, ...] = ()


def compile_condition(when: list[dict]) -> Compiled:
    bound: dict[str, str] = {}
    clauses: list[dict] = []
    negated: set[str] = set()
    plans: list[Pattern] = []
    for index, pattern in enumerate(when):
        key = f"when[{index}]"
        if "none" in pattern:
            body = pattern["none"]
            negated.add(body["fact"])
            clauses.append({f"n{index}$not": _match(body["fact"], body.get("where", {}), bound, f"{key}.none")})
            plans.append(_plan(body["fact"], None, body.get("where", {})))
        else:
            alias = pattern["as"]
            if alias in bound:
                raise ConditionError(f"{key}.as", f"alias '{alias}' is bound twice")
            where = _paired(pattern, bound, key)
            clauses.append({alias: _match(pattern["fact"], where, bound, key)})
            plans.append(_plan(pattern["fact"], alias, where, pattern.get("pairedWith")))
            bound[alias] = pattern["fact"]
    if not bound:
        raise ConditionError("when", "needs at least one pattern that binds a fact with 'as'")
    both = negated & set(bound.values())
    if both:
        raise ConditionError("when", f"fact type {sorted(both)[0]} is used both bound and under 'none'")
    return Compiled(tuple(clauses), tuple(bound.items()), frozenset(bound.values()), frozenset(negated),
                    tuple(plans))


def _plan(fact: str, alias: str | None, where: dict, paired: str | None = None) -> Pattern:
    """A checked pattern's tests, sorted into literal tests, equality joins and comparisons."""
    literals: list[tuple[str, str, Any]] = []
    joins: list[tuple[str, str, str]] = []
    compares = False
    for attribute, test in where.items():
        for operator, operand in (test.items() if isinstance(test, dict) else [("eq", test)]):
            ref: str | None = operand if operator == "ref" else (
                operand["ref"] if operator != "in" and isinstance(operand, dict) else None)
            if ref is not None and operator in ("ref", "eq"):
                partner, _, other = ref.partition(".")
                joins.append((attribute, partner, other))
            elif ref:
                compares = True
            else:
                literals.append((attribute, operator, operand))
    if set(where) & LANGUAGE_ATTRIBUTES[fact]:
        literals.append(("language", "ne", ""))
    return Pattern(fact, alias, tuple(literals), tuple(joins), compares, paired)


def _paired(pattern: dict, bound: dict[str, str], key: str) -> dict:
    """The pattern's tests, with ``pairedWith`` as the engine's "fid above the partner's fid"."""
    where = dict(pattern.get("where", {}))
    for attribute in ENGINE_ATTRIBUTES:
        if attribute in where:
            raise ConditionError(f"{key}.where.{attribute}", f"'{attribute}' is the engine's own; to match "
                                 "each unordered pair of facts once, write 'pairedWith: ALIAS' on the pattern")
    partner = pattern.get("pairedWith")
    if partner is None:
        return where
    if partner not in bound:
        raise ConditionError(f"{key}.pairedWith", f"'{partner}' is not bound by an earlier pattern")
    if bound[partner] != pattern["fact"]:
        raise ConditionError(f"{key}.pairedWith", f"'{partner}' binds {bound[partner]} facts, not "
                             f"{pattern['fact']}: a pair is two facts of one type")
    # facts are numbered in reading order, so "after the partner" takes each pair once
    return {"fid": {"gt": {"ref": f"{partner}.fid"}}, **where}


def _match(fact: str, where: dict, bound: dict[str, str], key: str) -> dict:
    tests: list[dict] = [{"type": fact}]
    for attribute, test in where.items():
        if attribute not in FACT_ATTRIBUTES[fact]:
            known = ", ".join(sorted(FACT_ATTRIBUTES[fact] - set(ENGINE_ATTRIBUTES)))
            raise ConditionError(f"{key}.where.{attribute}", f"{fact} has no attribute '{attribute}' (known: {known})")
        tests.extend(_tests(attribute, test, bound, f"{key}.where.{attribute}"))
    if set(where) & LANGUAGE_ATTRIBUTES[fact]:  # never judge a text in a language that is not read
        tests.append({"$neq": {"language": ""}})
    tests = _joins_last(tests)
    return tests[0] if len(tests) == 1 else {"$and": tests}


def _joins_last(tests: list[dict]) -> list[dict]:
    """Literal tests, then comparisons with other facts, then equality joins (see JOIN_KEY), then
    the alternatives of ``in``: durable-rules drops a join that follows an ``$or`` in the same
    pattern (it then matches facts whose keys differ), and keeps it when the ``$or`` comes last."""
    comparisons = [t for t in tests if _operator(t) in _OPERATORS.values() and _joined(t)]
    equalities = [t for t in tests if not _operator(t).startswith("$") and _joined(t)]
    alternatives = [t for t in tests if _operator(t) == "$or"]
    literals = [t for t in tests if t not in comparisons and t not in equalities and t not in alternatives]
    if comparisons and not equalities:
        alias = next(iter(next(iter(comparisons[0].values())).values()))
        equalities = [{JOIN_KEY: {next(iter(alias)): JOIN_KEY}}]
    return literals + comparisons + equalities + alternatives


def _operator(test: dict) -> str:
    return next(iter(test))


def _joined(test: dict) -> bool:
    """Whether a compiled test compares with another bound fact (``{alias: attribute}``)."""
    value = next(iter(test.values()))
    if _operator(test).startswith("$"):
        value = next(iter(value.values())) if isinstance(value, dict) else None
    return isinstance(value, dict)


def _tests(attribute: str, test: Any, bound: dict[str, str], key: str) -> list[dict]:
    attribute = engine_name(attribute)
    if not isinstance(test, dict):
        return [{attribute: test}]
    compiled: list[dict[str, Any]] = []
    for operator, operand in test.items():
        if operator == "ref":
            compiled.append({attribute: _reference(operand, bound, key)})
        elif operator == "eq":
            compiled.append({attribute: _value(operand, bound, key)})
        elif operator == "in":
            compiled.append({"$or": [{attribute: item} for item in operand]})
        else:
            compiled.append({_OPERATORS[operator]: {attribute: _value(operand, bound, key)}})
    return compiled


def _value(operand: Any, bound: dict[str, str], key: str) -> Any:
    return _reference(operand["ref"], bound, key) if isinstance(operand, dict) else operand


def _reference(ref: str, bound: dict[str, str], key: str) -> dict:
    alias, attribute = ref.split(".", 1)
    if alias not in bound:
        raise ConditionError(key, f"'{ref}' refers to '{alias}', which no earlier pattern binds")
    if attribute not in FACT_ATTRIBUTES[bound[alias]]:
        raise ConditionError(key, f"'{ref}': {bound[alias]} has no attribute '{attribute}'")
    return {alias: engine_name(attribute)}
