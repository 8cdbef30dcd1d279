"""Which rules a run applies: ``--select`` and ``--ignore`` by rule id, name or requirement.

The requirement-0 errors (unreadable, invalid input, a crashed rule) always apply: a file
that cannot be checked must fail the run whatever rules were chosen.
"""

from __future__ import annotations

from ..model.findings import Severity
from ..model.rules import Catalog
from ..read.config import Config
from ..read.spelling import suggestion


class SelectionError(ValueError):
    """An entry that names no rule and no requirement."""


class Selection:
    def __init__(self, catalog: Catalog, select: tuple[str, ...], ignore: tuple[str, ...],
                 labels: tuple[str, str] = ("--select", "--ignore")) -> None:
        self._catalog = catalog
        # input that cannot be read must never pass unnoticed: these always run
        self._protected = {r.id for r in catalog if r.requirement == 0 and r.severity is Severity.ERROR}
        self._selected = self._resolve(select, labels[0]) if select else set(catalog.rules)
        self._ignored = self._resolve(ignore, labels[1], refuse_protected=True) - self._protected

    def _resolve(self, entries: tuple[str, ...], option: str, refuse_protected: bool = False) -> set[str]:
        chosen: set[str] = set()
        for entry in (e.strip() for raw in entries for e in raw.split(",") if e.strip()):
            ids = self._catalog.expand(entry)
            if refuse_protected and ids is not None and len(ids) == 1 and ids <= self._protected:
                raise SelectionError(f"{option}: '{entry}' cannot be ignored: a file that cannot be read "
                                     "or understood must never pass unnoticed")
            if ids is not None:
                chosen |= ids
            else:
                near = suggestion(entry, self._catalog.handles())
                raise SelectionError(
                    f"{option}: '{entry}' is neither a rule id or name nor a requirement (R0-R10){near}; "
                    "see `usm-rules rules`"
                )
        return chosen

    def keeps(self, rule_id: str) -> bool:
        if rule_id in self._protected:
            return True
        return rule_id in self._selected and rule_id not in self._ignored



def selection_for(catalog: Catalog, config: Config, select: tuple[str, ...], ignore: tuple[str, ...]) -> Selection:
    """The rules a run applies: ``select`` given replaces the configured one, ``ignore`` adds to it;
    an error names where the wrong entry came from (the option, or the configuration file)."""
    where = config.path or "configuration"
    labels = ("--select" if select else f"{where}: select", "--ignore" if ignore else f"{where}: ignore")
    return Selection(catalog, select or config.select, (*config.ignore, *ignore), labels)
