"""The command line: a thin click layer over the library. Only the cli package imports click.

The group, each command added from its module, and how the process ends: an internal error as
one line and exit 3, SIGINT and SIGTERM with every child stopped (130, 143), a closed pipe as if
SIGPIPE had ended it, a standard output that cannot be written as one line and exit 2.
"""

from __future__ import annotations

import os
import signal
import sys
import traceback

import click

from ..version import __version__
from . import audit, check, convert, reference, serve
from .errors import EXIT_INTERNAL, EXIT_USAGE, TOOL


class _Guarded(click.Group):
    """A group that turns any unexpected exception into one line and exit 3."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort, BrokenPipeError):
            raise
        except Exception as error:  # noqa: BLE001 - a bug: never let it pass for "violations found"
            if ctx.params.get("debug"):
                traceback.print_exc()
            click.echo(f"{TOOL}: internal error: {type(error).__name__}: {error}; please report this "
                       "with the input that triggers it (rerun with --debug for the traceback)", err=True)
            ctx.exit(EXIT_INTERNAL)


@click.group(cls=_Guarded, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name=TOOL)
@click.option("--debug", is_flag=True, help="Show the traceback of an internal error.")
def cli(debug: bool) -> None:
    """Check process definitions against the ten USM requirements."""



for command in (check.check, check.baseline, reference.schema, convert.convert, audit.history_command, serve.lsp,
                reference.list_rules, reference.explain, reference.docs, audit.audit_report):
    cli.add_command(command)


def _on_signal(signum: int, frame: object) -> None:
    """SIGINT or SIGTERM: stop here and now (never by raising: an exception raised while the
    process forks is swallowed by the fork's handlers, and the run would go on)."""
    _stop(signum)


def _stop(signum: int) -> None:
    """Stop every child, leave no half-written output, one line, exit 128 + the signal (130, 143)."""
    for name in ("SIGINT", "SIGTERM"):
        signal.signal(getattr(signal, name), signal.SIG_IGN)  # a second Ctrl-C cannot cut the clean-up short
    from ..engine.workers import stop_children
    from ..output.writes import abandon

    stop_children()
    abandon()
    os.write(2, f"{TOOL}: stopped by {signal.Signals(signum).name}; no output written\n".encode())
    os._exit(128 + signum)


def main() -> None:
    """The console script. A closed pipe (``usm-rules check | head``) ends it quietly, as
    SIGPIPE ends other tools; SIGINT and SIGTERM stop it with its children (exit 130 and 143)."""
    signal.signal(signal.SIGINT, _on_signal)
    signal.signal(signal.SIGTERM, _on_signal)
    try:
        try:
            cli(prog_name=TOOL)
        finally:
            sys.stdout.flush()  # what click printed and still holds (--help, --version)
    except BrokenPipeError:
        _closed_pipe()
    except OSError as error:  # the same, too long to be held (commands write theirs through errors.to_stdout)
        _unwritable(error)


def _unwritable(error: OSError) -> None:
    """Standard output that cannot take what click prints for itself (``--help > /dev/full``): one
    line and exit 2, as for every command's output; nothing left to be flushed again on the way out."""
    os.write(2, f"{TOOL}: error: cannot write standard output: {error.strerror or error}\n".encode())
    os._exit(EXIT_USAGE)


def _closed_pipe() -> None:
    """Standard output or error closed by its reader: end as if SIGPIPE had (only then: the
    pipes to the children must raise, not kill, when a child is gone)."""
    from ..engine.workers import stop_children

    stop_children()
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGPIPE)
    os._exit(1)  # pragma: no cover - no SIGPIPE (Windows)
