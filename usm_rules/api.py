"""The one entrance: a :class:`Request` in, a :class:`~usm_rules.model.results.Result` out. Never prints.

Every command that checks (``check``, ``baseline create``, ``report``, ``history`` and the
language server) describes its run as one :class:`Request` and calls :func:`run`;
:func:`check_paths` is the library's façade over it. The pipeline, one stage per package:
discover the files and read each once (:mod:`usm_rules.read`, on every core for a big run),
build facts (:mod:`usm_rules.check`), run the rules in the engine (:mod:`usm_rules.engine`),
make findings, apply suppressions, waivers and the baseline, compute the ceilings
(:mod:`usm_rules.verdict`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import os
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .check.catalog import engine_rules, prepare_catalog
from .check.file_work import FileWork, Settings, numbered, read_all
from .check.findings import Findings, deduplicate
from .check.matching import EngineMemo, match_rules, part_store
from .check.selection import selection_for
from .engine.runner import run_task
from .engine.workers import can_fork, cores, pool_map, shared_hub
from .model.findings import Finding
from .model.inputs import Input
from .model.limits import Limits
from .model.results import FileOutcome, Result
from .model.rules import Catalog
from .read.config import Config
from .read.discovery import STDIN, Source, discover, display_path
from .read.files import too_big
from .read.filters import CHECKED_TREE
from .read.model_root import model_roots
from .verdict.acceptance import accept, check_waivers
from .verdict.baseline import Baseline
from .verdict.ceiling import maturity

BIG = 2_000_000  # bytes of input from which files are read on every core (below, a pool costs more than it saves)


@dataclass(frozen=True)
class Request:
    """One run, described once: what to read, with which configuration, rules and baseline.

    ``select`` given here replaces the configured one; ``ignore``, ``exclude`` and ``rules``
    add to it. ``stdin`` holds the bytes read for the path ``-``. A ``catalog`` given is used as
    it is (see :func:`prepare_catalog` for one with the configuration's overrides); without one,
    the shipped rules, ``rules`` and the configuration's packs and overrides are in force.
    """

    paths: tuple[str, ...] = (".",)
    config: Config = field(default_factory=Config)
    rules: tuple[str, ...] = ()  # rule pack folders added to the shipped rules
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    baseline: Baseline | None = None
    stdin: bytes | None = None
    jobs: int = 1  # processes to read files and run rules on (0: one per core)
    cache: Path | None = None  # the folder of the per-file cache; None: no cache
    follow_links: bool = False  # follow symbolic links that leave the checked folders
    model_aware: bool = False  # given files are checked in their model (see usm_rules.read.model_root)
    overlay: Mapping[str, bytes] | None = None  # some files' bytes by real path (an editor's unsaved text)
    stdin_filename: str | None = None  # where standard input stands in the model (--stdin-filename)
    catalog: Catalog | None = None  # the rules in force, prepared by the caller
    today: dt.date | None = None  # the day waivers expire against (default: today in UTC)


def run(request: Request) -> Result:
    """Check every usm document the request names against the rules in force.

    Raises :class:`~usm_rules.model.errors.CatalogError` for a broken rule pack,
    :class:`~usm_rules.read.config.ConfigError` for a configuration that names unknown rules,
    :class:`~usm_rules.check.selection.SelectionError` for an unknown ``select`` or ``ignore``
    entry; problems in the input files are findings, never exceptions. ``jobs`` processes (0:
    one per core) read the files and run the rules; the result is the same whatever their
    number. Symbolic links are followed only while they stay inside the checked folders,
    unless ``follow_links``; the configuration's ``limits`` bound what is read. With
    ``model_aware``, given files are read with the rest of their process model and only the
    findings located in them are reported.
    """
    with _collector_paused():
        return _check(request)


def check_paths(paths: Iterable[str | Path], **options: Any) -> Result:
    """The library's façade: :func:`run` on a :class:`Request` for ``paths``; ``options`` are the
    request's other fields (``select=["R1"]``, ``config=...``, ``jobs=0``, ``cache=Path(...)``),
    and the library's defaults are one process and no cache."""
    for name in ("rules", "select", "ignore", "exclude"):
        if name in options:
            options[name] = tuple(options[name])
    return run(Request(paths=tuple(str(path) for path in paths), **options))


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector paused for the run (and its forked children), as it was after.

    A run builds millions of objects that live until it ends (facts, their attributes, the
    inputs' text) and makes next to no cyclic garbage; the collector would traverse all of them
    again and again as they grow, a third of the time on a big repository.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _check(request: Request) -> Result:
    request = _stdin_placed(request)
    config = request.config
    catalog = request.catalog or prepare_catalog(config, request.rules, request.cache)
    check_waivers(catalog, config)
    selection = selection_for(catalog, config, request.select, request.ignore)
    make = Findings(catalog.rules)
    sources, focus, roots = _sources(request)
    jobs = request.jobs if request.jobs > 0 else cores()
    big = _size(sources) >= BIG and can_fork()
    settings = Settings(config.language, config.roles, config.tools, config.limits)
    hub = shared_hub()  # forked now, before this run reads anything
    if hub is not None:
        hub.preload(run_task)  # the engine imported in the hub while this process reads
    gathered = read_all(sources, settings, request.stdin, request.cache,
                        lambda function, items: pool_map(function, items, jobs if big else 1), request.overlay)
    works = gathered.works
    inputs = tuple(item.input for item in works)
    facts = numbered(works)
    findings = [make.problem(item.path, problem) for item in inputs for problem in item.problems]
    findings += [make.language_not_read(u.file, u.line, u.column, u.name, u.language, u.source)
                 for item in works for u in item.unread]
    selected = [r for r in engine_rules(catalog) if selection.keeps(r.id)]
    cache = request.cache
    memo = EngineMemo(cache, gathered.key, selected) if cache is not None and gathered.key else None
    findings += match_rules(selected, facts, make, jobs, hub, memo, part_store(cache) if cache is not None else None)
    findings, fixed = accept(findings, inputs, catalog, config, request.baseline, request.today,
                             selection, make)
    findings = deduplicate(f for f in findings if selection.keeps(f.rule))
    context = 0
    if focus is not None:
        context = len(works)
        works, inputs, findings = _focused(focus, works, findings)
        context -= len(works)
    processes = tuple(name for item in works for name in item.processes)
    files = tuple(_outcome(item, catalog) for item in inputs)
    return Result(
        findings=tuple(findings),
        files=files,
        documents=sum(item.document_count for item in inputs),
        processes=processes,
        maturity=maturity(findings, list(processes)),
        # incomplete: a file that could not be read or understood, or a rule that could not run
        complete=all(f.status != "error" for f in files) and not any(catalog[f.rule].incomplete for f in findings),
        mapping=config.mapping,
        fixed=fixed,
        languages=tuple(language for item in works for language in item.languages),
        inputs=inputs,
        catalog=catalog,
        model_roots=tuple(display_path(root) for root in roots),
        context_files=context,
    )


def _stdin_placed(request: Request) -> Request:
    """Standard input named by ``stdin_filename`` stands in for that file: read from the bytes
    given, at that path, in its model."""
    if request.stdin_filename is None or STDIN not in request.paths:
        return request
    named = request.stdin_filename
    overlay = {**(request.overlay or {}), str(Path(named).resolve()): request.stdin or b""}
    paths = tuple(named if path == STDIN else path for path in request.paths)
    return dataclasses.replace(request, paths=paths, overlay=overlay, stdin=None)


def _sources(request: Request) -> tuple[list[Source], set[str] | None, list[str]]:
    """What the run reads, and, when given files are checked in their model, the files whose
    findings it reports (None: all of them) and the models' roots."""
    config = request.config
    patterns = (*config.exclude, *((CHECKED_TREE, pattern) for pattern in request.exclude))
    given = list(request.paths)
    given += [model for model in config.models if model not in given]  # the configuration's model files
    overlay = request.overlay or {}
    over = {real: len(raw) for real, raw in overlay.items() if len(raw) > config.limits.file_size}
    given_files = [p for p in request.paths if p != STDIN and (os.path.isfile(p) or str(Path(p).resolve()) in overlay)]
    peeked = {real: raw for real, raw in overlay.items() if real not in over}
    roots = model_roots(given_files, config.path, peeked) if request.model_aware and given_files else []
    focus: set[str] | None = None
    if roots:  # the given paths are what is reported; their models are read as context
        focus = {s.display for s in discover(given, patterns, config.include, follow_links=request.follow_links,
                                             limits=config.limits)}
        given = [*roots, *given]
    sources = discover(given, patterns, config.include, follow_links=request.follow_links, limits=config.limits)
    if over:
        sources = [_bounded(source, over, config.limits) for source in sources]
    return sources, focus, roots


def _bounded(source: Source, over: Mapping[str, int], limits: Limits) -> Source:
    """A file whose overlaid bytes (an editor's text, standard input at --stdin-filename) are over
    the file-size limit: not read, as the same bytes on disk would not be."""
    try:
        real = str(source.path.resolve()) if source.path is not None else ""
    except (OSError, RuntimeError):
        return source
    return Source(source.display, source.path, too_big(over[real], limits)) if real in over else source


def _focused(focus: set[str], works: list[FileWork],
             findings: list[Finding]) -> tuple[list[FileWork], tuple[Input, ...], list[Finding]]:
    """What a run of some files in their model reports: the findings located in those files (and
    any located in no input, such as a crashed rule's), their files, documents and processes."""
    read = {item.input.path for item in works}
    findings = [f for f in findings if f.file in focus or f.file not in read]
    works = [item for item in works if item.input.path in focus]
    return works, tuple(item.input for item in works), findings


def _size(sources: list[Source]) -> int:
    """The bytes a run reads (as far as the files can be stat'ed)."""
    total = 0
    for source in sources:
        try:
            total += source.path.stat().st_size if source.path is not None and not source.problem else 0
        except OSError:
            continue
    return total


def _outcome(item: Input, catalog: Catalog) -> FileOutcome:
    if item.skipped:
        return FileOutcome(item.path, "skipped", 0)
    failed = any(catalog[p.rule].incomplete for p in item.problems)
    return FileOutcome(item.path, "error" if failed else "checked", item.document_count)


__all__ = ["Request", "check_paths", "prepare_catalog", "run"]
