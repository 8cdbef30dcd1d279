"""Child processes: a pool for work spread over the cores, and one process per task where a
task must not outlive its work (the rule engine never frees what it holds).

Children are forked, never spawned: a spawned child (or Python's fork server) runs the
caller's main module again, which a library must not ask of its callers. The first run forks a
:class:`Hub` first, while the process is still small and has no threads, and the hub forks each
isolated task: forking the main process late would give every child the resident size of
everything the run has read by then. Where the platform cannot fork, the work runs in this
process.
"""

from __future__ import annotations

import atexit
import contextlib
import faulthandler
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.connection import Connection, wait
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return os.cpu_count() or 1


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def pool_map(function: Callable[[T], R], items: Sequence[T], jobs: int) -> list[R]:
    """``function`` over ``items`` in order, on ``jobs`` forked processes (here, for one job).

    A process that already runs threads (a second run in a long-lived process, once the
    language detector has started its own) is not forked: the hub forks one child per job
    instead, and a slice whose child died is done here.
    """
    if jobs <= 1 or len(items) <= 1 or not can_fork():
        return [function(item) for item in items]
    if _threaded():
        hub = shared_hub()
        if hub is not None:
            size = -(-len(items) // jobs)
            slices = [list(items[i:i + size]) for i in range(0, len(items), size)]
            here = os.getcwd()  # the hub was forked by an earlier run, perhaps in another folder
            done = hub.run(_apply_all, [(function, part, here) for part in slices], jobs)
            return [result for part, found in zip(slices, done, strict=True)
                    for result in (found if found is not None else [function(item) for item in part])]
    chunk = max(1, min(16, len(items) // (jobs * 8)))
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork"),
                               initializer=_pool_child)
    _pools.add(pool)
    try:
        return list(pool.map(function, items, chunksize=chunk))
    except BaseException:  # an interrupt, or a worker that died: no worker may outlive this call
        _kill_pool(pool)
        raise
    finally:
        _pools.discard(pool)
        pool.shutdown(wait=True, cancel_futures=True)


_pools: set[ProcessPoolExecutor] = set()


def _kill_pool(pool: ProcessPoolExecutor) -> None:
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        with contextlib.suppress(OSError, ValueError):
            process.kill()


def stop_children() -> None:
    """Kill every child this process started (pool workers, the hub and the hub's children) at
    once: for an interrupted run, which must leave no process behind. Waits for them to go."""
    for pool in list(_pools):
        _kill_pool(pool)
    with contextlib.suppress(Exception):
        if _shared is not None:
            _shared.kill()


def _orphan_guard() -> None:
    """In a forked child: die with the parent (Linux), even one killed outright; and never
    outlive a parent that is already gone."""
    parent = os.getppid()
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the caller's handler is the caller's
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before the guard was set
        os._exit(1)


def _pool_child() -> None:
    """A pool worker: interrupts are the parent's to handle (it stops the workers)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _orphan_guard()


def _apply_all(job: tuple[Callable[[Any], Any], list[Any], str]) -> list[Any]:
    function, items, folder = job
    os.chdir(folder)  # relative paths mean what they mean to the caller
    return [function(item) for item in items]


def _threaded() -> bool:
    """Whether this process runs more than one thread (native ones included where /proc tells)."""
    try:
        return len(os.listdir("/proc/self/task")) > 1
    except OSError:  # pragma: no cover - no /proc (macOS): Python's own threads only
        return threading.active_count() > 1


class Hub:
    """A small process, forked before a run grows, that forks the isolated tasks for it.

    Forked early, it also has no threads: the language detector starts some once it has read a
    text, and forking a process that has threads can deadlock the child.
    """

    def __init__(self) -> None:
        ctx = multiprocessing.get_context("fork")
        self._connection, theirs = ctx.Pipe()
        self._process = ctx.Process(target=_serve, args=(theirs,))
        self._process.start()
        theirs.close()
        self._lock = threading.Lock()

    def run(self, function: Callable[[T], R], tasks: list[T], jobs: int) -> list[R | None]:
        """As :func:`run_isolated`, forked from the hub; None for a task if the hub is gone.

        Tasks go to the hub a few at a time: whatever the hub holds, each child it forks
        holds too (in its resident size, at least).
        """
        results: list[R | None] = []
        step = 2 * max(1, jobs)
        with self._lock:
            for start in range(0, len(tasks), step):
                batch = tasks[start:start + step]
                try:
                    self._connection.send((function, batch, jobs))
                    results += self._connection.recv()
                except (EOFError, OSError):
                    results += [None] * len(batch)
        return results

    def preload(self, *functions: Callable[..., Any]) -> None:
        """Have the hub import the modules of ``functions`` now, while the caller goes on
        reading: a function travels by reference (its module and name), so receiving it imports
        its module in the hub, once, and every child the hub forks later has it already."""
        with self._lock, contextlib.suppress(OSError):
            self._connection.send(("preload", functions))

    def alive(self) -> bool:
        return self._process.is_alive()

    def close(self) -> None:
        if self._connection.closed:
            return
        with contextlib.suppress(OSError):  # the hub is gone already
            self._connection.send(None)
        self._connection.close()
        self._process.join(timeout=5)
        if self._process.is_alive():  # pragma: no cover - a hub stuck in a task: not waited on forever
            self.kill()

    def kill(self) -> None:
        """Stop the hub and every child it runs, and reap it: the hub kills and reaps its own
        children on SIGTERM; one that does not stop in time is killed with its whole group."""
        pid = self._process.pid
        if pid is not None and self._process.is_alive():
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGTERM)
            self._process.join(timeout=3)
            if self._process.is_alive():  # pragma: no cover - a hub that does not answer SIGTERM
                with contextlib.suppress(OSError):
                    os.killpg(pid, signal.SIGKILL)
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
                self._process.join(timeout=3)
        with contextlib.suppress(OSError):
            self._connection.close()


def _serve(connection: Connection) -> None:
    """The hub's loop: run each batch of tasks it is sent until told to stop (or orphaned).

    A ``preload`` message needs no answer: receiving it imported what its functions need (the
    rule engine), once, so that every child the hub forks has it already (the command line forks
    the hub before it imports the rest of usm-rules, to keep it small).
    """
    with contextlib.suppress(OSError):
        os.setpgid(0, 0)  # a group of its own: a terminal's Ctrl-C goes to the caller, who stops the hub
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _orphan_guard()
    signal.signal(signal.SIGTERM, _exit_on_signal)  # run_isolated then stops and reaps its children
    while True:
        try:
            message = connection.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        if message[0] == "preload":
            continue
        function, tasks, jobs = message
        connection.send(run_isolated(function, tasks, jobs))


_shared: Hub | None = None
_shared_lock = threading.Lock()


def shared_hub() -> Hub | None:
    """This process's hub, forked at its first run, before the run reads anything (None where
    the platform cannot fork). Later runs share it; it stops when the interpreter exits."""
    global _shared
    if not can_fork():
        return None
    with _shared_lock:
        if _shared is None or not _shared.alive():
            _shared = Hub()
            atexit.register(_shared.close)
        return _shared


def close_shared_hub() -> None:
    """Stop this process's hub; the next run forks a new one (from the process as it is then)."""
    global _shared
    with _shared_lock:
        if _shared is not None:
            _shared.close()
            _shared = None


def run_isolated(function: Callable[[T], R], tasks: Iterable[T], jobs: int) -> list[R | None]:
    """Each task in a forked child process of its own, at most ``jobs`` at once, results in task
    order; None for a task whose child died (a crash in C code costs that task, not the run)."""
    ctx = multiprocessing.get_context("fork")
    pending = list(enumerate(tasks))
    results: list[R | None] = [None] * len(pending)
    running: dict[Connection, tuple[int, Any]] = {}
    try:
        _run_all(ctx, function, pending, results, running, jobs)
    finally:  # stopped (SIGTERM, an interrupt): no child outlives the call, none is left unreaped
        for receiver, (_, child) in running.items():
            with contextlib.suppress(OSError, ValueError):
                child.kill()
            child.join()
            receiver.close()
    return results


_children: dict[int, Any] = {}  # in the hub: the isolated tasks' processes running now, by pid


def _exit_on_signal(signum: int, frame: object) -> None:
    """The hub told to stop: kill and reap every task it runs, then exit at once (not by raising,
    which a fork in progress would swallow)."""
    for pid in list(_children):
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    for pid in list(_children):
        with contextlib.suppress(OSError):
            os.waitpid(pid, 0)
    os._exit(128 + signum)


def _run_all(ctx: Any, function: Callable[[Any], Any], pending: list[tuple[int, Any]], results: list[Any],
             running: dict[Connection, tuple[int, Any]], jobs: int) -> None:
    while pending or running:
        while pending and len(running) < max(1, jobs):
            index, task = pending.pop(0)
            receiver, sender = ctx.Pipe(duplex=False)
            child = ctx.Process(target=_child, args=(function, task, sender), daemon=True)
            child.start()
            if child.pid is not None:
                _children[child.pid] = child
            sender.close()
            running[receiver] = (index, child)
        for ready in wait(list(running)):
            assert isinstance(ready, Connection), "only pipes are waited on"
            index, child = running.pop(ready)
            try:
                results[index] = ready.recv()
            except EOFError:
                results[index] = None
            finally:
                ready.close()
                child.join()
                _children.pop(child.pid, None)


def _child(function: Callable[[Any], Any], task: Any, sender: Connection) -> None:
    faulthandler.disable()  # a crash here is reported by the caller, not as a C traceback
    _orphan_guard()
    try:
        sender.send(function(task))
    finally:
        sender.close()
