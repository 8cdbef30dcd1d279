"""The options that describe a run, shared by ``check``, ``baseline create`` and ``report``, turned
into one :class:`~usm_rules.api.Request`; and what a run must have found to be a verdict."""

from __future__ import annotations

import dataclasses
import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..model.limits import defaults_text
from .errors import TOOL, UsageProblem, usage_errors

if TYPE_CHECKING:
    from ..model.results import Result


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
        click.option("--stdin-filename", metavar="PATH",
                     help="With -: the file standard input stands for, checked at that path in its model."),
        click.option("--limit", "limit_values", multiple=True, metavar="NAME=VALUE",
                     help=f"Change a bound of what is read (defaults): {defaults_text()}."),
    ]
    if baseline_help:
        options.append(click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False),
                                    help=baseline_help))

    def decorate(command: Callable[..., None]) -> Callable[..., None]:
        @functools.wraps(command)
        def wrapper(paths: tuple[str, ...], config_file: str | None, no_config: bool, rule_dirs: tuple[str, ...],
                    select: tuple[str, ...], ignore: tuple[str, ...], exclude: tuple[str, ...], jobs: int,
                    no_cache: bool, cache_dir: str | None, isolated: bool, follow_links: bool,
                    stdin_filename: str | None, limit_values: tuple[str, ...],
                    baseline_file: str | None = None, **rest: Any) -> None:
            from ..engine.workers import shared_hub

            shared_hub()  # forked first, while this process holds little: its children stay small
            from ..api import Request
            from ..check.cache import default_folder
            from ..model.limits import parse_option
            from ..read.config import config_for
            from ..verdict.baseline import load_baseline

            paths = paths or (".",)
            if stdin_filename is not None and "-" not in paths:
                raise UsageProblem("--stdin-filename names what standard input stands for: give - as a path too")
            if "-" in paths and sys.stdin.isatty():
                click.echo(f"{TOOL}: reading standard input (end it with Ctrl-D); --stdin-filename PATH checks it "
                           "as that file, in its model", err=True)
            with usage_errors():
                config = config_for((stdin_filename,) if stdin_filename else paths, config_file, no_config)
                config = dataclasses.replace(config, limits=parse_option(limit_values, config.limits))
                request = Request(
                    paths=paths, config=config, rules=rule_dirs, select=select,
                    ignore=ignore, exclude=exclude, baseline=load_baseline(baseline_file) if baseline_file else None,
                    stdin=sys.stdin.buffer.read(config.limits.file_size + 1) if "-" in paths else None, jobs=jobs,
                    cache=None if no_cache else Path(cache_dir) if cache_dir else default_folder(),
                    follow_links=follow_links, model_aware=not isolated, stdin_filename=stdin_filename,
                )
            command(request=request, **rest)

        for option in reversed(options):
            wrapper = option(wrapper)
        return wrapper
    return decorate


def force_option(what: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """``--force``: replace ``what`` even when usm-rules did not write it (never a checked file,
    never through a symbolic link)."""
    return click.option("--force", is_flag=True, help=f"Replace {what} even when it exists and usm-rules did not "
                        "write it (never a checked file, never through a symbolic link).")


def something_to_check(result: Result, paths: tuple[str, ...]) -> None:
    """Nothing to check is a usage error (exit 2), as linters say "no files matched": never a
    verdict about nothing. Nothing means: no file that exists and holds usm documents."""
    if any(not item.skipped and not item.missing for item in result.inputs):
        return
    from ..verdict.phrases import plural, some

    skipped = [item.path for item in result.inputs if item.skipped]
    missing = [item.path for item in result.inputs if item.missing]
    why = "; ".join(filter(None, [
        f"{', '.join(missing)}: no such file or directory" if missing else "",
        f"{plural(len(skipped), 'file')} skipped, not usm documents (no apiVersion: usm/v1): {some(skipped)}"
        if skipped else "",
    ]))
    raise UsageProblem(f"nothing to check: no usm documents under {' '.join(paths)}" + (f" ({why})" if why else ""))
