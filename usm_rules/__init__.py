"""usm-rules: checks service organisations' process definitions against the ten USM requirements."""

from .api import check_paths
from .catalog import CatalogError, load_catalog
from .model import FileOutcome, Finding, Maturity, Result, Severity
from .selection import SelectionError
from .version import __version__

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
