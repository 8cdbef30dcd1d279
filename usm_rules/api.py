"""The library entry point: paths in, a :class:`~usm_rules.model.Result` out. Never prints.

The pipeline, one stage per module: discover the files, read each once (:mod:`.inputs`), build
facts, run the rules in the engine, make findings (:mod:`.findings`), apply suppressions,
waivers and the baseline, compute the ceiling.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import hashlib
import os
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .check.cache import FileCache
from .check.catalog import EngineRule, engine_rules, load_catalog, rule_files
from .check.facts import Fact
from .check.file_work import FileWork, Settings, Unread, numbered, read_all
from .check.findings import Findings, deduplicate
from .check.selection import Selection
from .engine.runner import Crash, run_rules, run_task
from .engine.workers import Hub, can_fork, cores, pool_map, shared_hub
from .language.lexicons import supported
from .model.findings import Finding
from .model.inputs import Input
from .model.problems import BPMN_WITHOUT_MODEL, LANGUAGE_NOT_READ
from .model.results import FileOutcome, Result
from .model.rules import Catalog
from .read.config import Config, ConfigError
from .read.discovery import STDIN, Source, discover, display_path
from .read.formats.bpmn_reader import is_bpmn
from .read.model_root import model_roots
from .verdict.baseline import Baseline, apply_baseline
from .verdict.ceiling import maturity
from .verdict.suppress import apply_directives, apply_waivers

OUTSIDE_MODEL = "USM0701"  # process-outside-model, said once per BPMN file instead (USM0708)
BIG = 2_000_000  # bytes of input from which files are read on every core (below, a pool costs more than it saves)


@dataclass(frozen=True)
class Request:
    """One run, described once: what to read, with which configuration, rules and baseline.

    ``select`` given here replaces the configured one; ``ignore``, ``exclude`` and ``rules``
    add to it. ``stdin`` holds the bytes read for the path ``-``.
    """

    paths: tuple[str, ...] = (".",)
    config: Config = field(default_factory=Config)
    rules: tuple[str, ...] = ()
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    baseline: Baseline | None = None
    stdin: bytes | None = None
    jobs: int = 1  # processes to read files and run rules on (0: one per core)
    cache: Path | None = None  # the folder of the per-file cache; None: no cache
    follow_links: bool = False  # follow symbolic links that leave the checked folders
    model_aware: bool = False  # given files are checked in their model (see usm_rules.modelroot)


def run(request: Request, today: dt.date | None = None) -> tuple[Catalog, Result]:
    """The catalogue in force (configured severities and ceilings applied) and the result."""
    catalog = prepare_catalog(request.config, request.rules, request.cache)
    result = check_paths(request.paths, select=request.select, ignore=request.ignore, exclude=request.exclude,
                         stdin=request.stdin, catalog=catalog, config=request.config,
                         baseline=request.baseline, today=today, jobs=request.jobs, cache=request.cache,
                         follow_links=request.follow_links, model_aware=request.model_aware)
    return catalog, result


def check_paths(
    paths: Iterable[str | Path],
    *,
    rules: Iterable[str | Path] = (),
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    exclude: Iterable[str] = (),
    stdin: bytes | None = None,
    catalog: Catalog | None = None,
    config: Config | None = None,
    baseline: Baseline | None = None,
    today: dt.date | None = None,
    jobs: int = 1,
    cache: Path | None = None,
    follow_links: bool = False,
    model_aware: bool = False,
    overlay: Mapping[str, bytes] | None = None,
) -> Result:
    """Check every YAML document under ``paths`` against the rule catalogue.

    ``config`` supplies defaults (``select`` given here replaces the configured one; ``ignore``,
    ``exclude`` and ``rules`` add to it). A ``catalog`` given is used as it is (see
    :func:`prepare_catalog` for one with the configuration's overrides). Raises
    :class:`~usm_rules.catalog.CatalogError` for a broken rule pack,
    :class:`~usm_rules.config.ConfigError` for a configuration that names unknown rules,
    :class:`~usm_rules.selection.SelectionError` for an unknown ``select`` or ``ignore`` entry;
    problems in the input files are findings, never exceptions. ``jobs`` processes (0: one per
    core) read the files and run the rules; the result is the same whatever their number.
    ``cache`` is a folder where each file's reading is kept, keyed by its content. Symbolic
    links are followed only while they stay inside the checked folders, unless ``follow_links``;
    the configuration's ``limits`` bound what is read. With ``model_aware``, given files are read
    with the rest of their process model (:mod:`usm_rules.modelroot`) and only the findings
    located in them are reported. ``overlay`` gives some files' bytes by real path (an editor's
    unsaved text), read instead of what is on disk.
    """
    with _collector_paused():
        return _check(paths, rules, select, ignore, exclude, stdin, catalog, config, baseline, today, jobs, cache,
                      follow_links, model_aware, overlay)


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


def _check(paths: Iterable[str | Path], rules: Iterable[str | Path], select: Iterable[str], ignore: Iterable[str],
           exclude: Iterable[str], stdin: bytes | None, catalog: Catalog | None, config: Config | None,
           baseline: Baseline | None, today: dt.date | None, jobs: int, cache: Path | None,
           follow_links: bool, model_aware: bool = False, overlay: Mapping[str, bytes] | None = None) -> Result:
    config = config or Config()
    catalog = catalog or prepare_catalog(config, rules)
    _check_waivers(catalog, config)
    selection = _selection(catalog, config, tuple(select), tuple(ignore))
    make = Findings(catalog.rules)
    patterns = (*config.exclude, *((os.getcwd(), pattern) for pattern in exclude))
    given = [str(p) for p in paths]
    given += [model for model in config.models if model not in given]  # the configuration's model files
    focus: set[str] | None = None
    given_files = [p for p in given if p != STDIN and os.path.isfile(p)]
    roots = model_roots(given_files, config.path) if model_aware and given_files else []
    if roots:  # the given paths are what is reported; their models are read as context
        focus = {s.display for s in discover(given, patterns, config.include, follow_links=follow_links,
                                             limits=config.limits)}
        given = [*roots, *given]
    sources = discover(given, patterns, config.include, follow_links=follow_links, limits=config.limits)
    jobs = jobs if jobs > 0 else cores()
    big = _size(sources) >= BIG and can_fork()
    settings = Settings(config.language, config.roles, config.tools, config.limits)
    hub = shared_hub()  # forked now, before this run reads anything
    if hub is not None:
        hub.preload(run_task)  # the engine imported in the hub while this process reads
    gathered = read_all(sources, settings, stdin, cache,
                        lambda function, items: pool_map(function, items, jobs if big else 1), overlay)
    works = gathered.works
    inputs = tuple(item.input for item in works)
    facts = numbered(works)
    findings = [make.problem(item.path, problem) for item in inputs for problem in item.problems]
    findings += [_not_read(unread, make) for item in works for unread in item.unread]
    selected = [r for r in engine_rules(catalog) if selection.keeps(r.id)]
    memo = _Memo(cache, gathered.key, selected) if cache is not None and gathered.key else None
    store = FileCache(cache, f"engine|{_engine_version()}", kind="parts") if cache is not None else None
    findings += _run_rules(selected, facts, make, jobs, hub, memo, store)
    findings = _bpmn_without_model(findings, works, make)
    findings, fixed = _suppress(findings, inputs, catalog, config, baseline, today or dt.date.today(), selection,
                                make)
    findings = deduplicate(f for f in findings if selection.keeps(f.rule))
    if focus is not None:
        works, inputs, findings = _focused(focus, works, findings)
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
    )


def _bpmn_without_model(findings: list[Finding], works: list[FileWork], make: Findings) -> list[Finding]:
    """A BPMN file has no USM model of its own: when no model lists its processes, that is said
    once for the file (USM0708), not once per process (USM0701)."""
    outside: dict[tuple[str, str], list[Finding]] = {}
    for finding in findings:
        if finding.rule == OUTSIDE_MODEL:
            outside.setdefault((finding.file, finding.subject), []).append(finding)
    dropped: set[Finding] = set()
    added = []
    for item in works:
        if not is_bpmn(item.input.path):
            continue
        islands = [f for name in dict.fromkeys(item.processes)
                   for f in outside.get((item.input.path, f"Process/{name}"), [])]
        if not islands:
            continue
        dropped.update(islands)
        names = ", ".join(dict.fromkeys(f.subject.removeprefix("Process/") for f in islands))
        first = min(islands)
        added.append(make.make(BPMN_WITHOUT_MODEL, item.input.path, first.line, first.column,
                               f"the BPMN file holds {len(islands)} process{'es' if len(islands) != 1 else ''} "
                               f"({names}) that no process model lists: add a ProcessModel (YAML) listing them "
                               "by name", f"File/{item.input.path}"))
    return [f for f in findings if f not in dropped] + added if added else findings


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


def _not_read(unread: Unread, make: Findings) -> Finding:
    """The info finding for a process whose language checks are skipped, saying why."""
    readable = ", ".join(supported())
    if unread.language:
        why = f"the text reads as '{unread.language}' ({unread.source})"
    else:
        why = "the language of its text could not be determined"
    return make.make(LANGUAGE_NOT_READ, unread.file, unread.line, unread.column,
                     f"language checks skipped: {why}; usm-rules reads {readable}; set `language` "
                     "if this is wrong", f"Process/{unread.name}")


def prepare_catalog(config: Config, rules: Iterable[str | Path] = (), cache: Path | None = None) -> Catalog:
    """The shipped rules plus packs, with the configuration's severities and ceilings; kept in
    the ``cache`` folder (when given), keyed by the rule files' paths and bytes."""
    catalog = _load_catalog([*config.rules, *rules], cache)
    try:
        return catalog.overridden(config.severity, config.ceilings)
    except KeyError as error:
        raise ConfigError(config.path or "configuration", error.args[0], "names no rule, rule name or requirement "
                          "(R0-R10); see `usm-rules rules`") from None


def _load_catalog(folders: list[str | Path], cache: Path | None) -> Catalog:
    if cache is None:
        return load_catalog(folders)
    files = rule_files(folders)
    memo = FileCache(cache, "catalog", kind="catalogs")
    raws = [path.read_bytes() for path, _ in files]
    key = memo.key("\0".join(f"{path}|{builtin}|{len(raw)}" for (path, builtin), raw in zip(files, raws, strict=True)),
                   b"".join(raws))
    found = memo.get(key)
    if isinstance(found, Catalog):
        return found
    catalog = load_catalog(folders)  # a broken rule file raises here, before anything is kept
    memo.put(key, catalog)
    return catalog


def _check_waivers(catalog: Catalog, config: Config) -> None:
    for index, waiver in enumerate(config.waivers):
        if catalog.expand(waiver.rule) is None:
            raise ConfigError(config.path or "configuration", f"waivers[{index}].rule",
                              f"'{waiver.rule}' names no rule; see `usm-rules rules`")


def _selection(catalog: Catalog, config: Config, select: tuple[str, ...], ignore: tuple[str, ...]) -> Selection:
    where = config.path or "configuration"
    labels = ("--select" if select else f"{where}: select", "--ignore" if ignore else f"{where}: ignore")
    return Selection(catalog, select or config.select, (*config.ignore, *ignore), labels)


def _suppress(findings: list[Finding], inputs: tuple[Input, ...], catalog: Catalog, config: Config,
              baseline: Baseline | None, today: dt.date, selection: Selection,
              make: Findings) -> tuple[list[Finding], tuple[str, ...]]:
    """Inline suppressions, then waivers, then the baseline: after the rules, in one place."""
    directives = [d for item in inputs for d in item.directives]
    findings = apply_directives(findings, directives, catalog.expand, make, selection.keeps, catalog.is_requirement)
    if config.waivers:
        shown = display_path(config.path or "")
        findings = apply_waivers(findings, config.waivers, shown, today, catalog.expand, make)
    if baseline is None:
        return findings, ()
    return apply_baseline(findings, baseline)


def _outcome(item: Input, catalog: Catalog) -> FileOutcome:
    if item.skipped:
        return FileOutcome(item.path, "skipped", 0)
    failed = any(catalog[p.rule].incomplete for p in item.problems)
    return FileOutcome(item.path, "error" if failed else "checked", item.document_count)


class _Memo:
    """The engine's matches for exactly these files' contents and these rules, kept in the cache:
    an unchanged tree is checked again without running the engine (or grouping its facts)."""

    def __init__(self, folder: Path, files: str, rules: list[EngineRule]) -> None:
        self._store = FileCache(folder, f"engine|{_engine_version()}", kind="runs")
        digest = hashlib.sha256(files.encode())
        for rule in rules:
            digest.update(f"|{rule.id}|".encode() + hashlib.sha256(rule.raw).digest())
        self._key = digest.hexdigest()

    def get(self) -> dict | None:
        found = self._store.get(self._key)
        return found if isinstance(found, dict) else None

    def put(self, outcomes: dict) -> None:
        if not any(isinstance(outcome, Crash) for outcome in outcomes.values()):  # a crash is never kept
            self._store.put(self._key, outcomes)


@functools.cache
def _engine_version() -> str:
    """The engine's identity (part of the engine memos' keys), looked up once per process: the
    hash of durable-rules' compiled extension, which does the matching (any rebuild or release
    of it is another engine; importlib.metadata alone would cost a warm run a tenth of its time)."""
    from importlib.util import find_spec

    spec = find_spec("durable_rules_engine")
    try:
        return hashlib.sha256(Path(spec.origin).read_bytes()).hexdigest() if spec and spec.origin else "unknown"
    except OSError:  # pragma: no cover - an engine that imports but cannot be read
        return "unknown"


def _run_rules(rules: list[EngineRule], facts: list[Fact], make: Findings, jobs: int,
               hub: Hub | None, memo: _Memo | None = None, store: FileCache | None = None) -> list[Finding]:
    outcomes = memo.get() if memo is not None else None
    if outcomes is None:
        outcomes = run_rules([(rule.id, rule.compiled) for rule in rules], [fact.attrs for fact in facts], jobs, hub,
                             store)
        if memo is not None:
            memo.put(outcomes)
    findings: list[Finding] = []
    for rule in rules:
        outcome = outcomes[rule.id]
        if isinstance(outcome, Crash):
            findings.append(make.crash(rule, outcome.problem))
            continue
        try:
            findings.extend(
                make.match(rule, rule.message, {alias: facts[fid - 1] for alias, fid in match.fids},
                           rule.report_fact, rule.report_at)
                for match in outcome
            )
        except Exception as error:  # noqa: BLE001 - a message template that does not fit: the rule's crash
            findings.append(make.crash(rule, f"{type(error).__name__}: {error}"))
    return findings


__all__ = ["Request", "check_paths", "prepare_catalog", "run"]
