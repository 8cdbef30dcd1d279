"""One file's share of a run: read it, decide each process's language, build its facts.

Everything here depends on the file's bytes and the reading settings alone, never on other
files, so files are read on every core (:func:`read_all`) and the outcome of one can be kept
in the cache (:mod:`usm_rules.check.cache`). The documents are dropped once their facts are built:
what later stages need is in the :class:`FileWork`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..language.detection import Reading, reading
from ..language.lexicons import reader, supported
from ..language.reader import Reader
from ..model.documents import Document
from ..model.inputs import Input
from ..model.limits import Limits
from ..model.results import DocumentLanguage
from ..read.discovery import Source, read_source
from ..read.files import NotRead
from ..read.formats.yaml_reader import DEFAULT_LIMITS
from ..read.inputs import read_input
from .cache import FileCache
from .facts import Fact, build_facts


@dataclass(frozen=True)
class Settings:
    """What reading a file depends on besides its bytes (part of every cache key)."""

    language: str = "auto"
    roles: tuple[str, ...] = ()
    tools: tuple[str, ...] = ()
    limits: Limits = DEFAULT_LIMITS


@dataclass(frozen=True)
class Unread:
    """A process whose language checks are skipped, and why: where its name stands."""

    file: str
    line: int
    column: int
    name: str
    language: str
    source: str


@dataclass(frozen=True)
class FileWork:
    """What one file gives the run. Fact ids (``fid``) count from 1 within the file, valid
    documents' facts first; the run numbers them anew (:func:`numbered`)."""

    input: Input
    facts: tuple[Fact, ...] = ()  # of the valid documents
    declared: tuple[Fact, ...] = ()  # what the schema-invalid documents declare
    processes: tuple[str, ...] = ()  # names of the valid Process documents, in order
    languages: tuple[DocumentLanguage, ...] = ()
    unread: tuple[Unread, ...] = ()


def work(source: Source, settings: Settings, stdin: bytes | None = None,
         raw: bytes | NotRead | None = None) -> FileWork:
    """Read one source and build its facts."""
    read = read_input(source, stdin, raw, settings.limits)
    readings = {id(d): reading(d.data, settings.language) for d in read.documents if d.data["kind"] == "Process"}
    facts = build_facts(read.documents, (), lambda d: _reader(readings.get(id(d)), settings))
    declared = build_facts((), read.invalid)
    processes = [d for d in read.documents if id(d) in readings]
    return FileWork(
        input=read.input, facts=tuple(facts), declared=tuple(declared),
        processes=tuple(d.data["metadata"]["name"] for d in processes),
        languages=tuple(DocumentLanguage(d.file, d.line, d.data["metadata"]["name"], readings[id(d)].language,
                                         readings[id(d)].source) for d in processes),
        unread=tuple(_unread(d, readings[id(d)]) for d in processes if readings[id(d)].language not in supported()),
    )


def _unread(document: Document, read: Reading) -> Unread:
    line, column = document.positions.value(("metadata", "name"))
    return Unread(document.file, line, column, document.data["metadata"]["name"], read.language, read.source)


def _reader(read: Reading | None, settings: Settings) -> Reader | None:
    """The language checks for a document read in a supported language (with the organisation's
    own names), else None."""
    if read is None or read.language not in supported():
        return None
    return _extended(read.language, settings.roles, settings.tools)


@cache
def _extended(language: str, roles: tuple[str, ...], tools: tuple[str, ...]) -> Reader:
    """Each language's reader, made once per process, when first needed."""
    return reader(language).extended(roles, tools)


def numbered(works: Sequence[FileWork]) -> list[Fact]:
    """Every file's facts in one list, numbered in reading order: the valid documents' facts
    of every file, then what the invalid ones declare (as if read in one pass)."""
    facts = [fact for item in works for fact in item.facts] + [fact for item in works for fact in item.declared]
    for fid, fact in enumerate(facts, 1):
        fact.attrs["fid"] = fid
    return facts


@dataclass(frozen=True)
class Gathered:
    """Every source's work, in order, and the run's content key: a hash of every file's cache
    key (None without a cache, or when a source cannot be keyed, such as standard input)."""

    works: list[FileWork]
    key: str | None


def read_all(sources: Sequence[Source], settings: Settings, stdin: bytes | None, cache_folder: Path | None,
             map_files: Callable[[Callable[[_Job], FileWork], Sequence[_Job]], list[FileWork]],
             overlay: Mapping[str, bytes] | None = None) -> Gathered:
    """Every source's work, read by ``map_files`` (in this process or a pool). With a cache
    folder, the files whose bytes were read before are taken from the cache here, and only
    the others are read (and then kept in the cache). ``overlay`` gives the bytes of some files
    by real path (an editor's unsaved text), read instead of the disk's."""
    given = [_overlaid(s, overlay) for s in sources] if overlay else [None] * len(sources)
    if cache_folder is None:
        return Gathered(map_files(_Worker(settings, stdin, None), [(s, raw, None) for s, raw in
                                                                   zip(sources, given, strict=True)]), None)
    store = _cache(cache_folder, settings)
    raws = [read_source(s, stdin, settings.limits) if raw is None else raw
            for s, raw in zip(sources, given, strict=True)]
    keys = [store.key(s.display, raw) if s.path is not None and isinstance(raw, bytes) else None
            for s, raw in zip(sources, raws, strict=True)]
    found: list[FileWork | None] = [_hit(store.get(key)) if key else None for key in keys]
    missing = [i for i, work_found in enumerate(found) if work_found is None]
    jobs: list[_Job] = [(sources[i], raws[i], keys[i]) for i in missing]
    for i, done in zip(missing, map_files(_Worker(settings, stdin, cache_folder), jobs), strict=True):
        found[i] = done
    works = [w for w in found if w is not None]
    run_key = None if None in keys else hashlib.sha256("|".join(k for k in keys if k).encode()).hexdigest()
    return Gathered(works, run_key)


def _overlaid(source: Source, overlay: Mapping[str, bytes]) -> bytes | None:
    """The bytes an overlay gives a source (a file that need not exist on disk yet: an editor's new
    document, standard input named by --stdin-filename), or None."""
    if source.path is None or (source.problem is not None and not source.problem.missing):
        return None
    try:
        return overlay.get(str(source.path.resolve()))
    except (OSError, RuntimeError):
        return None


def _hit(value: object) -> FileWork | None:
    return value if isinstance(value, FileWork) else None


_Job = tuple[Source, "bytes | NotRead | None", "str | None"]  # a source, its bytes if read, its cache key


@dataclass(frozen=True)
class _Worker:
    """``work`` with the run's settings, picklable for a pool; keeps what it reads in the cache."""

    settings: Settings
    stdin: bytes | None
    cache_folder: Path | None

    def __call__(self, job: _Job) -> FileWork:
        source, raw, key = job
        if source.path is None:
            return work(source, self.settings, self.stdin)
        done = work(source, self.settings, raw=raw)
        if self.cache_folder is not None and key is not None:
            _cache(self.cache_folder, self.settings).put(key, done)
        return done


@cache
def _cache(folder: Path, settings: Settings) -> FileCache:
    return FileCache(folder, repr(settings))


__all__ = ["FileWork", "Gathered", "Settings", "Unread", "numbered", "read_all", "work"]
