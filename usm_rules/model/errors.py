"""Errors about our own data files (rule packs, the configuration, lexicons): one line each, exit 2."""

from __future__ import annotations


class DataFileError(ValueError):
    """A data file that cannot be used: ``file: key: problem``."""

    def __init__(self, file: str, key: str, problem: str) -> None:
        super().__init__(f"{file}: {key}: {problem}")


class CatalogError(DataFileError):
    """A rule pack that cannot be used."""
