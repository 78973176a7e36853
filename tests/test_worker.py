"""Added articles are parsed in a bounded worker: a parse past a limit fails with one plain line,
only its own worker is replaced, nothing is stored, and the server and other sessions carry on.

The hooks below run in the worker process (pickled by name), so this module imports little."""

from __future__ import annotations

import dataclasses
import threading
import time

import pytest

from dashboard import library, settings, worker
from dashboard.errors import BusyError, ParseError
from dashboard.parse import parse_bytes

from .conftest import FIXTURES, ROOT

MiB = 2**20


def spin(seconds: float) -> str:
    """A parse that burns CPU for ``seconds``."""
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass
    return "done"


def nap(seconds: float) -> str:
    """A parse that waits (no CPU) for ``seconds``."""
    time.sleep(seconds)
    return "rested"


def hog(megabytes: int) -> int:
    """A parse that asks for more memory than the worker may have."""
    return len(bytearray(megabytes * MiB))


@pytest.fixture(autouse=True)
def fresh_pool(monkeypatch):
    """Each test starts the server's pool anew with the limits it sets, and stops it after."""
    for name in (settings.PARSE_WORKERS, settings.PARSE_QUEUE, settings.PARSE_SECONDS, settings.PARSE_MEMORY_MB):
        monkeypatch.delenv(name, raising=False)
    worker.reset()
    yield
    worker.reset()


def limits(workers: int = 1, queue: int = 0, seconds: float = 5.0, memory_mb: int = 1024) -> worker.Limits:
    return worker.Limits(workers, queue, seconds, memory_mb * MiB)


def test_a_parse_in_the_worker_equals_the_parse_in_process(tmp_path):
    data = (FIXTURES / "saved-page.html").read_bytes()
    lib = library.Library(library.SQLiteStore(tmp_path / "lib.sqlite3"), parsed_dir=tmp_path / "parsed")
    assert not lib.in_process
    entry = lib.add(data, "saved-page.html", origin="https://example.org/sleep")
    here = dataclasses.replace(parse_bytes(data, "saved-page.html", None, "https://example.org/sleep"), slug=entry.id)
    assert lib.get(entry.id) == here
    assert worker.parse(data, "saved-page.html", None, "https://example.org/sleep") == parse_bytes(
        data, "saved-page.html", None, "https://example.org/sleep"
    )


def test_the_parser_s_own_errors_come_back_as_they_are():
    with pytest.raises(ParseError, match="empty"):
        worker.parse(b"   \n", "blank.txt")


def test_a_parse_past_its_cpu_and_wall_clock_limit_fails_in_one_line_and_the_pool_carries_on():
    pool = worker.Pool(limits(seconds=1.0))
    try:
        started = time.monotonic()
        with pytest.raises(ParseError) as failed:
            pool.run(spin, 60)
        assert str(failed.value) == worker.TOO_COMPLEX
        assert time.monotonic() - started < 5
        assert pool.run(spin, 0.1) == "done"  # a new worker took the killed one's place
    finally:
        pool.close()


def test_the_cpu_limit_counts_per_parse_not_per_worker():
    pool = worker.Pool(limits(seconds=1.5))
    try:
        pool.run(nap, 0)  # the worker imports this module
        assert [pool.run(spin, 0.8) for _ in range(3)] == ["done"] * 3  # 2.4 s of CPU in one worker
    finally:
        pool.close()


def test_a_memory_hog_gets_the_same_message_and_the_next_parse_works():
    pool = worker.Pool(limits(memory_mb=768))
    try:
        with pytest.raises(ParseError) as failed:
            pool.run(hog, 2048)
        assert str(failed.value) == "this file is too complex to parse within the server's limits"
        assert pool.run(hog, 16) == 16 * MiB
    finally:
        pool.close()


def test_one_parse_past_its_limit_leaves_the_parse_in_the_other_worker_alone():
    pool = worker.Pool(limits(workers=2, seconds=1.5))
    outcome: list[BaseException] = []

    def hostile() -> None:
        try:
            pool.run(spin, 60)
        except ParseError as e:
            outcome.append(e)

    try:
        pool.run(nap, 0)  # one worker started
        thread = threading.Thread(target=hostile)
        thread.start()
        assert pool.run(nap, 1.0) == "rested"  # runs beside the hostile parse, which then dies
        thread.join(10)
        assert [str(e) for e in outcome] == [worker.TOO_COMPLEX]
    finally:
        pool.close()


def test_a_full_queue_says_busy_at_once(monkeypatch):
    monkeypatch.setenv(settings.PARSE_WORKERS, "1")
    monkeypatch.setenv(settings.PARSE_QUEUE, "1")
    results: list[object] = []
    threads = [threading.Thread(target=lambda: results.append(worker.pool().run(nap, 1.0))) for _ in range(2)]
    for t in threads:
        t.start()
        time.sleep(0.2)  # the first runs, the second waits in the queue
    started = time.monotonic()
    with pytest.raises(BusyError) as busy:
        worker.pool().run(nap, 0)
    assert str(busy.value) == "the server is busy parsing other articles; try again in a moment"
    assert time.monotonic() - started < 0.5
    for t in threads:
        t.join(10)
    assert results == ["rested", "rested"]  # the queued one ran when the worker was free
    assert worker.pool().run(nap, 0) == "rested"


def test_nothing_is_stored_when_the_parse_fails(tmp_path, monkeypatch):
    monkeypatch.setenv(settings.PARSE_MEMORY_MB, "768")
    monkeypatch.setattr(worker, "parse", lambda *args: worker.pool().run(hog, 2048))
    lib = library.Library(library.SQLiteStore(tmp_path / "lib.sqlite3"), parsed_dir=tmp_path / "parsed")
    with pytest.raises(ParseError, match="too complex"):
        lib.add(b"# A title\n\nSome text.\n", "hostile.md")
    assert lib.backend.entries() == []


def test_a_parse_runs_to_its_limit_while_another_session_reruns(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv(settings.SQLITE_PATH, str(tmp_path / "library.sqlite3"))
    monkeypatch.delenv(settings.DATABASE_URL, raising=False)
    monkeypatch.setenv(settings.PARSE_SECONDS, "8")
    outcome: list[BaseException] = []

    def hostile_upload() -> None:
        try:
            worker.pool().run(spin, 60)
        except ParseError as e:
            outcome.append(e)

    upload = threading.Thread(target=hostile_upload)
    started = time.monotonic()
    upload.start()
    at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=30).run()
    at.run()  # the same session reruns
    ran = time.monotonic() - started
    assert not at.exception
    assert upload.is_alive(), f"the session took {ran:.1f} s, longer than the parse limit"
    upload.join(30)
    assert [str(e) for e in outcome] == [worker.TOO_COMPLEX]
    assert time.monotonic() - started < 15
