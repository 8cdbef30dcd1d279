"""The maturity ceiling over time: each commit that touched a model, checked as it was.

Evidence of improvement (ISO/IEC 20000-1 clause 10, every surveillance audit) is the ceiling's
history. :func:`history` walks the git history of a path with the git command line (each commit
that touched it, newest first), reads each version from git's object store (``git archive`` of
that commit's tree into a temporary folder: no checkout, the working tree untouched), checks it
with today's rules and configuration (so that the points compare), and keeps each result by the
tree's hash (a version checked once is never checked again, and two commits with the same tree
share one result). Never prints.
"""

from __future__ import annotations

import dataclasses
import io
import os
import subprocess
import tarfile
import tempfile
from collections import Counter
from pathlib import Path

from ..api import Request, run
from ..check.cache import FileCache
from ..check.catalog import prepare_catalog
from ..model.findings import Severity
from ..model.rules import rule_hash
from ..model.trend import History, Point


class HistoryError(Exception):
    """A path that is not in a git work tree, a revision git does not know, git missing: one line."""


def history(path: str, request: Request, *, since: str | None = None, max_commits: int = 50) -> History:
    """The model at ``path``, checked at each commit that touched it (at most ``max_commits``,
    only those after ``since`` when given), oldest first. Each version is checked as ``request``
    says (its configuration, rules, selection and cache; its paths are the version's folder)."""
    catalog = request.catalog or prepare_catalog(request.config, request.rules, request.cache)
    request = dataclasses.replace(request, catalog=catalog, baseline=None, stdin=None, overlay=None,
                                  model_aware=False)
    cache = request.cache
    salt = f"{rule_hash(catalog)}|{request.config!r}|{request.select}|{request.ignore}|{request.exclude}"
    folder = Path(path) if Path(path).is_dir() else Path(path).parent
    root = Path(_git(["rev-parse", "--show-toplevel"], folder).strip())
    inside = os.path.relpath(os.path.abspath(path), root).replace(os.sep, "/")
    if inside.startswith("../"):
        raise HistoryError(f"{path}: not inside the git work tree {root}")
    revisions = f"{since}..HEAD" if since else "HEAD"
    log = _git(["log", f"--max-count={max_commits}", "--format=%H%x1f%cI%x1f%s", revisions, "--", inside], root)
    store = FileCache(cache, f"history|{salt}", kind="history") if cache is not None else None
    points = []
    for line in log.splitlines():
        commit, date, subject = line.split("\x1f", 2)
        tree = _git(["rev-parse", f"{commit}:{'' if inside == '.' else inside}"], root).strip()
        key = store.key(tree, b"") if store is not None else ""
        kept = store.get(key) if store is not None else None
        if not isinstance(kept, Point):
            kept = _checked(root, commit, inside, request, date, subject, tree)
            if store is not None:
                store.put(key, kept)
        points.append(Point(commit, date, subject, tree, kept.ceiling, kept.likely, kept.complete, kept.errors,
                            kept.warnings, kept.files, kept.processes, kept.requirements))
    return History(str(root), inside, tuple(reversed(points)))


def _checked(root: Path, commit: str, inside: str, request: Request, date: str, subject: str, tree: str) -> Point:
    with tempfile.TemporaryDirectory(prefix="usm-history-") as temporary:
        archive = subprocess.run(["git", "archive", "--format=tar", commit, "--", inside], cwd=root,
                                 capture_output=True, timeout=300)
        if archive.returncode != 0:
            raise HistoryError(f"git archive {commit[:10]}: {archive.stderr.decode(errors='replace').strip()}")
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            _extract(tar, temporary)
        result = run(dataclasses.replace(request, paths=(str(Path(temporary) / inside),)))
    counts = Counter(f.requirement for f in result.findings if f.counts)
    return Point(commit, date, subject, tree, result.maturity.ceiling, result.maturity.likely, result.complete,
                 result.count(Severity.ERROR), result.count(Severity.WARNING), len(result.files),
                 len(result.processes), tuple(counts.get(n, 0) for n in range(11)))


def _extract(tar: tarfile.TarFile, folder: str) -> None:
    """Regular files and folders only, never outside ``folder`` (a link in a history is not read)."""
    if hasattr(tarfile, "data_filter"):  # Python 3.12, and 3.10.12 and 3.11.4 on
        tar.extractall(folder, members=[m for m in tar.getmembers() if m.isfile() or m.isdir()], filter="data")
        return
    base = os.path.realpath(folder)  # pragma: no cover - older patch releases
    for member in tar.getmembers():  # pragma: no cover
        target = os.path.realpath(os.path.join(base, member.name))
        if (member.isfile() or member.isdir()) and (target == base or target.startswith(base + os.sep)):
            tar.extract(member, folder)


def _git(args: list[str], cwd: Path) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=120)
    except FileNotFoundError:
        raise HistoryError("git is not installed (history reads the model's versions with it)") from None
    except OSError as error:
        raise HistoryError(f"git: {error.strerror or error}") from None
    if done.returncode != 0:
        message = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"git {args[0]} failed"
        raise HistoryError(f"{cwd}: {message}")
    return done.stdout
