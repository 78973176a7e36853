"""Work that the caller waits for only so long, in a thread of its own.

Python cannot stop a thread, so work past its time is abandoned (a daemon thread finishing in
the background); a :class:`ThreadBudget` counts such threads, and while ``max_overdue`` of them
are still running it refuses new work at once, so slow inputs cannot pile up threads.

>>> budget = ThreadBudget(max_overdue=1, name="demo")
>>> budget.run(1.0, lambda: 6 * 7)
42
>>> import time
>>> try:
...     budget.run(0.01, lambda: time.sleep(0.5))
... except Overdue as e:
...     print("started" if e.started else "refused")
started
>>> try:
...     budget.run(1.0, lambda: 1)  # the abandoned sleep still runs: the budget is spent
... except Overdue as e:
...     print("started" if e.started else "refused")
refused
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

_T = TypeVar("_T")


class Overdue(Exception):
    """The work did not finish in time (``started``), or was refused because ``max_overdue``
    abandoned threads are still running (not ``started``)."""

    def __init__(self, started: bool) -> None:
        super().__init__("took too long" if started else "refused: too many slow jobs still running")
        self.started = started


class ThreadBudget:
    """Runs work in daemon threads named ``name``, each waited for at most its ``seconds``."""

    def __init__(self, max_overdue: int, name: str) -> None:
        self.max_overdue = max_overdue
        self.name = name
        self._overdue: list[threading.Thread] = []
        self._lock = threading.Lock()

    def run(self, seconds: float, work: Callable[[], _T]) -> _T:
        """``work()``'s result, or its exception raised here; Overdue past ``seconds`` or when refused."""
        with self._lock:
            self._overdue[:] = [t for t in self._overdue if t.is_alive()]
            if len(self._overdue) >= self.max_overdue:
                raise Overdue(started=False)
        outcome: list[_T] = []
        failure: list[BaseException] = []

        def run() -> None:
            try:
                outcome.append(work())
            except BaseException as e:  # handed to the caller, who waits for it
                failure.append(e)

        thread = threading.Thread(target=run, name=self.name, daemon=True)
        thread.start()
        thread.join(seconds)
        if thread.is_alive():
            with self._lock:
                self._overdue.append(thread)
            raise Overdue(started=True)
        if failure:
            raise failure[0]
        return outcome[0]
