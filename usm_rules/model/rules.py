"""The rules in force: each rule's metadata, and the catalogue that finds rules by id, name or requirement."""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .errors import CatalogError
from .findings import Severity

_REQUIREMENT = re.compile(r"^(?:R|REQ)?(\d{1,2})$", re.IGNORECASE)


@dataclass(frozen=True, kw_only=True)
class Rule:
    """A rule's metadata. A built-in rule is this alone: Python makes its findings
    (:mod:`usm_rules.check.findings`); an engine rule is an :class:`~usm_rules.check.catalog.EngineRule`."""

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

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules.values())

    def __getitem__(self, rule_id: str) -> Rule:
        return self.rules[rule_id]


def rule_hash(catalog: Catalog) -> str:
    """SHA-256 over every rule's id and the bytes of its file, in id order."""
    digest = hashlib.sha256()
    for rule in sorted(catalog, key=lambda r: r.id):
        content = rule.raw
        digest.update(f"{rule.id}\0{len(content)}\0".encode())
        digest.update(content)
    return digest.hexdigest()
