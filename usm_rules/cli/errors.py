"""What every command shares: the tool's name, the exit codes, one-line usage errors, and writing
an output whole or not at all (never over a checked file, never over a file not the tool's own
unless --force, never through a link; standard output included: a write that fails is one line
and exit 2).

Exit codes (README.md#exit-codes): 0 gates pass, 1 gates fail, 2 usage/configuration/rule-pack
error (one line, no traceback), 3 internal error (one line; the traceback with --debug).
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING, Any, TextIO

import click

if TYPE_CHECKING:
    from ..api import Request
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
    from ..output.writes import OutputError
    from ..read.config import ConfigError
    from ..verdict.baseline import BaselineError

    return (CatalogError, SelectionError, ConfigError, BaselineError, ReportError, LimitError, HistoryError,
            OutputError)


@contextmanager
def open_output(path: str | None, request: Request, result: Result, force: bool = False) -> Iterator[TextIO]:
    """A stream for the whole output, written once it is complete: to ``path`` (see
    :func:`write_output`), or to standard output. Nothing is written if the output is not finished."""
    checked = [item.path for item in result.inputs]
    settings = [p for p in (request.config.path, request.baseline.path if request.baseline else None) if p]
    if path is not None:
        refuse_checked(path, checked, settings)  # before the output is made
    buffer = io.StringIO(newline="\n")
    yield buffer
    if path is None:
        to_stdout(buffer.getvalue())
    else:
        write_output(path, buffer.getvalue(), force=force, checked=checked, settings=settings)


def write_output(path: str, text: str, *, force: bool, checked: Iterable[str], settings: Iterable[str] = ()) -> None:
    """An ``-o`` file, whole: never one of the ``checked`` files or the run's ``settings`` (its
    configuration, its baseline), never through a link, never over a file that is not one of the
    tool's reports unless ``force``."""
    from ..output.ownership import foreign_report
    from ..output.writes import OutputError, write_text

    refuse_checked(path, checked, settings)
    try:
        write_text(path, text, foreign=foreign_report, force=force)
    except OutputError as error:
        raise UsageProblem(str(error)) from None


def refuse_checked(path: str, checked: Iterable[str], settings: Iterable[str] = ()) -> None:
    """``-o`` naming one of the files a run reads: exit 2, whatever --force says."""
    from ..output.writes import is_one_of

    if is_one_of(path, checked):
        raise UsageProblem(f"-o {path} is one of the checked files; refusing to overwrite it")
    if is_one_of(path, settings):
        raise UsageProblem(f"-o {path} is read by this run (its configuration or baseline); refusing to overwrite it")


def to_stdout(text: str) -> None:
    """``text`` on standard output, now: a full disk or a closed terminal is one line and exit 2."""
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
