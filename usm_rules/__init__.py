"""usm-rules: checks service organisations' process definitions against the ten USM requirements.

The names below are imported when first used (PEP 562), so that ``usm-rules --version`` and
``import usm_rules.version`` load nothing of the pipeline.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .version import __version__

if TYPE_CHECKING:
    from .api import check_paths
    from .check.catalog import load_catalog
    from .check.selection import SelectionError
    from .model.errors import CatalogError
    from .model.findings import Finding, Severity
    from .model.results import FileOutcome, Maturity, Result

_WHERE = {
    "check_paths": "api", "CatalogError": "model.errors", "load_catalog": "check.catalog", "FileOutcome": "model.results",
    "Finding": "model.findings", "Maturity": "model.results", "Result": "model.results", "Severity": "model.findings",
    "SelectionError": "check.selection",
}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'usm_rules' has no attribute '{name}'")
    value = getattr(import_module(f".{_WHERE[name]}", __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "CatalogError",
    "FileOutcome",
    "Finding",
    "Maturity",
    "Result",
    "SelectionError",
    "Severity",
    "__version__",
    "check_paths",
    "load_catalog",
]
