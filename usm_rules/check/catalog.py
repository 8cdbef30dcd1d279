"""The rule catalogue: rule files read, validated against their schema, compiled, looked up.

A broken rule file is a :class:`CatalogError` naming the file, the key and the problem; the
CLI turns it into one line and exit 2.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..engine.conditions import Compiled, ConditionError, compile_condition
from ..engine.vocabulary import FACT_ATTRIBUTES, FACT_POSITIONS
from ..model.errors import CatalogError
from ..model.findings import Severity
from ..model.problems import BUILTIN
from ..model.rules import Catalog, Rule
from ..model.shipped import shipped
from ..read.config import Config, ConfigError
from ..read.own_files import load_data_file
from .cache import FileCache
from .messages import GROUPED, PLACEHOLDER


@dataclass(frozen=True, kw_only=True)
class EngineRule(Rule):
    """A rule whose condition the engine evaluates, and the fact its findings are about."""

    when: list[Any] = field(compare=False, hash=False)
    compiled: Compiled
    report_fact: str
    report_at: str = ""
    report_per: str = ""  # "file": one finding per file for all the matches in it

    @property
    def builtin(self) -> bool:
        return False


def engine_rules(catalog: Catalog) -> list[EngineRule]:
    """The rules of a catalogue that the engine evaluates (the others are built in)."""
    return [rule for rule in catalog if isinstance(rule, EngineRule)]


def load_catalog(extra_dirs: Iterable[str | Path] = ()) -> Catalog:
    """The shipped rule pack plus any ``--rules`` folders."""
    return Catalog([load_rule(path, builtin_allowed) for path, builtin_allowed in rule_files(extra_dirs)])


def rule_files(extra_dirs: Iterable[str | Path] = ()) -> list[tuple[Path, bool]]:
    """Every rule file of the catalogue, in order, and whether it may be a built-in rule."""
    return [(path, True) for path in pack_files(shipped("rules"))] + [
        (path, False) for folder in extra_dirs for path in pack_files(Path(folder))]


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
        raise CatalogError(source, "id", f"'{data['id']}' is no built-in rule (usm_rules/model/problems.py names them)")
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
    _check_message(source, data["message"], compiled, grouped=report.get("per") == "file")
    return EngineRule(**metadata, when=when, compiled=compiled,
                      report_fact=report.get("fact", compiled.aliases[0][0]), report_at=report.get("at", ""),
                      report_per=report.get("per", ""))


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


def _check_message(source: str, message: str, compiled: Compiled, grouped: bool = False) -> None:
    aliases = dict(compiled.aliases)
    several = GROUPED.search(message)
    if several is not None and not grouped:
        raise CatalogError(source, "message", f"'{several.group(0)}' speaks of several matches: only a rule "
                           "reported once per file (report: {per: file}) may use it")
    named = PLACEHOLDER.findall(message) + [(m.group(3), m.group(4)) for m in GROUPED.finditer(message) if m.group(3)]
    for alias, attribute in named:
        if alias not in aliases:
            raise CatalogError(source, "message", f"'{{{alias}.{attribute}}}': '{alias}' is not bound")
        if attribute not in FACT_ATTRIBUTES[aliases[alias]]:
            raise CatalogError(source, "message", f"'{{{alias}.{attribute}}}': {aliases[alias]} has no such attribute")


def prepare_catalog(config: Config, rules: Iterable[str | Path] = (), cache: Path | None = None) -> Catalog:
    """The shipped rules plus packs, with the configuration's severities and ceilings; kept in
    the ``cache`` folder (when given), keyed by the rule files' paths and bytes."""
    catalog = _load_cached([*config.rules, *rules], cache)
    try:
        return catalog.overridden(config.severity, config.ceilings)
    except KeyError as error:
        raise ConfigError(config.path or "configuration", error.args[0], "names no rule, rule name or requirement "
                          "(R0-R10); see `usm-rules rules`") from None


def _load_cached(folders: list[str | Path], cache: Path | None) -> Catalog:
    if cache is None:
        return load_catalog(folders)
    files = rule_files(folders)
    memo = FileCache(cache, "catalog", kind="catalogs")
    raws = [path.read_bytes() for path, _ in files]
    key = memo.key("\0".join(f"{path}|{builtin}|{len(raw)}" for (path, builtin), raw in zip(files, raws, strict=True)),
                   b"".join(raws))
    found = memo.get(key)
    if isinstance(found, Catalog):
        return found
    catalog = load_catalog(folders)  # a broken rule file raises here, before anything is kept
    memo.put(key, catalog)
    return catalog
