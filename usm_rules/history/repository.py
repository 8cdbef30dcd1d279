"""Asking git about a repository's history, with nothing a user typed ever read as an option.

Every git command here runs with ``GIT_LITERAL_PATHSPECS`` (a path is a path: no ``*`` or
``:(exclude)`` magic), and takes a user's value only after ``--`` (paths) or after validating
it as a commit (``rev-parse --verify --end-of-options VALUE^{commit}``): a ``--since`` of
``--output=FILE`` is a revision git does not know, never an option of ``git log``. Output is
read NUL-separated (``-z``), so no name or subject can break a record.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

TIMEOUT = 120  # seconds for one git command that lists (never one that reads a blob)
_SETTINGS = ("-c", "log.showSignature=false", "-c", "color.ui=never",  # whatever the user's configuration says
             "-c", "i18n.logOutputEncoding=UTF-8")


class HistoryError(Exception):
    """A path that is not in a git work tree, a revision git does not know, git missing: one line."""

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(message.split()))  # one line, whatever a value held


@dataclass(frozen=True)
class Commit:
    commit: str
    tree: str  # the commit's root tree
    date: str  # committer date, ISO 8601
    subject: str


@dataclass(frozen=True)
class Entry:
    """One entry of a tree, as ``git ls-tree --long`` lists it: a blob, a link or a submodule."""

    mode: str  # 100644, 100755 (files), 120000 (a symbolic link), 160000 (a submodule), 040000 (a tree)
    kind: str  # blob, commit (a submodule) or tree
    oid: str
    size: int  # bytes of a blob (0 for a submodule)
    path: str  # from the work tree's root, as the file system names it

    @property
    def is_file(self) -> bool:
        return self.kind == "blob" and self.mode.startswith("100")  # 100644, 100755 (and old git's 100664)

    @property
    def is_link(self) -> bool:
        return self.mode == "120000"


def environment() -> dict[str, str]:
    return {**os.environ, "GIT_LITERAL_PATHSPECS": "1", "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0"}


def toplevel(folder: Path) -> Path:
    """The root of the work tree that holds ``folder``."""
    return Path(os.fsdecode(git(["rev-parse", "--show-toplevel"], folder)).strip())


def commit_of(root: Path, revision: str, option: str) -> str:
    """The commit a user's revision names, or a :class:`HistoryError` naming the option."""
    try:
        return git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}"],
                   root).decode().strip()
    except HistoryError:
        raise HistoryError(f"{option} {revision!r}: no such commit in this repository") from None


def commits(root: Path, inside: str, since: str | None, max_commits: int) -> list[Commit]:
    """The commits that touched ``inside``, newest first (after the commit ``since``, when given)."""
    revisions = f"{since}..HEAD" if since else "HEAD"
    raw = git(["log", "--no-follow", "--no-color", "-z", f"--max-count={max_commits}",
               "--format=%H%x00%T%x00%cI%x00%s", revisions, "--", inside], root)
    fields = raw.decode("utf-8", "replace").split("\0")
    return [Commit(*fields[i:i + 4]) for i in range(0, len(fields) - 3, 4)]


def entry(root: Path, commit: str, inside: str) -> Entry | None:
    """The tree or blob at ``inside`` in a commit (its oid keys the version), or None where it is absent."""
    listed = _entries(git(["ls-tree", "-z", "--long", commit, "--", inside], root))
    return next((found for found in listed if found.path == inside), None)


def entries(root: Path, commit: str, inside: str) -> list[Entry]:
    """Every blob, link and submodule at or below ``inside`` in a commit, with its size."""
    return _entries(git(["ls-tree", "-r", "-z", "--long", commit, "--", inside], root))


def _entries(raw: bytes) -> list[Entry]:
    found = []
    for record in raw.split(b"\0"):
        if not record:
            continue
        meta, _, path = record.partition(b"\t")
        mode, kind, oid, size = meta.split()
        found.append(Entry(mode.decode(), kind.decode(), oid.decode(), int(size) if size.isdigit() else 0,
                           os.fsdecode(path)))
    return found


def git(args: list[str], cwd: Path) -> bytes:
    """git's standard output, or a :class:`HistoryError` with the last line it said."""
    try:
        done = subprocess.run(["git", *_SETTINGS, *args], cwd=cwd, capture_output=True, timeout=TIMEOUT,
                              env=environment(), stdin=subprocess.DEVNULL)
    except FileNotFoundError:
        raise HistoryError("git is not installed (history reads the model's versions with it)") from None
    except subprocess.TimeoutExpired:
        raise HistoryError(f"git {args[0]} took more than {TIMEOUT} s") from None
    except OSError as error:
        raise HistoryError(f"git: {error.strerror or error}") from None
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip()
        raise HistoryError(f"{cwd}: {said.splitlines()[-1] if said else f'git {args[0]} failed'}")
    return done.stdout
