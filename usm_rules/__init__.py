"""usm-rules: checks service organisations' process definitions against the ten USM requirements.

The names below are imported when first used (PEP 562), so that ``usm-rules --version`` and
``import usm_rules.version`` load nothing of the pipeline.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .version import __version__

if TYPE_CHECKING:
    from .api import Request, check_paths, run
    from .check.catalog import load_catalog
    from .check.selection import SelectionError
    from .model.errors import CatalogError
    from .model.findings import Finding, Severity
    from .model.results import FileOutcome, Maturity, Result

_WHERE = {
    "check_paths": "api", "run": "api", "Request": "api", "load_catalog": "check.catalog",
    "SelectionError": "check.selection", "CatalogError": "model.errors", "Finding": "model.findings",
    "Severity": "model.findings", "FileOutcome": "model.results", "Maturity": "model.results",
    "Result": "model.results",
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
    "Request",
    "Result",
    "SelectionError",
    "Severity",
    "__version__",
    "check_paths",
    "load_catalog",
    "run",
]
