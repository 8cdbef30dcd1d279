"""Child processes: a pool for work spread over the cores, and one process per task where a
task must not outlive its work (the rule engine never frees what it holds).

Children come from a fork server (a small process started once, with the modules the work
needs already imported) when the run is big: forking the main process instead would copy
every page it holds into each child's resident size. A small run forks the main process
directly, which costs a few milliseconds instead of a server's start. Where the platform
cannot fork, ``jobs=1`` runs the work in this process.
"""

from __future__ import annotations

import faulthandler
import multiprocessing
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.connection import Connection, wait
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

PRELOAD = ["usm_rules.engine", "usm_rules.filework"]


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return os.cpu_count() or 1


def context(big: bool) -> Any:
    """The start method for children: fork server for big runs, fork for small ones, else spawn."""
    methods = multiprocessing.get_all_start_methods()
    if big and "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(PRELOAD)
        return ctx
    if "fork" in methods:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")  # pragma: no cover - Windows


def can_isolate() -> bool:
    """Whether a task can run in a child cheaply (the platform forks)."""
    return "fork" in multiprocessing.get_all_start_methods()


def pool_map(function: Callable[[T], R], items: Sequence[T], jobs: int, big: bool) -> list[R]:
    """``function`` over ``items`` in order, on ``jobs`` processes (here, for one job)."""
    if jobs <= 1 or len(items) <= 1:
        return [function(item) for item in items]
    chunk = max(1, min(32, len(items) // (jobs * 8)))
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context(big)) as pool:
        return list(pool.map(function, items, chunksize=chunk))


def run_isolated(function: Callable[[T], R], tasks: Iterable[T], jobs: int, big: bool) -> list[R | None]:
    """Each task in a child process of its own, at most ``jobs`` at once, results in task order;
    None for a task whose child died (a crash in C code costs that task, not the run)."""
    ctx = context(big)
    pending = list(enumerate(tasks))
    results: list[R | None] = [None] * len(pending)
    running: dict[Connection, tuple[int, Any]] = {}
    while pending or running:
        while pending and len(running) < max(1, jobs):
            index, task = pending.pop(0)
            receiver, sender = ctx.Pipe(duplex=False)
            child = ctx.Process(target=_child, args=(function, task, sender), daemon=True)
            child.start()
            sender.close()
            running[receiver] = (index, child)
        for ready in wait(list(running)):
            receiver = ready if isinstance(ready, Connection) else None
            assert receiver is not None, "only pipes are waited on"
            index, child = running.pop(receiver)
            try:
                results[index] = receiver.recv()
            except EOFError:
                results[index] = None
            finally:
                receiver.close()
                child.join()
    return results


def _child(function: Callable[[Any], Any], task: Any, sender: Connection) -> None:
    faulthandler.disable()  # a crash here is reported by the caller, not as a C traceback
    try:
        sender.send(function(task))
    finally:
        sender.close()
