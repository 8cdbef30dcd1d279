"""The command line: a thin click layer over the library. The only module that imports click.

Exit codes (SPEC section 6): 0 gates pass, 1 gates fail, 2 usage/configuration/rule-pack
error (one line, no traceback), 3 internal error (one line; the traceback with --debug).
"""

from __future__ import annotations

import json
import signal
import sys
import traceback
from contextlib import contextmanager
from typing import Iterator, TextIO

import click

from . import __version__
from .api import check_paths
from .catalog import CatalogError, load_catalog
from .gate import FAIL_ON, failing
from .reporters import REPORTERS, Context, report
from .requirements import REQUIREMENTS
from .selection import SelectionError
from .validation import ENVELOPE, KIND_SCHEMAS, schema_text

TOOL = "usm-rules"
EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


class UsageProblem(click.ClickException):
    """A one-line error with exit code 2."""

    exit_code = EXIT_USAGE

    def show(self, file: TextIO | None = None) -> None:
        click.echo(f"{TOOL}: error: {self.format_message()}", err=True)


class _Guarded(click.Group):
    """A group that turns any unexpected exception into one line and exit 3."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as error:  # a bug: never let it pass for "violations found"
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


@cli.command()
@click.argument("paths", nargs=-1, type=str)
@click.option("-f", "--format", "format_", type=click.Choice(sorted(REPORTERS)), default="text",
              show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write the report here.")
@click.option("--rules", "rule_dirs", multiple=True, type=click.Path(), help="Add a rule pack folder (repeatable).")
@click.option("--select", multiple=True, help="Only these rules: ids, names or requirements (R1), comma-separated.")
@click.option("--ignore", multiple=True, help="Skip these rules: ids, names or requirements (R1).")
@click.option("--exclude", multiple=True, help="Skip files matching this glob or below this folder.")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default="error", show_default=True,
              help="Lowest severity that fails the run.")
@click.option("--min-maturity", type=click.IntRange(1, 5), default=1, show_default=True,
              help="Fail when the maturity ceiling is below this level.")
def check(paths: tuple[str, ...], format_: str, output: str | None, rule_dirs: tuple[str, ...],
          select: tuple[str, ...], ignore: tuple[str, ...], exclude: tuple[str, ...], fail_on: str,
          min_maturity: int) -> None:
    """Check PATHS (files, folders, or - for stdin; default: the current folder)."""
    paths = paths or (".",)
    stdin = sys.stdin.buffer.read() if "-" in paths else None
    with _usage_errors():
        catalog = load_catalog(rule_dirs)
        result = check_paths(paths, catalog=catalog, select=select, ignore=ignore, exclude=exclude, stdin=stdin)
    with _open_output(output) as stream:
        report(REPORTERS[format_](stream, Context(TOOL, __version__, catalog)), result)
    reasons = failing(result, fail_on, min_maturity)
    for reason in reasons:
        click.echo(f"{TOOL}: fail: {reason}", err=True)
    sys.exit(EXIT_FAIL if reasons else EXIT_OK)


@cli.command()
@click.argument("kind", required=False)
def schema(kind: str | None) -> None:
    """Print the JSON Schema of a document KIND (default: the usm/v1 envelope), or `rule`."""
    names = {k.lower(): v for k, v in KIND_SCHEMAS.items()} | {"rule": "rule.schema.json"}
    if kind is None:
        name = ENVELOPE
    elif kind.lower().replace("-", "") in names:
        name = names[kind.lower().replace("-", "")]
    else:
        raise UsageProblem(f"unknown kind '{kind}' (choose from {', '.join([*KIND_SCHEMAS, 'rule'])})")
    click.echo(schema_text(name), nl=False)


@cli.command(name="rules")
@click.option("--rules", "rule_dirs", multiple=True, type=click.Path(), help="Add a rule pack folder.")
@click.option("--format", "format_", type=click.Choice(["text", "json"]), default="text", show_default=True)
def list_rules(rule_dirs: tuple[str, ...], format_: str) -> None:
    """List the rules: id, name, requirement, severity, ceiling, summary."""
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
    with _usage_errors():
        catalog = load_catalog(rule_dirs)
    found = catalog.find(rule)
    if found is None:
        raise UsageProblem(f"unknown rule '{rule}'; `{TOOL} rules` lists them")
    click.echo(explanation(found))


@cli.command()
@click.argument("folder", type=click.Path(file_okay=False))
def docs(folder: str) -> None:
    """Write the rule reference (Markdown) into FOLDER, e.g. docs/rules."""
    from pathlib import Path

    from .ruledocs import write

    written = write(load_catalog(), Path(folder))
    click.echo(f"wrote {len(written)} pages to {folder}")


def explanation(rule) -> str:
    ceiling = "does not limit maturity" if rule.ceiling is None else f"ceiling {rule.ceiling}"
    lines = [
        f"{rule.id} {rule.name}: {rule.summary}",
        f"Requirement {rule.requirement}: {REQUIREMENTS[rule.requirement]}",
        f"Severity {rule.severity.value}, {rule.confidence}, {ceiling}",
        "", "Why", rule.rationale, "", "How to fix", rule.remediation, "", f"Reference: {rule.reference}",
    ]
    for kind, heading in (("fail", "Example that violates the rule"), ("pass", "Example that passes")):
        for example in rule.examples.get(kind, [])[:1]:
            lines += ["", f"{heading}: {example['title']}"]
            for name, text in example["files"].items():
                lines += [f"# {name}", text.rstrip()]
    return "\n".join(lines)


@contextmanager
def _usage_errors() -> Iterator[None]:
    try:
        yield
    except (CatalogError, SelectionError) as error:
        raise UsageProblem(str(error)) from None


@contextmanager
def _open_output(path: str | None) -> Iterator[TextIO]:
    if path is None:
        yield sys.stdout
        return
    try:
        stream = open(path, "w", encoding="utf-8", newline="\n")
    except OSError as error:
        raise UsageProblem(f"cannot write {path}: {error.strerror}") from None
    with stream:
        yield stream


def main() -> None:
    """The console script. A closed pipe (``usm-rules check | head``) ends it quietly."""
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    cli(prog_name=TOOL)
