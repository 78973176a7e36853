"""The bounded parse workers: same parse as in-process, limits that end a job and only its worker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from bench import shapes
from dashboard import worker
from dashboard.errors import BusyError, ParseError
from dashboard.library import Library, SQLiteStore
from dashboard.parse import parse_bytes
from dashboard.worker import TOO_COMPLEX, Limits, Pool

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BUNDLED = ROOT / "data" / "raw" / "ketamine-for-depression.txt"
MB = 2**20
# About 4 MB of HTML headings: several seconds of parsing, and a few hundred MB at its peak.
HEAVY = shapes.SHAPES["headings"]["html"](20_000).encode()


@pytest.fixture
def make_pool():
    pools = []

    def make(workers: int = 2, queue: int = 2, seconds: float = 30, memory_mb: int = 1024) -> Pool:
        pools.append(Pool(Limits(workers, queue, seconds, memory_mb * MB)))
        return pools[-1]

    yield make
    for pool in pools:
        pool.close()


def sample_files() -> list[Path]:
    return [BUNDLED, *sorted(p for p in FIXTURES.rglob("*") if p.suffix in (".html", ".md", ".txt"))[:6]]


@pytest.mark.parametrize("path", sample_files(), ids=lambda p: p.name)
def test_a_worker_parses_exactly_as_the_server_would(make_pool, path):
    pool = make_pool(workers=1)
    data = path.read_bytes()
    assert pool.parse(data, path.name) == parse_bytes(data, path.name)


def test_format_and_origin_reach_the_worker(make_pool):
    data = b"# Title\n\nText with [a link](https://example.org/page) and [own](https://blog.example.com/x).\n"
    pool = make_pool(workers=1)
    got = pool.parse(data, "pasted text", "md", "https://blog.example.com/post")
    assert got == parse_bytes(data, "pasted text", "md", "https://blog.example.com/post")
    assert [c.url for c in got.citations] == ["https://example.org/page"]


def test_unusable_input_gets_the_parsers_own_message(make_pool):
    pool = make_pool(workers=1)
    data = bytes(range(256)) * 40
    with pytest.raises(ParseError) as in_process:
        parse_bytes(data, "blob.txt")
    with pytest.raises(ParseError) as in_worker:
        pool.parse(data, "blob.txt")
    assert str(in_worker.value) == str(in_process.value) != TOO_COMPLEX
    assert pool.parse(BUNDLED.read_bytes(), BUNDLED.name).title  # the same worker goes on


def test_a_parse_past_its_time_fails_in_one_line_and_only_its_worker_is_replaced(make_pool):
    pool = make_pool(workers=2, seconds=1)
    before = set(pool.pids())
    started = time.monotonic()
    with pytest.raises(ParseError) as caught:
        pool.parse(HEAVY, "heavy.html")
    assert str(caught.value) == TOO_COMPLEX
    assert time.monotonic() - started < 10  # stopped near its limit, not after the whole parse
    after = set(pool.pids())
    assert len(after) == 2 and len(before & after) == 1  # one worker killed and replaced
    for pid in before - after:
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text()
    assert pool.parse(BUNDLED.read_bytes(), BUNDLED.name).title  # and the pool goes on


def test_other_jobs_finish_while_one_runs_to_its_limit(make_pool):
    pool = make_pool(workers=2, seconds=4)
    outcome: list[BaseException] = []

    def heavy() -> None:
        try:
            pool.parse(HEAVY * 3, "heavy.html")
        except ParseError as e:
            outcome.append(e)

    slow = threading.Thread(target=heavy)
    slow.start()
    time.sleep(0.5)
    data = BUNDLED.read_bytes()
    for _ in range(3):
        assert pool.parse(data, BUNDLED.name) == parse_bytes(data, BUNDLED.name)
    assert slow.is_alive()  # the light jobs did not wait for the heavy one
    slow.join(30)
    assert [str(e) for e in outcome] == [TOO_COMPLEX]


def test_a_parse_past_its_memory_fails_in_one_line(make_pool):
    pool = make_pool(workers=1, memory_mb=160, seconds=10)  # stuck threads under the cap end at the wall limit
    with pytest.raises(ParseError) as caught:
        pool.parse(HEAVY, "heavy.html")
    assert str(caught.value) == TOO_COMPLEX
    assert pool.parse(BUNDLED.read_bytes(), BUNDLED.name).title


def test_a_worker_past_its_cpu_time_is_ended_by_the_kernel():
    spin = "from dashboard import worker\nworker._cap_cpu(1)\nwhile True: pass\n"
    done = subprocess.run(
        [sys.executable, "-c", spin], cwd=ROOT, timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT)}
    )
    assert done.returncode == -signal.SIGXCPU


def test_a_full_pool_says_busy_at_once(make_pool):
    pool = make_pool(workers=1, queue=0, seconds=3)
    outcome: list[str] = []

    def heavy() -> None:
        try:
            pool.parse(HEAVY * 3, "heavy.html")
        except ParseError as e:
            outcome.append(str(e))

    slow = threading.Thread(target=heavy)
    slow.start()
    time.sleep(0.5)
    started = time.monotonic()
    with pytest.raises(BusyError) as caught:
        pool.parse(BUNDLED.read_bytes(), BUNDLED.name)
    assert time.monotonic() - started < 1
    assert "try again in a moment" in str(caught.value)
    slow.join(30)
    assert outcome == [TOO_COMPLEX]
    assert pool.parse(BUNDLED.read_bytes(), BUNDLED.name).title  # free again


def test_a_queued_job_waits_for_a_worker(make_pool):
    pool = make_pool(workers=1, queue=1, seconds=30)
    results: list[str] = []
    jobs = [
        threading.Thread(target=lambda: results.append(pool.parse(BUNDLED.read_bytes(), BUNDLED.name).title))
        for _ in range(2)
    ]
    for job in jobs:
        job.start()
    for job in jobs:
        job.join(60)
    assert len(results) == 2 and results[0] == results[1]


def test_workers_end_when_the_server_closes_their_pipe():
    proc = subprocess.Popen(
        [sys.executable, "-m", "dashboard.worker", str(1024 * MB)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.stdout is not None and proc.stdin is not None
    assert proc.stdout.read(8 + len(b"ready"))[8:] == b"ready"
    proc.stdin.close()
    assert proc.wait(30) == 0


def test_a_closed_pool_kills_its_workers():
    pool = Pool(Limits(2, 0, 30, 1024 * MB))
    pids = pool.pids()
    pool.close()
    for pid in pids:
        assert not Path(f"/proc/{pid}").exists()


def test_a_library_stores_nothing_when_the_worker_gives_up(make_pool, tmp_path):
    pool = make_pool(workers=1, seconds=1)
    lib = Library(SQLiteStore(tmp_path / "lib.sqlite3"), parser=pool.parse)
    with pytest.raises(ParseError, match="too complex"):
        lib.add(HEAVY, "heavy.html")
    assert lib.backend.entries() == []
    entry = lib.add(BUNDLED.read_bytes(), "mine.txt")
    assert lib.get(entry.id).title == parse_bytes(BUNDLED.read_bytes(), "mine.txt").title


def test_the_server_pool_reads_its_limits_from_the_settings(monkeypatch):
    monkeypatch.setenv("ARTICLE_LENS_PARSE_WORKERS", "1")
    monkeypatch.setenv("ARTICLE_LENS_PARSE_SECONDS", "7")
    monkeypatch.setenv("ARTICLE_LENS_PARSE_MEMORY_MB", "512")
    monkeypatch.setattr(worker, "_pool", None)
    try:
        assert worker.pool().limits == Limits(1, 4, 7.0, 512 * MB)
        assert len(worker.pool().pids()) == 1
    finally:
        worker.pool().close()


def test_a_server_with_over_1024_open_descriptors_still_hears_its_workers(make_pool):
    """A busy server's sockets push new pipes past descriptor 1024, which select() cannot watch."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 1200:
        pytest.skip(f"this machine allows only {hard} open files")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, 1200), hard))
    held = [os.dup(0) for _ in range(1100)]
    try:
        pool = make_pool(workers=1)
        assert pool.parse(BUNDLED.read_bytes(), BUNDLED.name).title
    finally:
        for fd in held:
            os.close(fd)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
