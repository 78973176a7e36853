"""Articles users add are parsed in bounded worker processes, never in the server's own.

A hostile file (slow or memory-hungry to parse) must not stall or kill the server for everyone.
So the app hands each paste, upload or loaded page to a small pool of worker processes:

- each worker is a plain child process, ``python -m dashboard.worker``, started with
  :class:`subprocess.Popen` (fork and exec at once, which is safe from the threaded server; no
  fork server, no ``preexec_fn``, no patched ``multiprocessing``), and spoken to over its pipes:
  one job in, one JSON answer out;
- the worker caps its own address space (``RLIMIT_AS``) at start and, before each job, its CPU
  time (``RLIMIT_CPU``: the kernel ends a worker that overruns it); the server waits at most the
  wall-clock limit for the answer, then kills the worker;
- a job past any limit fails with one plain :class:`~dashboard.errors.ParseError`
  (:data:`TOO_COMPLEX`); only that job's worker is replaced, and its replacement starts at once,
  so the next job finds it warm; jobs in other workers go on;
- at most ``workers`` jobs run and ``queue`` more wait; one more gets
  :class:`~dashboard.errors.BusyError` at once, as does a job that waited its turn too long.

The answer is JSON (the article's own ``to_dict``), never pickle: the worker reads hostile input,
so the server trusts nothing from it beyond data. A worker also ends when its pipe closes, so
workers never outlive the server. The limits are ``ARTICLE_LENS_PARSE_*`` settings, read when
the pool starts. The CLI and the tests' libraries parse in-process (``Library``'s default parser).
"""

from __future__ import annotations

import json
import logging
import math
import os
import queue
import resource
import select
import struct
import subprocess
import sys
import threading
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from . import settings
from .errors import BusyError, ParseError
from .model import Article

TOO_COMPLEX = "this file is too complex to parse within the server's limits"
BUSY = "the server is busy parsing other articles; try again in a moment"
NOT_STARTED = "the server could not start its parser; try again in a moment"
START_SECONDS = 60.0  # a worker that is not ready by then is a server fault, not the file's
ROOT = Path(__file__).resolve().parent.parent
log = logging.getLogger(__name__)
_LENGTH = struct.Struct(">Q")  # every message on the pipes: an 8-byte length, then that many bytes
_READY = b"ready"
_WARM_UP = (
    (
        b"<html><head><title>T</title></head><body><p>Some text, <a href='https://a.org/'>a</a>.</p></body></html>",
        "w.html",
    ),
    (b"# T\n\nSome text, [a](https://a.org/).\n", "w.md"),
    (b"T\n\nSome text, https://a.org/.\n", "w.txt"),
)


@dataclass(frozen=True)
class Limits:
    workers: int  # jobs parsed at once
    queue: int  # jobs that may wait for a worker
    seconds: float  # wall clock per job (and, rounded up, CPU seconds)
    memory_bytes: int  # address space of a worker

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            settings.parse_workers(), settings.parse_queue(), settings.parse_seconds(), settings.parse_memory_bytes()
        )


# ------------------------------------------------------------------ both sides


def _send(pipe: IO[bytes], payload: bytes) -> None:
    pipe.write(_LENGTH.pack(len(payload)) + payload)
    pipe.flush()


def _read_exactly(pipe: IO[bytes], n: int) -> bytes:
    """Blocking read (the worker's side, which has nothing else to do)."""
    chunks, left = [], n
    while left:
        chunk = pipe.read(left)
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


# ------------------------------------------------------------------ in the worker process


def _cap_cpu(seconds: int) -> None:
    """Let this process use ``seconds`` more CPU time than it has so far; past it the kernel
    sends SIGXCPU, whose default action ends the process."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    used = math.ceil(usage.ru_utime + usage.ru_stime)
    resource.setrlimit(resource.RLIMIT_CPU, (used + seconds, resource.RLIM_INFINITY))


def _answer(job: dict[str, Any], data: bytes) -> dict[str, Any]:
    from .errors import UserError
    from .parse import parse_bytes

    _cap_cpu(int(job["cpu_seconds"]))
    try:
        article = parse_bytes(data, job["name"], job["format"], job["origin"])
    except MemoryError:
        return {"error": "limit", "replace": True}
    except UserError as e:
        return {"error": "user", "kind": type(e).__name__, "message": str(e), "replace": False}
    # A parser thread left running past its own time limit keeps its memory: start afresh.
    return {"article": article.to_dict(), "replace": threading.active_count() > 1}


def _near_cap(memory_bytes: int) -> bool:
    """Whether this process's address space has come within 10% of its cap (peak, from /proc)."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return False
    for line in status.splitlines():
        if line.startswith("VmPeak:"):
            return int(line.split()[1]) * 1024 >= 0.9 * memory_bytes
    return False


def serve_jobs(memory_bytes: int) -> int:
    """The worker's loop: read a job from stdin, write the answer to stdout, until stdin closes."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a worker ended by a limit leaves no core file
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    from .parse import parse_bytes

    for sample, name in _WARM_UP:  # each front end's lazy imports and first-use set-up, before "ready"
        parse_bytes(sample, name)
    jobs, answers = sys.stdin.buffer, sys.stdout.buffer
    _send(answers, _READY)
    while True:
        try:
            (size,) = _LENGTH.unpack(_read_exactly(jobs, _LENGTH.size))
            job = json.loads(_read_exactly(jobs, size))
            (size,) = _LENGTH.unpack(_read_exactly(jobs, _LENGTH.size))
            data = _read_exactly(jobs, size)
        except EOFError:
            return 0  # the server closed the pipe or ended
        try:
            answer = _answer(job, data)
        except MemoryError:
            answer = {"error": "limit", "replace": True}
        except Exception:
            if _near_cap(memory_bytes):
                # Out of address space, C libraries do not always raise MemoryError: lxml reports
                # a failed allocation as "XMLSyntaxError: unknown error", for one.
                answer = {"error": "limit", "replace": True}
            else:  # a parser bug: the server logs it and says sorry, as for its own errors
                answer = {"error": "bug", "message": traceback.format_exc(limit=-8), "replace": True}
        del data
        _send(answers, json.dumps(answer).encode())


# ------------------------------------------------------------------ in the server


class _Worker:
    """One worker process. Started at once (fork and exec take milliseconds); it imports the
    parser in the background and says so before its first job is sent."""

    def __init__(self, limits: Limits):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "dashboard.worker", str(limits.memory_bytes)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=ROOT,  # `python -m` puts the working directory first on the path: the package is found there
            start_new_session=True,  # a Ctrl-C to the server's terminal does not reach it; EOF ends it
        )
        self.ready = False

    def kill(self) -> None:
        self.process.kill()
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                pipe.close()
        self.process.wait()

    def _read(self, n: int, deadline: float) -> bytes | None:
        """``n`` bytes from the worker, or None when it ended or the deadline passed."""
        assert self.process.stdout is not None
        fd, chunks, left = self.process.stdout.fileno(), [], n
        ready = select.poll()  # not select(): a busy server's descriptors pass 1024, which select() cannot watch
        ready.register(fd, select.POLLIN)
        while left:
            wait = deadline - time.monotonic()
            if wait <= 0 or not ready.poll(wait * 1000):
                return None
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                return None
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)

    def _message(self, deadline: float) -> bytes | None:
        head = self._read(_LENGTH.size, deadline)
        return None if head is None else self._read(_LENGTH.unpack(head)[0], deadline)

    def wait_ready(self) -> bool:
        if not self.ready:
            self.ready = self._message(time.monotonic() + START_SECONDS) == _READY
        return self.ready

    def run(self, job: dict[str, Any], data: bytes, seconds: float) -> dict[str, Any] | None:
        """Send one job; its answer, or None when the worker ended or overran ``seconds``."""
        assert self.process.stdin is not None
        deadline = time.monotonic() + seconds
        try:
            _send(self.process.stdin, json.dumps(job).encode())
            _send(self.process.stdin, data)
        except (BrokenPipeError, OSError):
            return None
        answer = self._message(deadline)
        return None if answer is None else dict(json.loads(answer))


class Pool:
    """The bounded worker pool; :func:`parse` uses one shared by the whole server."""

    def __init__(self, limits: Limits | None = None):
        self.limits = limits or Limits.from_settings()
        self._lock = threading.Lock()
        self._closed = False
        self._live: set[_Worker] = set()
        self._idle: queue.SimpleQueue[_Worker] = queue.SimpleQueue()
        self._admitted = threading.BoundedSemaphore(self.limits.workers + self.limits.queue)
        for _ in range(self.limits.workers):
            self._idle.put(self._start())

    def _start(self) -> _Worker:
        worker = _Worker(self.limits)
        with self._lock:
            self._live.add(worker)
        return worker

    def _retire(self, worker: _Worker) -> None:
        with self._lock:
            self._live.discard(worker)
        worker.kill()

    def parse(self, data: bytes, name: str, fmt: str | None = None, origin: str | None = None) -> Article:
        """:func:`dashboard.parse.parse_bytes` in a worker: BusyError when every worker is taken and
        the queue is full, ParseError(TOO_COMPLEX) past a limit, ParseError for unusable input."""
        if not self._admitted.acquire(blocking=False):
            raise BusyError(BUSY)
        try:
            try:
                # Queued jobs run one after another: waiting longer than the jobs ahead could take is a fault.
                worker = self._idle.get(timeout=self.limits.seconds * (self.limits.queue + 1) + START_SECONDS)
            except queue.Empty:
                raise BusyError(BUSY) from None
            answer: dict[str, Any] | None = None
            try:
                if not worker.wait_ready():
                    log.error("a parse worker did not start within %s s", START_SECONDS)
                    raise BusyError(NOT_STARTED)
                job = {"name": name, "format": fmt, "origin": origin, "cpu_seconds": math.ceil(self.limits.seconds)}
                answer = worker.run(job, data, self.limits.seconds)
            finally:
                if self._closed:
                    self._retire(worker)
                else:
                    if answer is None or answer.get("replace"):
                        self._retire(worker)
                        worker = self._start()  # the replacement warms up while this answer is read
                    self._idle.put(worker)
        finally:
            self._admitted.release()
        if answer is None or answer.get("error") == "limit":
            log.warning("a parse was stopped at the worker's limits (%s s, %s bytes)", self.limits.seconds, len(data))
            raise ParseError(TOO_COMPLEX)
        if answer.get("error") == "user":
            raise ParseError(str(answer["message"]))
        if answer.get("error") == "bug":
            raise RuntimeError(f"the parse worker failed:\n{answer['message']}")
        return Article.from_dict(answer["article"])

    def pids(self) -> list[int]:
        """The live workers' process ids (for tests and the load benchmark)."""
        with self._lock:
            return [w.process.pid for w in self._live]

    def close(self) -> None:
        """Kill every worker; a job still running fails with TOO_COMPLEX."""
        with self._lock:
            self._closed = True
            workers, self._live = list(self._live), set()
        for worker in workers:
            worker.kill()


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
    """:func:`dashboard.parse.parse_bytes` in the server's bounded worker pool."""
    return pool().parse(data, name, fmt, origin)


if __name__ == "__main__":
    sys.exit(serve_jobs(int(sys.argv[1])))
