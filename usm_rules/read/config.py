"""``.usm-rules.yaml``: found by walking up from the checked paths, validated by its schema.

A configuration problem is a :class:`ConfigError` (one line naming the file, the key and
what is allowed); the CLI turns it into exit 2.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model.documents import Document
from ..model.errors import DataFileError
from ..model.limits import LimitError, Limits
from ..model.results import DEFAULT_MAPPING
from .own_files import load_data_file
from .patterns import PatternError, compile_rule
from .patterns import shown as shown_pattern

NAMES = (".usm-rules.yaml", ".usm-rules.yml")


class ConfigError(DataFileError):
    """A configuration that cannot be used."""


@dataclass(frozen=True)
class Waiver:
    """A finding accepted by the configuration, through ``expires``: the last day it suppresses,
    a date in UTC (whatever the machine's time zone)."""

    rule: str
    subject: str
    reason: str
    approver: str
    expires: dt.date
    line: int
    column: int


@dataclass(frozen=True)
class Config:
    """Settings in force; ``path`` is None when no file was found."""

    path: str | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    exclude: tuple[tuple[str, str], ...] = ()  # (this file's folder, pattern)
    include: tuple[tuple[str, str], ...] = ()  # the same; when given, only matching files are read
    rules: tuple[str, ...] = ()  # absolute folders
    fail_on: str | None = None
    min_maturity: int | None = None
    severity: dict[str, str] = field(default_factory=dict)
    ceilings: dict[str, int] = field(default_factory=dict)
    mapping: str = DEFAULT_MAPPING
    waivers: tuple[Waiver, ...] = ()
    language: str = "auto"  # or a BCP 47 tag: the language documents are read in
    roles: tuple[str, ...] = ()  # the organisation's own team and role names
    tools: tuple[str, ...] = ()  # the organisation's own tools, systems and channels
    limits: Limits = field(default_factory=Limits)  # the bounds of what a run reads
    audit: tuple[tuple[str, str], ...] = ()  # the audit report's frame: auditee, scope, objective, auditor
    models: tuple[str, ...] = ()  # absolute paths of model files read with every run (BPMN diagrams' models)
    docs_url: str = ""  # where the rule reference is published (links in SARIF, the terminal, editors)


def find_config(paths: list[str]) -> Path | None:
    """The nearest ``.usm-rules.yaml`` above the first checked path (or the working folder)."""
    start = Path(next((p for p in paths if p != "-"), ".")).absolute()
    folder = start if start.is_dir() else start.parent
    for candidate in (folder, *folder.parents):
        for name in NAMES:
            if (candidate / name).is_file():
                return candidate / name
    return None


def config_for(paths: list[str] | tuple[str, ...], given: str | None = None, ignore: bool = False) -> Config:
    """The configuration in force for a run of ``paths``: the file ``given`` (``--config``), else the
    nearest ``.usm-rules.yaml`` above the first path; none with ``ignore`` (``--no-config``)."""
    if ignore:
        return Config()
    found = given or find_config(list(paths))
    return load_config(Path(found)) if found else Config()


def load_config(path: Path) -> Config:
    document = load_data_file(path, "config.schema.json", ConfigError).document
    if document is None:
        return Config(path=str(path))
    return _build(str(path), path.parent.absolute(), document)


def _build(shown: str, base: Path, document: Document) -> Config:
    data: dict[str, Any] = document.data
    ceilings = data.get("ceilings", {})
    return Config(
        path=shown,
        select=tuple(data.get("select", ())),
        ignore=tuple(data.get("ignore", ())),
        exclude=_patterns(shown, base, data, "exclude"),
        include=_patterns(shown, base, data, "include"),
        rules=tuple(str(base / folder) for folder in data.get("rules", ())),
        fail_on=data.get("fail-on"),
        min_maturity=data.get("min-maturity"),
        severity=dict(data.get("severity", {})),
        ceilings=dict(ceilings.get("overrides", {})),
        mapping=f"{ceilings['mapping']} ({shown})" if ceilings else DEFAULT_MAPPING,
        waivers=tuple(_waiver(shown, document, i, item) for i, item in enumerate(data.get("waivers", ()))),
        language=data.get("language", "auto"),
        roles=tuple(data.get("lexicon", {}).get("roles", ())),
        tools=tuple(data.get("lexicon", {}).get("tools", ())),
        limits=_limits(shown, data.get("limits", {})),
        audit=tuple(sorted(data.get("audit", {}).items())),
        models=tuple(str(base / path) for path in data.get("models", ())),
        docs_url=data.get("docs-url", ""),
    )


def _patterns(shown: str, base: Path, data: dict[str, Any], key: str) -> tuple[tuple[str, str], ...]:
    """The patterns under ``key``, each with this file's folder (they are relative to it); a bad
    one is a :class:`ConfigError` naming it and its key."""
    patterns = tuple(data.get(key, ()))
    for index, pattern in enumerate(patterns):
        try:
            compile_rule(pattern)
        except PatternError as error:
            raise ConfigError(shown, f"{key}[{index}]", f"{shown_pattern(pattern)} is not a pattern: {error}") from None
    return tuple((str(base), pattern) for pattern in patterns)


def _limits(shown: str, values: dict[str, Any]) -> Limits:
    try:
        return Limits().with_values(values, where="limits")
    except LimitError as error:
        raise ConfigError(shown, *str(error).split(": ", 1)) from None


def _waiver(shown: str, document: Document, index: int, item: dict) -> Waiver:
    try:
        expires = dt.date.fromisoformat(item["expires"])
    except ValueError:
        raise ConfigError(shown, f"waivers[{index}].expires",
                          f"'{item['expires']}' is not a date (YYYY-MM-DD)") from None
    line, column = document.positions.value(("waivers", index))
    return Waiver(item["rule"], item["subject"], item["reason"], item["approver"], expires, line, column)
