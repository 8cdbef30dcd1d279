"""The output formats of ``check --format``: each one module, holding one
:class:`~usm_rules.output.formats.base.Reporter` subclass as ``REPORTER``, and one line in
:data:`FORMATS`. A module is imported only when its format is asked for, so the command line
takes its choices from here without loading any of them.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .base import Reporter

FORMATS = {  # --format name -> its module in this package
    "csv": "csv_report",
    "github": "github",
    "gitlab": "gitlab",
    "html": "html",
    "json": "json_report",
    "junit": "junit",
    "markdown": "markdown",
    "sarif": "sarif",
    "text": "text",
}


def reporter(name: str) -> type[Reporter]:
    """The reporter class of a format (KeyError for a name not in :data:`FORMATS`)."""
    found: type[Reporter] = import_module(f".{FORMATS[name]}", __name__).REPORTER
    return found
