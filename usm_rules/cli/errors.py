"""What every command shares: the tool's name, the exit codes, one-line usage errors, and writing
an output whole or not at all.

Exit codes (README.md#exit-codes): 0 gates pass, 1 gates fail, 2 usage/configuration/rule-pack
error (one line, no traceback), 3 internal error (one line; the traceback with --debug).
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING, Any, TextIO

import click

if TYPE_CHECKING:
    from ..model.results import Result

TOOL = "usm-rules"
EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


class UsageProblem(click.ClickException):
    """A one-line error with exit code 2."""

    exit_code = EXIT_USAGE

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"{TOOL}: error: {self.format_message()}", err=True)


@contextmanager
def usage_errors() -> Iterator[None]:
    """A broken rule pack, configuration, selection, baseline or report: one line, exit 2."""
    try:
        yield
    except Exception as error:
        if isinstance(error, usage_error_types()):
            raise UsageProblem(str(error)) from None
        raise


def usage_error_types() -> tuple[type[Exception], ...]:
    """Imported when an error occurs, not for every command."""
    from ..check.selection import SelectionError
    from ..history.trend import HistoryError
    from ..model.errors import CatalogError
    from ..model.limits import LimitError
    from ..output.audit.provenance import ReportError
    from ..read.config import ConfigError
    from ..verdict.baseline import BaselineError

    return CatalogError, SelectionError, ConfigError, BaselineError, ReportError, LimitError, HistoryError


@contextmanager
def open_output(path: str | None, result: Result) -> Iterator[TextIO]:
    """A stream for the whole output, written once it is complete: to ``path`` through a
    temporary file renamed into place (never over one of the checked files), or to standard
    output. Nothing is written if the output is not finished."""
    from ..output.writes import OutputError, is_one_of, write_text

    if path is not None and is_one_of(path, (item.path for item in result.inputs)):
        raise UsageProblem(f"-o {path} is one of the checked files; refusing to overwrite it")
    buffer = io.StringIO(newline="\n")
    yield buffer
    if path is None:
        to_stdout(buffer.getvalue())
        return
    try:
        write_text(path, buffer.getvalue())
    except OutputError as error:
        raise UsageProblem(str(error)) from None


def to_stdout(text: str) -> None:
    try:
        sys.stdout.flush()
        if hasattr(sys.stdout, "buffer"):
            sys.stdout.buffer.write(text.encode("utf-8"))
            sys.stdout.buffer.flush()
        else:  # pragma: no cover - a text-only stream put in place by a host
            sys.stdout.write(text)
            sys.stdout.flush()
    except BrokenPipeError:
        raise  # the reader is gone (`| head`): see main
    except OSError as error:
        raise UsageProblem(f"cannot write standard output: {error.strerror or error}") from None

