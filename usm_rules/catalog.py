"""The rule catalogue: rule files read, validated against their schema, compiled, looked up.

A broken rule file is a :class:`CatalogError` naming the file, the key and the problem; the
CLI turns it into one line and exit 2.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .conditions import Compiled, ConditionError, compile_condition
from .datafile import DataFileError, load_data_file
from .findings import BUILTIN, PLACEHOLDER
from .model import Severity
from .resources import shipped
from .vocabulary import FACT_ATTRIBUTES, FACT_POSITIONS

_REQUIREMENT = re.compile(r"^(?:R|REQ)?(\d{1,2})$", re.IGNORECASE)


class CatalogError(DataFileError):
    """A rule pack that cannot be used."""


@dataclass(frozen=True, kw_only=True)
class Rule:
    """A rule's metadata. A built-in rule is this alone: Python makes its findings
    (:mod:`usm_rules.findings`); an engine rule is an :class:`EngineRule`."""

    id: str
    name: str
    requirement: int
    severity: Severity
    confidence: str
    ceiling: int | None
    summary: str
    message: str
    rationale: str
    remediation: str
    reference: str
    source: str
    raw: bytes = field(default=b"", repr=False, compare=False)  # the rule file as read (the rule-pack hash)
    incomplete: bool = False  # a finding means an input was not understood: the result is incomplete
    aliases: tuple[str, ...] = ()
    examples: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def builtin(self) -> bool:
        return True


@dataclass(frozen=True, kw_only=True)
class EngineRule(Rule):
    """A rule whose condition the engine evaluates, and the fact its findings are about."""

    when: list[Any] = field(compare=False, hash=False)
    compiled: Compiled
    report_fact: str
    report_at: str = ""

    @property
    def builtin(self) -> bool:
        return False


class Catalog:
    """All rules of a run, by id; names and aliases find them too."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        self.rules: dict[str, Rule] = {}
        self._names: dict[str, str] = {}
        for rule in sorted(rules, key=lambda r: r.id):
            for handle in (rule.id, rule.name, *rule.aliases):
                if handle in self._names:
                    other = self.rules[self._names[handle]]
                    raise CatalogError(rule.source, "id", f"'{handle}' is already used by {other.source}")
                self._names[handle] = rule.id
            self.rules[rule.id] = rule

    def find(self, handle: str) -> Rule | None:
        rule_id = self._names.get(handle) or self._names.get(handle.upper())
        return self.rules.get(rule_id) if rule_id else None

    def expand(self, handle: str) -> set[str] | None:
        """The rule ids a handle names: an id, a name, an alias or a requirement (R0-R10)."""
        rule = self.find(handle.strip())
        if rule is not None:
            return {rule.id}
        number = _REQUIREMENT.match(handle.strip())
        if number and 0 <= int(number.group(1)) <= 10:
            return {r.id for r in self if r.requirement == int(number.group(1))}
        return None

    def handles(self) -> list[str]:
        """Every id, name and alias that selects a rule."""
        return list(self._names)

    def is_requirement(self, handle: str) -> bool:
        """Whether a handle names a whole requirement (R1), not a rule."""
        return self.find(handle.strip()) is None and _REQUIREMENT.match(handle.strip()) is not None

    def overridden(self, severity: dict[str, str], ceilings: dict[str, int]) -> Catalog:
        """The catalogue with severities and ceilings replaced; raises KeyError on unknown handles."""
        rules = dict(self.rules)
        for handle, level in severity.items():
            for rule_id in self._expand_or_raise(handle, "severity"):
                rules[rule_id] = dataclasses.replace(rules[rule_id], severity=Severity(level))
        for handle, ceiling in ceilings.items():
            for rule_id in self._expand_or_raise(handle, "ceiling"):
                rules[rule_id] = dataclasses.replace(rules[rule_id], ceiling=ceiling)
        return Catalog(rules.values())

    def _expand_or_raise(self, handle: str, field_name: str) -> set[str]:
        ids = self.expand(handle)
        if ids is None:
            raise KeyError(f"{field_name}.{handle}")
        return ids

    def engine_rules(self) -> list[EngineRule]:
        return [rule for rule in self if isinstance(rule, EngineRule)]

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules.values())

    def __getitem__(self, rule_id: str) -> Rule:
        return self.rules[rule_id]


def load_catalog(extra_dirs: Iterable[str | Path] = ()) -> Catalog:
    """The shipped rule pack plus any ``--rules`` folders."""
    return Catalog([load_rule(path, builtin_allowed) for path, builtin_allowed in rule_files(extra_dirs)])


def rule_files(extra_dirs: Iterable[str | Path] = ()) -> list[tuple[Path, bool]]:
    """Every rule file of the catalogue, in order, and whether it may be a built-in rule."""
    return [(path, True) for path in pack_files(shipped("rules"))] + [
        (path, False) for folder in extra_dirs for path in pack_files(Path(folder))]


def load_pack(folder: Path, builtin_allowed: bool) -> list[Rule]:
    return [load_rule(path, builtin_allowed) for path in pack_files(folder)]


def pack_files(folder: Path) -> list[Path]:
    """A rule pack's files (CatalogError when the folder is missing or holds none)."""
    if not folder.is_dir():
        raise CatalogError(str(folder), "--rules", "is not a folder")
    files = sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))
    if not files:
        raise CatalogError(str(folder), "--rules", "holds no rule file (*.yaml)")
    return files


def load_rule(path: Path, builtin_allowed: bool = False) -> Rule:
    source = str(path)
    loaded = load_data_file(path, "rule.schema.json", CatalogError)
    document = loaded.document
    if document is None:
        raise CatalogError(source, "file", "is empty: a rule file holds one rule")
    data = document.data
    when = data["when"]
    if when == "builtin" and not builtin_allowed:
        raise CatalogError(source, "when", "'builtin' is reserved for the shipped requirement-0 rules")
    if when == "builtin" and data["id"] not in BUILTIN:
        raise CatalogError(source, "id", f"'{data['id']}' is no built-in rule (usm_rules/findings.py names them)")
    if data["requirement"] > 0 and data.get("ceiling") is None:
        raise CatalogError(source, "ceiling", "a rule for requirements 1-10 needs a ceiling (1-5)")
    if data["confidence"] == "heuristic" and data["severity"] == "error":
        raise CatalogError(source, "severity", "a heuristic rule is a warning or an info: its evidence only suggests; "
                           "use confidence strong or exact for evidence that proves")
    if data.get("incomplete") and when != "builtin":
        raise CatalogError(source, "incomplete", "only built-in requirement-0 rules can make a result incomplete")
    metadata: dict[str, Any] = {
        "id": data["id"], "name": data["name"], "requirement": data["requirement"],
        "severity": Severity(data["severity"]), "confidence": data["confidence"], "ceiling": data.get("ceiling"),
        "summary": data["summary"], "message": data["message"], "rationale": data["rationale"].strip(),
        "remediation": data["remediation"].strip(), "reference": data["reference"], "source": source,
        "raw": loaded.raw, "incomplete": bool(data.get("incomplete", False)),
        "aliases": tuple(data.get("aliases", ())), "examples": data.get("examples", {}),
    }
    if when == "builtin":
        return Rule(**metadata)
    compiled = _compile(source, when)
    report = data.get("report", {})
    _check_report(source, report, compiled)
    _check_message(source, data["message"], compiled)
    return EngineRule(**metadata, when=when, compiled=compiled,
                      report_fact=report.get("fact", compiled.aliases[0][0]), report_at=report.get("at", ""))


def _compile(source: str, when: list) -> Compiled:
    try:
        return compile_condition(when)
    except ConditionError as error:
        raise CatalogError(source, error.key, error.problem) from None


def _check_report(source: str, report: dict, compiled: Compiled) -> None:
    aliases = dict(compiled.aliases)
    fact = report.get("fact", compiled.aliases[0][0])
    if fact not in aliases:
        raise CatalogError(source, "report.fact", f"'{fact}' is not bound (bound: {', '.join(aliases)})")
    places = FACT_POSITIONS[aliases[fact]]
    if report.get("at", "at") not in places:
        raise CatalogError(source, "report.at", f"{aliases[fact]} facts have no position '{report['at']}' "
                                                f"(known: {', '.join(sorted(places))})")


def _check_message(source: str, message: str, compiled: Compiled) -> None:
    aliases = dict(compiled.aliases)
    for alias, attribute in PLACEHOLDER.findall(message):
        if alias not in aliases:
            raise CatalogError(source, "message", f"'{{{alias}.{attribute}}}': '{alias}' is not bound")
        if attribute not in FACT_ATTRIBUTES[aliases[alias]]:
            raise CatalogError(source, "message", f"'{{{alias}.{attribute}}}': {aliases[alias]} has no such attribute")
