"""When the language server checks its open documents, and what a check reads.

A check reads the open documents' text and the rest of their model from disk, which can take
seconds on a big document (minutes, on one near the file-size limit). It runs in a thread of its
own (:class:`Checks`), one at a time, so the server's loop goes on answering hovers, code
actions and shutdown meanwhile; what is asked for while one runs is checked once it ends, in one
check for all the asks, on the documents as they are then. A check cannot be stopped half way
(the pipeline has no such point), so its result is dropped instead for every document changed
or closed since it read them (the server's to decide, where it publishes).

The text is read as ``check`` reads a file (:func:`check_documents`): the open documents are the
run's overlay, under the workspace configuration's limits, so a document over the file-size limit
is one finding that says so, never read.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..model.findings import Finding
from ..model.rules import Catalog


@dataclass(frozen=True)
class OpenDocument:
    """An open document as a check reads it: taken in the server's loop, read in the check's thread."""

    uri: str  # as the client spells it
    path: Path
    text: str
    version: int | None


@dataclass(frozen=True)
class Outcome:
    """What a check gives: each document's diagnostics by URI (as ``present`` made them), or why
    there are none, for the user."""

    shown: dict[str, list[Any]]
    catalog: Catalog | None = None
    message: str | None = None


Present = Callable[[OpenDocument, Sequence[Finding], Catalog, str], list[Any]]


def check_documents(cache: Path | None, present: Present, documents: Sequence[OpenDocument]) -> Outcome:
    """The documents checked in their model, each one's findings made diagnostics by ``present``
    (with the rules in force and the configured docs-url); never raises."""
    from ..check.selection import SelectionError
    from ..model.errors import CatalogError
    from ..model.limits import LimitError
    from ..read.config import ConfigError

    try:
        return _checked(cache, present, documents)
    except (ConfigError, CatalogError, SelectionError, LimitError) as error:  # the user's to fix: say so
        return Outcome({}, message=f"usm-rules: {error}")
    except Exception as error:  # noqa: BLE001 - a bug (or memory exhausted): said, and the server goes on serving
        return Outcome({}, message=f"usm-rules: internal error: {summary(error)}; please report this")


def _checked(cache: Path | None, present: Present, documents: Sequence[OpenDocument]) -> Outcome:
    from ..api import Request, run
    from ..read.config import config_for

    paths = [str(document.path) for document in documents]
    # the text as the editor holds it: a lone surrogate stays one, for the decoder to report
    overlay = {str(document.path.resolve()): document.text.encode("utf-8", "surrogatepass") for document in documents}
    config = config_for(paths)
    result = run(Request(paths=tuple(paths), config=config, cache=cache, model_aware=True, overlay=overlay))
    by_path: dict[str, list[Finding]] = {}
    for finding in result.findings:
        if finding.counts:
            by_path.setdefault(str(Path(finding.file).resolve()), []).append(finding)
    return Outcome({document.uri: present(document, by_path.get(str(document.path.resolve()), []), result.catalog,
                                          config.docs_url) for document in documents}, result.catalog)


class Checks:
    """One check at a time, in a thread of its own: ``check`` runs there, ``publish`` and ``again``
    in the server's loop (``again``: take the documents anew, for what was asked meanwhile)."""

    def __init__(self, check: Callable[[Sequence[OpenDocument]], Outcome],
                 publish: Callable[[Sequence[OpenDocument], Outcome], None], again: Callable[[], None]) -> None:
        self._check = check
        self._publish = publish
        self._again = again
        self.running = False
        self._asked = False  # since the running check began

    def ask(self, documents: Sequence[OpenDocument]) -> None:
        """Check ``documents`` now, or once the running check has ended (called in the loop)."""
        if self.running:
            self._asked = True
            return
        if not documents:
            return
        self.running = True
        threading.Thread(target=self._run, args=(asyncio.get_running_loop(), documents), name="usm-rules check",
                         daemon=True).start()

    def _run(self, loop: asyncio.AbstractEventLoop, documents: Sequence[OpenDocument]) -> None:
        outcome = self._check(documents)
        with suppress(RuntimeError):  # the loop is closed: the server has stopped
            loop.call_soon_threadsafe(self._done, documents, outcome)

    def _done(self, documents: Sequence[OpenDocument], outcome: Outcome) -> None:
        self.running = False
        self._publish(documents, outcome)
        if self._asked:
            self._asked = False
            self._again()


def summary(error: BaseException) -> str:
    """An exception in one line: its type and the first line of its text."""
    text = str(error).split("\n", 1)[0][:300]
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
