"""The maturity ceiling over time: each commit that touched a model, checked as it was.

Evidence of improvement (ISO/IEC 20000-1 clause 10, every surveillance audit) is the ceiling's
history. :func:`history` walks the git history of a path with the git command line (each commit
that touched it, newest first; a ``since`` is validated as a commit first, see
:mod:`.repository`), reads each version from git's object store blob by blob into a temporary
folder (no checkout, the working tree untouched; see :mod:`.version` for what is and is not
read), checks it with today's rules and configuration (so that the points compare), and keeps
each result by the tree's hash (a version checked once is never checked again, and two commits
with the same tree share one result). A commit where the path does not exist is a point
``absent``, and a version with no usm document ``empty`` (nothing to check): neither has a
ceiling. Never prints.
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
from collections import Counter
from pathlib import Path

from ..api import Request, run
from ..check.cache import FileCache
from ..check.catalog import prepare_catalog
from ..model.findings import Severity
from ..model.rules import rule_hash
from ..model.trend import ABSENT, CHECKED, EMPTY, History, Point
from ..read.config import Config
from .blobs import BlobReader
from .repository import Commit, Entry, HistoryError, commit_of, commits, entries, entry, toplevel
from .version import write_version

NO_COUNTS = (0,) * 11


def history(path: str, request: Request, *, since: str | None = None, max_commits: int = 50) -> History:
    """The model at ``path``, checked at each commit that touched it (at most ``max_commits``,
    only those after ``since`` when given), oldest first. Each version is checked as ``request``
    says (its configuration, rules, selection and cache; its paths are the version's folder)."""
    catalog = request.catalog or prepare_catalog(request.config, request.rules, request.cache)
    request = dataclasses.replace(request, catalog=catalog, baseline=None, stdin=None, overlay=None,
                                  model_aware=False, stdin_filename=None)
    salt = f"{rule_hash(catalog)}|{request.config!r}|{request.select}|{request.ignore}|{request.exclude}"
    root, inside = _located(path)
    start = commit_of(root, since, "--since") if since else None
    store = FileCache(request.cache, f"history|{salt}", kind="history") if request.cache is not None else None
    with BlobReader(root) as blobs:
        points = [_point(root, inside, found, request, store, blobs) for found in
                  commits(root, inside, start, max_commits)]
    return History(str(root), inside, tuple(reversed(points)))


def _located(path: str) -> tuple[Path, str]:
    """The work tree's root, and ``path`` inside it ("/"-separated, "." for all of it). The path
    need not exist today: its nearest existing folder names the repository."""
    given = Path(os.path.abspath(path))
    folder = given if given.is_dir() else given.parent
    while not folder.is_dir() and folder != folder.parent:
        folder = folder.parent
    root = toplevel(folder)
    # a folder by its real path (git names the root by its own); a file by its folder's, so that a
    # link given as PATH is the link, not where it points
    real = Path(os.path.realpath(given)) if given.is_dir() else Path(os.path.realpath(given.parent)) / given.name
    inside = os.path.relpath(real, root).replace(os.sep, "/")
    if inside == ".." or inside.startswith("../"):
        raise HistoryError(f"{path}: not inside the git work tree {root}")
    return root, inside


def _point(root: Path, inside: str, found: Commit, request: Request, store: FileCache | None,
           blobs: BlobReader) -> Point:
    """The version of ``found``: from the cache by its tree when checked before, else checked."""
    here = Entry("040000", "tree", found.tree, 0, ".") if inside == "." else entry(root, found.commit, inside)
    if here is None:
        return Point(found.commit, found.date, found.subject, "", 0, 0, False, 0, 0, 0, 0, NO_COUNTS, ABSENT)
    key = store.key(f"{inside}\0{here.oid}", b"") if store is not None else ""
    kept = store.get(key) if store is not None else None
    if not isinstance(kept, Point):
        kept = _checked(root, found.commit, inside, here.kind == "tree", request, blobs)
        if store is not None:
            store.put(key, kept)
    return dataclasses.replace(kept, commit=found.commit, date=found.date, subject=found.subject, tree=here.oid)


def _checked(root: Path, commit: str, inside: str, is_folder: bool, request: Request, blobs: BlobReader) -> Point:
    """One version written blob by blob to a temporary folder and checked there."""
    with tempfile.TemporaryDirectory(prefix="usm-history-") as temporary:
        folder = Path(temporary)
        if is_folder:  # there even when none of its files is written: checked, found empty
            (folder / inside).mkdir(parents=True, exist_ok=True)
        not_read = write_version(entries(root, commit, inside), inside, folder, blobs, request.config.limits,
                                lambda path: entry(root, commit, path))
        result = run(dataclasses.replace(request, paths=(str(folder / inside),), follow_links=False,
                                         config=_rebased(request.config, root, folder)))
    counts = Counter(f.requirement for f in result.findings if f.counts)
    state = CHECKED if any(not item.skipped and not item.missing for item in result.inputs) else EMPTY
    return Point(commit, "", "", "", result.maturity.ceiling, result.maturity.likely, result.complete,
                 result.count(Severity.ERROR), result.count(Severity.WARNING), len(result.files),
                 len(result.processes), tuple(counts.get(n, 0) for n in range(11)), state, not_read)


def _rebased(config: Config, root: Path, folder: Path) -> Config:
    """The configuration's exclusions and inclusions moved from the work tree to ``folder``, which
    holds the version at the same paths: a version is read as check reads its checkout."""
    def moved(base: str) -> str:
        if not base:  # a base placed by the run itself (the checked folder)
            return base
        relative = os.path.relpath(os.path.realpath(base), root)
        outside = relative == os.pardir or relative.startswith(os.pardir + os.sep)
        return base if outside else os.path.normpath(folder / relative)

    return dataclasses.replace(config, exclude=tuple((moved(b), p) for b, p in config.exclude),
                               include=tuple((moved(b), p) for b, p in config.include))


__all__ = ["HistoryError", "history"]
