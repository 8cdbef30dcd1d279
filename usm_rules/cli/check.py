"""``usm-rules check`` and ``usm-rules baseline create``: a run's verdict, or today's findings accepted."""

from __future__ import annotations

import json
import os
import sys
from typing import TYPE_CHECKING

import click

from ..model.findings import FAIL_ON
from ..output.formats import FORMATS
from ..version import __version__
from .errors import EXIT_FAIL, EXIT_OK, TOOL, open_output, usage_errors
from .options import force_option, run_options, something_to_check

if TYPE_CHECKING:
    from ..api import Request


@click.command()
@run_options(baseline_help="Only findings not in this baseline count (see `usm-rules baseline create`).")
@click.option("-f", "--format", "format_", type=click.Choice(sorted(FORMATS)), default="text",
              show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report here.")
@force_option("the -o file")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default=None,
              help="Lowest severity that fails the run [default: error, or the configuration's].")
@click.option("--min-maturity", type=click.IntRange(1, 5), default=None,
              help="Fail when the maturity ceiling is below this level [default: 1, or the configuration's].")
@click.option("--color", "color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="Colour, source lines and rule links in the text format: auto means on a terminal, unless "
                   "NO_COLOR is set (or FORCE_COLOR).")
@click.option("-q", "--quiet", is_flag=True, help="Print the findings only: no summary, no reasons for failing.")
@click.option("--statistics", is_flag=True, help="Text format: a count per rule instead of each finding.")
def check(request: Request, format_: str, output: str | None, force: bool, fail_on: str | None,
          min_maturity: int | None, color: str, quiet: bool, statistics: bool) -> None:
    """Check PATHS (files, folders, or - for stdin; default: the current folder)."""
    from ..api import run
    from ..output.formats import reporter
    from ..output.formats.base import Context, report
    from ..verdict.gate import failing

    with usage_errors():
        result = run(request)
    something_to_check(result, request.paths)
    config = request.config
    fail_on, min_maturity = fail_on or config.fail_on or "error", min_maturity or config.min_maturity or 1
    context = Context(TOOL, __version__, fail_on, min_maturity, color=colour(color, output),
                      quiet=quiet, statistics=statistics, docs_url=config.docs_url)
    with open_output(output, request, result, force) as stream, usage_errors():
        report(reporter(format_)(stream, context, result))
    reasons = failing(result, fail_on, min_maturity)
    for reason in reasons if not quiet else ():
        click.echo(f"{TOOL}: fail: {reason}", err=True)
    sys.exit(EXIT_FAIL if reasons else EXIT_OK)


def colour(choice: str, output: str | None) -> bool:
    """``--color``, then NO_COLOR (https://no-color.org), then FORCE_COLOR, then whether standard
    output is a terminal. An ``-o`` file is coloured only by ``--color always``: FORCE_COLOR is
    for logs that a CI runner shows as a terminal would, not for files."""
    if choice != "auto":
        return choice == "always"
    if output is not None or os.environ.get("NO_COLOR"):
        return False
    return os.environ.get("FORCE_COLOR", "").lower() not in ("", "0", "false", "no") or sys.stdout.isatty()


@click.group()
def baseline() -> None:
    """Accept today's findings so that only new ones fail (see check --baseline)."""


@baseline.command(name="create")
@run_options()
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True, help="The baseline file to write.")
@force_option("the baseline file")
@click.option("--reason", default="", help="Why these findings are accepted, kept in the baseline and shown with "
              "each of them.")
def baseline_create(request: Request, output: str, force: bool, reason: str) -> None:
    """Write every finding that counts today into a baseline file."""
    from ..api import run
    from ..verdict.baseline import build

    with usage_errors():
        result = run(request)
    something_to_check(result, request.paths)
    with open_output(output, request, result, force) as stream:
        json.dump(build(result, TOOL, __version__, reason), stream, indent=2, ensure_ascii=False)
        stream.write("\n")
    click.echo(f"{TOOL}: baseline of {len(result.active)} finding(s) written to {output}", err=True)
