"""Articles users add are parsed in a bounded worker process, never in the server's own.

A hostile file (slow or memory-hungry to parse) must not stall or kill the server for everyone.
So the app hands each upload, paste or loaded page to a small pool of worker processes, each
started from a single-threaded fork server (never ``fork`` from the threaded server itself):

- each worker caps its own address space (``RLIMIT_AS``) and, per job, its CPU time
  (``RLIMIT_CPU``: the kernel kills a worker that overruns it); the server waits at most the
  wall-clock limit, then kills the worker;
- a job past any limit fails with one plain :class:`~dashboard.errors.ParseError`
  (:data:`TOO_COMPLEX`), and only that job's worker is replaced: jobs in the other workers go on;
- at most ``workers`` jobs run and ``queue`` more wait; one more gets
  :class:`~dashboard.errors.BusyError` at once.

The settings are ``ARTICLE_LENS_PARSE_*`` (:mod:`dashboard.settings`), read when the pool starts.
The CLI parses in-process.
"""

from __future__ import annotations

import concurrent.futures as cf
import logging
import math
import multiprocessing
import multiprocessing.spawn
import queue
import resource
import threading
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

from . import settings
from .errors import BusyError, ParseError
from .model import Article

TOO_COMPLEX = "this file is too complex to parse within the server's limits"
BUSY = "the server is busy parsing other articles; try again in a moment"
log = logging.getLogger(__name__)
_START_SECONDS = 60.0  # a worker that cannot start in this time is a server fault, not the file's
_PRELOAD = ["dashboard.worker", "dashboard.parse"]  # imported once in the fork server: workers start warm


def _workers_skip_main() -> None:
    """A new worker would run the server's ``__main__`` again (multiprocessing does, to find
    functions defined there): under Streamlit that is the app script itself, which would draw the
    page, import pandas and plotly and fill the worker's memory. The workers only run functions
    of this package, so they skip it. This runs on import of this module, which the fork server
    preloads, so each worker it forks inherits it; in the server itself these functions are
    never called (only a child process prepares its ``__main__``)."""
    for name in ("_fixup_main_from_path", "_fixup_main_from_name"):
        setattr(multiprocessing.spawn, name, lambda _main: None)


_workers_skip_main()


@dataclass(frozen=True)
class Limits:
    workers: int
    queue: int  # jobs that may wait for a worker
    seconds: float  # wall clock per job (and, rounded up, CPU seconds)
    memory_bytes: int  # address space of a worker

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            settings.parse_workers(), settings.parse_queue(), settings.parse_seconds(), settings.parse_memory_bytes()
        )


# ------------------------------------------------------------------ in the worker process


def _start_worker(memory_bytes: int) -> None:
    """Pool initializer: cap the worker's address space for its whole life."""
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))


def _ready() -> bool:
    return True


def _parse(data: bytes, name: str, fmt: str | None, origin: str | None) -> Article:
    from .parse import parse_bytes

    return parse_bytes(data, name, fmt, origin)


def _job(cpu_seconds: int, work: Callable[..., Any], args: tuple) -> tuple[Any, bool]:
    """Run ``work(*args)`` with ``cpu_seconds`` more CPU time than this worker has used so far
    (the kernel ends the worker past it); returns the result and whether the worker should be
    replaced (a thread the parser abandoned is still running)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    used = math.ceil(usage.ru_utime + usage.ru_stime)
    resource.setrlimit(resource.RLIMIT_CPU, (used + cpu_seconds, resource.RLIM_INFINITY))
    try:
        result = work(*args)
    except MemoryError:
        raise ParseError(TOO_COMPLEX) from None
    return result, threading.active_count() > 1


# ------------------------------------------------------------------ in the server


class _Slot:
    """One worker process, in an executor of its own, so killing it touches no other job."""

    def __init__(self, limits: Limits):
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(_PRELOAD)
        self.executor = cf.ProcessPoolExecutor(
            1, mp_context=context, initializer=_start_worker, initargs=(limits.memory_bytes,)
        )
        # start the worker now, so its start-up does not count against the first parse's time
        try:
            self.executor.submit(_ready).result(timeout=_START_SECONDS)
        except BaseException:
            self.kill()
            raise

    def kill(self) -> None:
        for process in list((self.executor._processes or {}).values()):  # no public way to kill one
            process.kill()
        self.executor.shutdown(wait=False, cancel_futures=True)


class Pool:
    """The bounded worker pool; :func:`parse` uses one shared by the whole server."""

    def __init__(self, limits: Limits | None = None):
        self.limits = limits or Limits.from_settings()
        self._free: queue.SimpleQueue[_Slot | None] = queue.SimpleQueue()
        for _ in range(self.limits.workers):
            self._free.put(None)  # a slot whose worker starts on first use
        self._admitted = threading.BoundedSemaphore(self.limits.workers + self.limits.queue)
        self._slots: set[_Slot] = set()
        self._lock = threading.Lock()

    def run(self, work: Callable[..., Any], *args: Any) -> Any:
        """``work(*args)`` in a worker (``work`` must be a module-level function); BusyError when
        every worker is busy and the queue is full, ParseError(TOO_COMPLEX) past a limit."""
        if not self._admitted.acquire(blocking=False):
            raise BusyError(BUSY)
        try:
            slot = self._free.get()  # waits for a worker: at most `queue` jobs get here at once
            replace = False
            try:
                if slot is None:
                    slot = _Slot(self.limits)
                    with self._lock:
                        self._slots.add(slot)
                future = slot.executor.submit(_job, math.ceil(self.limits.seconds), work, args)
                try:
                    result, replace = future.result(timeout=self.limits.seconds)
                except (TimeoutError, BrokenProcessPool) as e:
                    replace = True
                    log.warning("a parse worker was stopped past its limits: %r", e)
                    raise ParseError(TOO_COMPLEX) from None
                return result
            finally:
                if slot is not None and replace:
                    self._retire(slot)
                    slot = None
                self._free.put(slot)
        finally:
            self._admitted.release()

    def _retire(self, slot: _Slot) -> None:
        with self._lock:
            self._slots.discard(slot)
        slot.kill()

    def close(self) -> None:
        """Kill every worker (a job still running fails with TOO_COMPLEX)."""
        with self._lock:
            slots, self._slots = list(self._slots), set()
        for slot in slots:
            slot.kill()


_pool: Pool | None = None
_pool_lock = threading.Lock()


def pool() -> Pool:
    """The server's pool, started on first use with the settings of that moment."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = Pool()
        return _pool


def parse(data: bytes, name: str, fmt: str | None = None, origin: str | None = None) -> Article:
    """:func:`dashboard.parse.parse_bytes` in a bounded worker."""
    article: Article = pool().run(_parse, data, name, fmt, origin)
    return article


def reset() -> None:
    """Stop the server's pool (tests change the limits; the next parse starts a new one)."""
    global _pool
    with _pool_lock:
        old, _pool = _pool, None
    if old is not None:
        old.close()
