"""``usm-rules report`` and ``usm-rules history``: the audit report, and the ceiling at each commit."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..output.audit.pages import HISTORY, REPORT
from ..version import __version__
from .errors import TOOL, UsageProblem, open_output, refuse_checked, to_stdout, usage_errors, write_output
from .options import force_option, run_options, something_to_check

if TYPE_CHECKING:
    from ..api import Request
    from ..model.trend import History


@click.command(name="report")
@run_options(baseline_help="Findings in this baseline are listed as suppressed, not counted.")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write the report here; needed for html (- for standard output).")
@force_option("the -o file")
@click.option("-f", "--format", "format_", type=click.Choice(sorted(REPORT)), default="html",
              show_default=True, help="Report format.")
@click.option("--auditee", help="The organisation or unit audited [default: the configuration's audit.auditee].")
@click.option("--scope", help="What the audit covers [default: the configuration's, else the files read].")
@click.option("--objective", help="Why the audit is done [default: the configuration's, else USM conformance].")
@click.option("--auditor", help="Who audits; the sign-off block names them [default: the configuration's].")
@click.option("--history", "history_commits", type=click.IntRange(0), default=0,
              help="Show the ceiling at the last N commits that touched the first PATH (in a git repository).")
def audit_report(request: Request, output: str | None, force: bool, format_: str, auditee: str | None,
                 scope: str | None, objective: str | None, auditor: str | None, history_commits: int) -> None:
    """Write a self-contained audit report of PATHS (default: the current folder).

    Verdict, capability and value lenses, reclassified items, evidence and provenance in one
    file. Its time comes from SOURCE_DATE_EPOCH when set, so the same inputs give the same
    bytes. Exits 0 once written: the report is not a gate (use `check` for that).
    """
    from ..api import run
    from ..output.audit.build import Audit, ReportError, build_report
    from ..output.audit.render import render as render_report
    from ..verdict.phrases import sentence

    if output is None and format_ == "html":
        raise UsageProblem("report --format html needs -o FILE (or -o - for standard output)")
    with usage_errors():
        result = run(request)
    something_to_check(result, request.paths)
    try:
        stated = dict(request.config.audit)
        audit = Audit(auditee=auditee or stated.get("auditee", ""), scope=scope or stated.get("scope", ""),
                      objective=objective or stated.get("objective", ""), auditor=auditor or stated.get("auditor", ""))
        trend = trend_for(dataclasses.replace(request, catalog=result.catalog), history_commits) \
            if history_commits else None
        data = build_report(result, tool=TOOL, version=__version__, audit=audit, history=trend)
    except ReportError as error:
        raise UsageProblem(str(error)) from None
    to_file = output not in (None, "-")
    with open_output(output if to_file else None, request, result, force) as stream:
        stream.write(render_report(data, format_))
    if to_file:
        click.echo(f"{TOOL}: report written to {output}: {sentence(result)}", err=True)



@click.command(name="history")
@click.argument("path", required=False, default=".")
@click.option("--since", help="Only the commits after this revision (a tag, a branch, a commit).")
@click.option("--max-commits", type=click.IntRange(1), default=50, show_default=True,
              help="The newest commits that touched PATH to check.")
@click.option("-f", "--format", "format_", type=click.Choice(sorted([*HISTORY, "json"])), default=None,
              help="Output format [default: html with -o, markdown on standard output].")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the history here.")
@force_option("the -o file")
@click.option("--config", "config_file", type=click.Path(dir_okay=False),
              help="Use this configuration instead of the nearest .usm-rules.yaml.")
@click.option("--no-cache", is_flag=True, help="Check every version anew; leave the cache alone.")
@click.option("--cache-dir", type=click.Path(file_okay=False),
              help="Keep results here [default: the user cache folder].")
def history_command(path: str, since: str | None, max_commits: int, format_: str | None, output: str | None,
                    force: bool, config_file: str | None, no_cache: bool, cache_dir: str | None) -> None:
    """The maturity ceiling of PATH (default: .) at each git commit that touched it, checked from
    git's object store (the working tree is not touched): a chart and a table, or JSON."""
    from ..api import Request
    from ..check.cache import default_folder
    from ..history.trend import history
    from ..read.config import config_for
    from ..read.discovery import discover

    cache = None if no_cache else Path(cache_dir) if cache_dir else default_folder()
    checked = [str(source.path) for source in discover([path]) if source.path is not None] if output else []
    if output is not None:
        refuse_checked(output, checked)  # the files of PATH as they are now, before the commits are checked
    with usage_errors():
        found = history(path, Request(config=config_for((path,), config_file), cache=cache), since=since,
                        max_commits=max_commits)
    format_ = format_ or ("html" if output else "markdown")
    if format_ == "json":
        text = json.dumps(found.to_dict(), indent=2, ensure_ascii=False) + "\n"
    else:
        from ..output.audit.render import render_history

        text = render_history(found, format_)
    if output is None:
        to_stdout(text)
        return
    write_output(output, text, force=force, checked=checked)
    click.echo(f"{TOOL}: history of {len(found.points)} commit(s) written to {output}", err=True)


def trend_for(request: Request, commits: int) -> History | None:
    """The ceiling's history for the report, checked as the report's run is, or None (with a note)
    outside a git repository."""
    from ..history.trend import HistoryError, history

    path = next((p for p in request.paths if p != "-"), ".")
    try:
        return history(path, request, max_commits=commits)
    except HistoryError as error:
        click.echo(f"{TOOL}: note: no trend in the report: {error}", err=True)
        return None
