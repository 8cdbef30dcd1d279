"""Which rules a run applies: ``--select`` and ``--ignore`` by rule id, name or requirement."""

from __future__ import annotations

from .catalog import Catalog


class SelectionError(ValueError):
    """An entry that names no rule and no requirement."""


class Selection:
    def __init__(self, catalog: Catalog, select: tuple[str, ...], ignore: tuple[str, ...],
                 labels: tuple[str, str] = ("--select", "--ignore")) -> None:
        self._catalog = catalog
        self._selected = self._resolve(select, labels[0]) if select else set(catalog.rules)
        self._ignored = self._resolve(ignore, labels[1])

    def _resolve(self, entries: tuple[str, ...], option: str) -> set[str]:
        chosen: set[str] = set()
        for entry in (e.strip() for raw in entries for e in raw.split(",") if e.strip()):
            ids = self._catalog.expand(entry)
            if ids is not None:
                chosen |= ids
            else:
                raise SelectionError(
                    f"{option}: '{entry}' is neither a rule id or name nor a requirement (R0-R10); "
                    "see `usm-rules rules`"
                )
        return chosen

    def keeps(self, rule_id: str) -> bool:
        return rule_id in self._selected and rule_id not in self._ignored

    def engine_rules(self) -> list[str]:
        return [rule.id for rule in self._catalog if not rule.builtin and self.keeps(rule.id)]
