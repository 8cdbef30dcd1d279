"""The command line: a thin click layer over the library. The only module that imports click.

Exit codes (SPEC section 6): 0 gates pass, 1 gates fail, 2 usage/configuration/rule-pack
error (one line, no traceback), 3 internal error (one line; the traceback with --debug).
"""

from __future__ import annotations

import dataclasses
import functools
import io
import json
import os
import signal
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TextIO

import click

if TYPE_CHECKING:
    from .api import Request
    from .model.results import Result
    from .read.config import Config

from .choices import CHECK_FORMATS, FAIL_ON, REPORT_FORMATS
from .version import __version__

TOOL = "usm-rules"
EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


class UsageProblem(click.ClickException):
    """A one-line error with exit code 2."""

    exit_code = EXIT_USAGE

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"{TOOL}: error: {self.format_message()}", err=True)


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


def run_options(baseline_help: str | None = None) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """The options that describe a run, shared by ``check``, ``baseline create`` and ``report``.

    The command receives them as one :class:`~usm_rules.api.Request` (``request``), built once
    here: the configuration found and loaded, the baseline read, standard input read for ``-``.
    """
    options = [
        click.argument("paths", nargs=-1, type=str),
        click.option("--config", "config_file", type=click.Path(dir_okay=False),
                     help="Use this configuration instead of the nearest .usm-rules.yaml."),
        click.option("--no-config", is_flag=True, help="Ignore any .usm-rules.yaml."),
        click.option("--rules", "rule_dirs", multiple=True, type=click.Path(), help="Add a rule pack folder."),
        click.option("--select", multiple=True,
                     help="Only these rules: ids, names or requirements (R1), comma-separated."),
        click.option("--ignore", multiple=True, help="Skip these rules: ids, names or requirements (R1)."),
        click.option("--exclude", multiple=True, help="Skip files matching this glob or below this folder."),
        click.option("-j", "--jobs", type=click.IntRange(0), default=0, show_default=True,
                     help="Processes to read files and run rules on (0: one per core)."),
        click.option("--no-cache", is_flag=True, help="Read every file anew; leave the cache alone."),
        click.option("--cache-dir", type=click.Path(file_okay=False),
                     help="Keep the per-file cache here [default: the user cache folder]."),
        click.option("--isolated", is_flag=True,
                     help="Check given files alone, without reading the rest of their process model."),
        click.option("--follow-links", is_flag=True,
                     help="Also read symbolic links that lead outside the checked folders."),
        click.option("--limit", "limit_values", multiple=True, metavar="NAME=VALUE",
                     help="Change a bound of what is read: file-size (10MB), scalar-length, integer-digits, nesting, "
                          "aliases, documents, files."),
    ]
    if baseline_help:
        options.append(click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False),
                                    help=baseline_help))

    def decorate(command: Callable[..., None]) -> Callable[..., None]:
        @functools.wraps(command)
        def wrapper(paths: tuple[str, ...], config_file: str | None, no_config: bool, rule_dirs: tuple[str, ...],
                    select: tuple[str, ...], ignore: tuple[str, ...], exclude: tuple[str, ...], jobs: int,
                    no_cache: bool, cache_dir: str | None, isolated: bool, follow_links: bool,
                    limit_values: tuple[str, ...],
                    baseline_file: str | None = None, **rest: Any) -> None:
            from .engine.workers import shared_hub

            shared_hub()  # forked first, while this process holds little: its children stay small
            from .api import Request
            from .check.cache import default_folder
            from .model.limits import parse_option
            from .verdict.baseline import load_baseline

            paths = paths or (".",)
            with _usage_errors():
                config = _config(paths, config_file, no_config)
                config = dataclasses.replace(config, limits=parse_option(limit_values, config.limits))
                request = Request(
                    paths=paths, config=config, rules=rule_dirs, select=select,
                    ignore=ignore, exclude=exclude, baseline=load_baseline(baseline_file) if baseline_file else None,
                    stdin=sys.stdin.buffer.read(config.limits.file_size + 1) if "-" in paths else None, jobs=jobs,
                    cache=None if no_cache else Path(cache_dir) if cache_dir else default_folder(),
                    follow_links=follow_links, model_aware=not isolated,
                )
            command(request=request, **rest)

        for option in reversed(options):
            wrapper = option(wrapper)
        return wrapper
    return decorate


@cli.command()
@run_options(baseline_help="Only findings not in this baseline count (see `usm-rules baseline create`).")
@click.option("-f", "--format", "format_", type=click.Choice(CHECK_FORMATS), default="text",
              show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report here.")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default=None,
              help="Lowest severity that fails the run [default: error, or the configuration's].")
@click.option("--min-maturity", type=click.IntRange(1, 5), default=None,
              help="Fail when the maturity ceiling is below this level [default: 1, or the configuration's].")
@click.option("--color", "color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="Colour, source lines and rule links in the text format: auto means on a terminal, unless "
                   "NO_COLOR is set (or FORCE_COLOR).")
@click.option("-q", "--quiet", is_flag=True, help="Print the findings only: no summary, no reasons for failing.")
@click.option("--statistics", is_flag=True, help="Text format: a count per rule instead of each finding.")
def check(request: Request, format_: str, output: str | None, fail_on: str | None, min_maturity: int | None,
          color: str, quiet: bool, statistics: bool) -> None:
    """Check PATHS (files, folders, or - for stdin; default: the current folder)."""
    from .api import run
    from .output.formats import REPORTERS, Context, report
    from .verdict.gate import failing

    with _usage_errors():
        catalog, result = run(request)
    _something_to_check(result, request.paths)
    config = request.config
    fail_on, min_maturity = fail_on or config.fail_on or "error", min_maturity or config.min_maturity or 1
    context = Context(TOOL, __version__, catalog, fail_on, min_maturity, color=_colour(color, output),
                      quiet=quiet, statistics=statistics)
    with _open_output(output, result) as stream, _usage_errors():
        report(REPORTERS[format_](stream, context), result)
    reasons = failing(result, fail_on, min_maturity)
    for reason in reasons if not quiet else ():
        click.echo(f"{TOOL}: fail: {reason}", err=True)
    sys.exit(EXIT_FAIL if reasons else EXIT_OK)


def _colour(choice: str, output: str | None) -> bool:
    """``--color``, then NO_COLOR (https://no-color.org), then FORCE_COLOR, then whether standard
    output is a terminal: colour never reaches a pipe or a file unless asked for."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR", "").lower() not in ("", "0", "false", "no"):
        return True
    return output is None and sys.stdout.isatty()


@cli.group()
def baseline() -> None:
    """Accept today's findings so that only new ones fail (see check --baseline)."""


@baseline.command(name="create")
@run_options()
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True, help="The baseline file to write.")
def baseline_create(request: Request, output: str) -> None:
    """Write every finding that counts today into a baseline file."""
    from .api import run
    from .verdict.baseline import build

    with _usage_errors():
        _, result = run(request)
    _something_to_check(result, request.paths)
    with _open_output(output, result) as stream:
        json.dump(build(result, TOOL, __version__), stream, indent=2, ensure_ascii=False)
        stream.write("\n")
    click.echo(f"{TOOL}: baseline of {len(result.active)} finding(s) written to {output}", err=True)


def _something_to_check(result: Result, paths: tuple[str, ...]) -> None:
    """Nothing to check is a usage error (exit 2), as linters say "no files matched": never a
    verdict about nothing. Nothing means: no file that exists and holds usm documents."""
    if any(not item.skipped and not item.missing for item in result.inputs):
        return
    skipped = sum(1 for item in result.inputs if item.skipped)
    missing = [item.path for item in result.inputs if item.missing]
    why = "; ".join(filter(None, [
        f"{', '.join(missing)}: no such file or directory" if missing else "",
        f"{skipped} YAML file{'s' if skipped != 1 else ''} skipped: not usm documents (no apiVersion: usm/v1)"
        if skipped else "",
    ]))
    raise UsageProblem(f"nothing to check: no usm documents under {' '.join(paths)}" + (f" ({why})" if why else ""))


def _config(paths: tuple[str, ...], config_file: str | None, no_config: bool) -> Config:
    from .read.config import Config, find_config, load_config

    if no_config:
        return Config()
    found = config_file or find_config(list(paths))
    return load_config(Path(found)) if found else Config()


@cli.command()
@click.argument("kind", required=False)
@click.option("--bundle", is_flag=True, help="One self-contained schema for editors (no external $ref), "
              "choosing each document's definition by its kind.")
def schema(kind: str | None, bundle: bool) -> None:
    """Print the JSON Schema of a document KIND (default: the usm/v1 envelope), or `rule`."""
    from .read.validation import ENVELOPE, KIND_SCHEMAS, schema_text

    if bundle:
        from .read.schema_bundle import bundle_text

        if kind is not None:
            raise UsageProblem("--bundle holds every kind: give no KIND with it")
        click.echo(bundle_text(), nl=False)
        return
    names = {k.lower(): v for k, v in KIND_SCHEMAS.items()} | {"rule": "rule.schema.json"}
    if kind is None:
        name = ENVELOPE
    elif kind.lower().replace("-", "") in names:
        name = names[kind.lower().replace("-", "")]
    else:
        raise UsageProblem(f"unknown kind '{kind}' (choose from {', '.join([*KIND_SCHEMAS, 'rule'])})")
    click.echo(schema_text(name), nl=False)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("-o", "--output", "folder", required=True, type=click.Path(file_okay=False),
              help="The folder to write the usm/v1 YAML into (created if needed).")
def convert(files: tuple[str, ...], folder: str) -> None:
    """Write BPMN diagrams (FILES: *.bpmn) as usm/v1 YAML: each process without its who and how
    (a Procedure and a WorkInstruction hold them), gateways kept, a ProcessModel for several."""
    from .convert import convert as convert_file
    from .model.limits import Limits
    from .output.writes import OutputError, write_text
    from .read.files import read_bounded
    from .yamlwriter import dump

    target = Path(folder)
    written = 0
    for file in files:
        try:
            raw = read_bounded(file, Limits().file_size)
        except OSError as error:
            raise UsageProblem(f"{file}: cannot read: {error.strerror or error}") from None
        outputs, problems = convert_file(file, raw)
        if problems:
            raise UsageProblem(f"{file}:{problems[0].line}:{problems[0].column}: {problems[0].message}")
        try:
            target.mkdir(parents=True, exist_ok=True)
            for converted in outputs:
                write_text(str(target / converted.name),
                           dump(list(converted.documents), f"Converted from {Path(file).name} by {TOOL} convert."))
                written += 1
        except (OutputError, OSError) as error:
            raise UsageProblem(str(error)) from None
    click.echo(f"{TOOL}: {written} file(s) written to {folder}", err=True)


@cli.command(name="history")
@click.argument("path", required=False, default=".")
@click.option("--since", help="Only the commits after this revision (a tag, a branch, a commit).")
@click.option("--max-commits", type=click.IntRange(1), default=50, show_default=True,
              help="The newest commits that touched PATH to check.")
@click.option("-f", "--format", "format_", type=click.Choice(["html", "json", "markdown"]), default=None,
              help="Output format [default: html with -o, markdown on standard output].")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the history here.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False),
              help="Use this configuration instead of the nearest .usm-rules.yaml.")
@click.option("--no-cache", is_flag=True, help="Check every version anew; leave the cache alone.")
@click.option("--cache-dir", type=click.Path(file_okay=False),
              help="Keep results here [default: the user cache folder].")
def history_command(path: str, since: str | None, max_commits: int, format_: str | None, output: str | None,
                    config_file: str | None, no_cache: bool, cache_dir: str | None) -> None:
    """The maturity ceiling of PATH (default: .) at each git commit that touched it, checked from
    git's object store (the working tree is not touched): a chart and a table, or JSON."""
    from .check.cache import default_folder

    cache = None if no_cache else Path(cache_dir) if cache_dir else default_folder()
    with _usage_errors():
        found = _history(path, _config((path,), config_file, False), since, max_commits, cache)
    format_ = format_ or ("html" if output else "markdown")
    if format_ == "json":
        text = json.dumps(found.to_dict(), indent=2, ensure_ascii=False) + "\n"
    else:
        from .output.audit.render import render_history

        text = render_history(found, format_)
    if output is None:
        _to_stdout(text)
        return
    from .output.writes import OutputError, write_text

    try:
        write_text(output, text)
    except OutputError as error:
        raise UsageProblem(str(error)) from None
    click.echo(f"{TOOL}: history of {len(found.points)} commit(s) written to {output}", err=True)


def _trend(request: Request, commits: int) -> Any:
    """The ceiling's history for the report, or None (with a note) outside a git repository."""
    from .history import HistoryError

    path = next((p for p in request.paths if p != "-"), ".")
    try:
        return _history(path, request.config, None, commits, request.cache)
    except HistoryError as error:
        click.echo(f"{TOOL}: note: no trend in the report: {error}", err=True)
        return None


def _history(path: str, config: Config, since: str | None, max_commits: int, cache: Path | None) -> Any:
    import usm_rules

    from .api import prepare_catalog
    from .history import history
    from .output.audit.provenance import rule_hash

    catalog = prepare_catalog(config, cache=cache)
    return history(path, lambda folder: usm_rules.check_paths([str(folder)], catalog=catalog, config=config,
                                                              cache=cache),
                   since=since, max_commits=max_commits, cache=cache, salt=f"{rule_hash(catalog)}|{config!r}")


@cli.command()
@click.option("--no-cache", is_flag=True, help="Read every file anew; leave the cache alone.")
@click.option("--cache-dir", type=click.Path(file_okay=False),
              help="Keep the per-file cache here [default: the user cache folder].")
def lsp(no_cache: bool, cache_dir: str | None) -> None:
    """Serve an editor over standard input and output (Language Server Protocol): diagnostics
    as you type, the rule's page on hover, a suppression as a quick fix."""
    from .check.cache import default_folder
    from .lsp import serve

    serve(None if no_cache else Path(cache_dir) if cache_dir else default_folder())


@cli.command(name="rules")
@click.option("--rules", "rule_dirs", multiple=True, type=click.Path(), help="Add a rule pack folder.")
@click.option("--format", "format_", type=click.Choice(["text", "json"]), default="text", show_default=True)
def list_rules(rule_dirs: tuple[str, ...], format_: str) -> None:
    """List the rules: id, name, requirement, severity, ceiling, summary."""
    from .check.catalog import load_catalog

    with _usage_errors():
        catalog = load_catalog(rule_dirs)
    if format_ == "json":
        rows = [{"id": r.id, "name": r.name, "requirement": r.requirement, "severity": r.severity.value,
                 "confidence": r.confidence, "ceiling": r.ceiling, "summary": r.summary} for r in catalog]
        click.echo(json.dumps(rows, indent=2))
        return
    for r in catalog:
        ceiling = "-" if r.ceiling is None else str(r.ceiling)
        click.echo(f"{r.id}  {r.name:<32} R{r.requirement:<2} {r.severity.value:<7} ceiling {ceiling}  {r.summary}")


@cli.command()
@click.argument("rule")
@click.option("--rules", "rule_dirs", multiple=True, type=click.Path(), help="Add a rule pack folder.")
def explain(rule: str, rule_dirs: tuple[str, ...]) -> None:
    """Show a rule's rationale, remediation, USM reference and examples."""
    from .check.catalog import load_catalog
    from .output.rule_docs import page, text
    from .read.spelling import suggestion

    with _usage_errors():
        catalog = load_catalog(rule_dirs)
    found = catalog.find(rule)
    if found is None:
        raise UsageProblem(f"unknown rule '{rule}'{suggestion(rule, catalog.handles())}; `{TOOL} rules` lists them")
    click.echo(text(page(found)))


@cli.command()
@click.argument("folder", type=click.Path(file_okay=False))
def docs(folder: str) -> None:
    """Write the rule reference (Markdown) into FOLDER (docs): FOLDER/rules/ and FOLDER/facts.md."""
    from .check.catalog import load_catalog
    from .output.rule_docs import write

    written = write(load_catalog(), Path(folder))
    click.echo(f"wrote {len(written)} pages to {folder}")


@cli.command(name="report")
@run_options(baseline_help="Findings in this baseline are listed as suppressed, not counted.")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write the report here; needed for html (- for standard output).")
@click.option("-f", "--format", "format_", type=click.Choice(REPORT_FORMATS), default="html",
              show_default=True, help="Report format.")
@click.option("--auditee", help="The organisation or unit audited [default: the configuration's audit.auditee].")
@click.option("--scope", help="What the audit covers [default: the configuration's, else the files read].")
@click.option("--objective", help="Why the audit is done [default: the configuration's, else USM conformance].")
@click.option("--auditor", help="Who audits; the sign-off block names them [default: the configuration's].")
@click.option("--history", "history_commits", type=click.IntRange(0), default=0,
              help="Show the ceiling at the last N commits that touched the first PATH (in a git repository).")
def audit_report(request: Request, output: str | None, format_: str, auditee: str | None, scope: str | None,
                 objective: str | None, auditor: str | None, history_commits: int) -> None:
    """Write a self-contained audit report of PATHS (default: the current folder).

    Verdict, capability and value lenses, reclassified items, evidence and provenance in one
    file. Its time comes from SOURCE_DATE_EPOCH when set, so the same inputs give the same
    bytes. Exits 0 once written: the report is not a gate (use `check` for that).
    """
    from .api import run
    from .output.audit import Audit, ReportError, build_report
    from .output.audit import render as render_report
    from .verdict.phrases import sentence

    if output is None and format_ == "html":
        raise UsageProblem("report --format html needs -o FILE (or -o - for standard output)")
    with _usage_errors():
        catalog, result = run(request)
    _something_to_check(result, request.paths)
    try:
        stated = dict(request.config.audit)
        audit = Audit(auditee=auditee or stated.get("auditee", ""), scope=scope or stated.get("scope", ""),
                      objective=objective or stated.get("objective", ""), auditor=auditor or stated.get("auditor", ""))
        trend = _trend(request, history_commits) if history_commits else None
        data = build_report(result, catalog, tool=TOOL, version=__version__, audit=audit, history=trend)
    except ReportError as error:
        raise UsageProblem(str(error)) from None
    to_file = output not in (None, "-")
    with _open_output(output if to_file else None, result) as stream:
        stream.write(render_report(data, format_))
    if to_file:
        click.echo(f"{TOOL}: report written to {output}: {sentence(result)}", err=True)


@contextmanager
def _usage_errors() -> Iterator[None]:
    """A broken rule pack, configuration, selection, baseline or report: one line, exit 2."""
    try:
        yield
    except Exception as error:
        if isinstance(error, _usage_error_types()):
            raise UsageProblem(str(error)) from None
        raise


def _usage_error_types() -> tuple[type[Exception], ...]:
    """Imported when an error occurs, not for every command."""
    from .check.selection import SelectionError
    from .history import HistoryError
    from .model.errors import CatalogError
    from .model.limits import LimitError
    from .output.audit import ReportError
    from .read.config import ConfigError
    from .verdict.baseline import BaselineError

    return CatalogError, SelectionError, ConfigError, BaselineError, ReportError, LimitError, HistoryError


@contextmanager
def _open_output(path: str | None, result: Result) -> Iterator[TextIO]:
    """A stream for the whole output, written once it is complete: to ``path`` through a
    temporary file renamed into place (never over one of the checked files), or to standard
    output. Nothing is written if the output is not finished."""
    from .output.writes import OutputError, is_one_of, write_text

    if path is not None and is_one_of(path, (item.path for item in result.inputs)):
        raise UsageProblem(f"-o {path} is one of the checked files; refusing to overwrite it")
    buffer = io.StringIO(newline="\n")
    yield buffer
    if path is None:
        _to_stdout(buffer.getvalue())
        return
    try:
        write_text(path, buffer.getvalue())
    except OutputError as error:
        raise UsageProblem(str(error)) from None


def _to_stdout(text: str) -> None:
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


def _on_signal(signum: int, frame: object) -> None:
    """SIGINT or SIGTERM: stop here and now (never by raising: an exception raised while the
    process forks is swallowed by the fork's handlers, and the run would go on)."""
    _stop(signum)


def _stop(signum: int) -> None:
    """Stop every child, leave no half-written output, one line, exit 128 + the signal (130, 143)."""
    for name in ("SIGINT", "SIGTERM"):
        signal.signal(getattr(signal, name), signal.SIG_IGN)  # a second Ctrl-C cannot cut the clean-up short
    from .engine.workers import stop_children
    from .output.writes import abandon

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
        cli(prog_name=TOOL)
    except BrokenPipeError:
        _closed_pipe()


def _closed_pipe() -> None:
    """Standard output or error closed by its reader: end as if SIGPIPE had (only then: the
    pipes to the children must raise, not kill, when a child is gone)."""
    from .engine.workers import stop_children

    stop_children()
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGPIPE)
    os._exit(1)  # pragma: no cover - no SIGPIPE (Windows)
