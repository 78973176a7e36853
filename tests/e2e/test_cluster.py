"""`python -m dashboard cluster` in Chromium: two replicas behind nginx on the shared PostgreSQL.

A browser's upload and Add reach the replica that holds its session (sticky by the route cookie);
another browser on the other replica opens the added article by its link (one library); a browser
with no cookie gets one and stays on the replica it names; a long shared link passes nginx; and the
cluster stops everything, with one error line, when a replica dies.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest

from dashboard import settings
from dashboard.cluster import COOKIE_SECRET_ENV, REPLICA_HEADER, ROUTE_COOKIE

from ..conftest import postgres_url
from .server import ROOT, free_port, wait_for_app
from .test_inputs import ARTICLE_ID, add, current_article, open_add, title, upload

READY = re.compile(r"^Article Lens: (http://\S+) ")
CHILD_LINE = re.compile(r"^(?:replica (r\d+): http://127\.0\.0\.1:\d+ \(|(nginx): )pid (\d+)")


class Running:
    """A `python -m dashboard cluster` process and what it printed."""

    def __init__(self, replicas: int, env: dict[str, str]) -> None:
        self.port = free_port()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "dashboard", "cluster", "--replicas", str(replicas), "--port", str(self.port)],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.out: list[str] = []
        self.err: list[str] = []
        self.pids: dict[str, int] = {}
        threading.Thread(target=self._read, args=(self.proc.stderr, self.err), daemon=True).start()
        self.url = ""
        assert self.proc.stdout is not None
        deadline = time.monotonic() + 90
        for line in self.proc.stdout:  # the command prints each replica, then the address when ready
            self.out.append(line)
            if m := CHILD_LINE.match(line):
                self.pids[m.group(1) or m.group(2)] = int(m.group(3))
            if m := READY.match(line):
                self.url = m.group(1)
                break
            assert time.monotonic() < deadline, "the cluster did not start in time"
        assert self.url, f"the cluster exited early: {''.join(self.err)[-2000:]}"

    @staticmethod
    def _read(stream, into: list[str]) -> None:
        for line in stream:
            into.append(line)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.fixture(scope="module")
def two_replicas(tmp_path_factory):
    running = Running(2, {settings.DATABASE_URL: postgres_url()})
    yield running
    running.stop()
    # What the replicas and nginx said, for reading after a failure.
    (tmp_path_factory.mktemp("cluster") / "cluster.log").write_text("".join(running.out + running.err))


def replica_of_responses(page) -> list[str]:
    """The replica named on every HTTP response the page gets from now on."""
    seen: list[str] = []
    page.on("response", lambda r: seen.append(r.headers.get(REPLICA_HEADER.lower(), "")))
    return seen


def browser_on(browser, url: str, replica: str | None):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    if replica:
        context.add_cookies([{"name": ROUTE_COOKIE, "value": replica, "url": url}])
    return context


def test_an_upload_reaches_its_session_and_another_replica_opens_the_link(browser, two_replicas, tmp_path):
    url = two_replicas.url
    a = browser_on(browser, url, "r0")
    b = browser_on(browser, url, "r1")
    try:
        page = a.new_page()
        served_a = replica_of_responses(page)
        uploads: list[tuple[int, str]] = []
        page.on(
            "response",
            lambda r: (
                "/_stcore/upload_file/" in r.url
                and uploads.append((r.status, r.headers.get(REPLICA_HEADER.lower(), "")))
            ),
        )
        open_add(page, url, "Upload")
        marker = uuid.uuid4().hex[:8]
        article = tmp_path / "behind-the-proxy.md"
        article.write_text(
            f"# Behind The Proxy {marker}\n\nOne session, one replica. It works.\n\n## Why\n\nA cookie.\n"
        )
        upload(page, str(article))
        add(page, "Add file")
        assert title(page) == f"Behind The Proxy {marker}"
        article_id = current_article(page)
        assert ARTICLE_ID.match(article_id)
        # the upload went over plain HTTP to the replica that holds the session's websocket
        assert uploads and all(status in (200, 204) for status, _ in uploads), uploads
        assert {replica for _, replica in uploads} == {"r0"}
        assert set(served_a) == {"r0"}

        other = b.new_page()
        served_b = replica_of_responses(other)
        other.goto(f"{url}/?article={article_id}")
        wait_for_app(other)
        assert title(other) == f"Behind The Proxy {marker}"
        assert "not available" not in " ".join(other.get_by_test_id("stAlert").all_inner_texts())
        assert set(served_b) == {"r1"}  # both replicas served this test, from one library
    finally:
        a.close()
        b.close()


def test_a_new_browser_gets_a_route_cookie_and_stays_on_its_replica(browser, two_replicas):
    context = browser_on(browser, two_replicas.url, None)
    try:
        page = context.new_page()
        served = replica_of_responses(page)
        page.goto(two_replicas.url + "/?view=citations")
        wait_for_app(page)
        cookie = [c["value"] for c in context.cookies() if c["name"] == ROUTE_COOKIE]
        assert cookie and cookie[0] in ("r0", "r1")
        assert served and set(served) == {cookie[0]}
        page.get_by_role("tab", name="Audit").click()
        wait_for_app(page)
        assert set(served) == {cookie[0]}
    finally:
        context.close()


def test_a_long_shared_link_passes_the_proxy(two_replicas):
    host, port = two_replicas.url.removeprefix("http://").rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    conn.request("GET", "/?view=text&q=" + "x" * 600_000)
    response = conn.getresponse()
    response.read()
    conn.close()
    assert response.status == 303  # the app's guard answered, not nginx's 414 or 502
    assert "shortened=" in (response.getheader("Location") or "")


def test_the_replicas_share_one_cookie_secret_and_the_database(two_replicas):
    def environment(pid: int) -> dict[str, str]:
        pairs = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        return dict(p.decode(errors="replace").split("=", 1) for p in pairs if b"=" in p)

    r0, r1 = environment(two_replicas.pids["r0"]), environment(two_replicas.pids["r1"])
    secret = r0.get(COOKIE_SECRET_ENV, "")
    assert len(secret) >= 32 and r1.get(COOKIE_SECRET_ENV) == secret
    assert r0[settings.DATABASE_URL] == r1[settings.DATABASE_URL] == postgres_url()


def test_a_dead_replica_stops_the_cluster_with_one_line(two_replicas):
    """Runs last in this module: it ends the cluster."""
    os.kill(two_replicas.pids["r1"], signal.SIGKILL)
    assert two_replicas.proc.wait(30) == 1
    time.sleep(0.5)  # the reader thread takes the last lines
    errors = [line for line in two_replicas.err if line.startswith("error:")]
    assert len(errors) == 1 and re.match(r"error: replica r1 \(127\.0\.0\.1:\d+\) exited with code -9", errors[0])
    assert not alive(two_replicas.pids["r0"]) and not alive(two_replicas.pids["nginx"])


def test_a_signal_stops_every_child(tmp_path):
    running = Running(1, {settings.SQLITE_PATH: str(tmp_path / "library.sqlite3"), settings.DATABASE_URL: ""})
    try:
        running.proc.send_signal(signal.SIGINT)
        assert running.proc.wait(30) == 0
        assert not alive(running.pids["r0"]) and not alive(running.pids["nginx"])
        assert not any(line.startswith("error:") for line in running.err)
    finally:
        running.stop()
