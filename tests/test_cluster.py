"""`python -m dashboard cluster`: the generated nginx configuration, read as text and run by the real
nginx against two stub replicas (stickiness, failover, websocket upgrade headers), and the one-line
refusals of the command."""

from __future__ import annotations

import http.client
import http.server
import re
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from dashboard import cluster, settings
from dashboard.__main__ import main
from dashboard.cluster import REPLICA_HEADER, ROUTE_COOKIE, Replica, nginx_config, worker_user
from dashboard.serve import MAX_REQUEST_HEAD

REPLICAS = [Replica("r0", "127.0.0.1:9101"), Replica("r1", "127.0.0.1:9102")]


def config(replicas=REPLICAS, tmp: Path = Path("/tmp/al"), port: int = 8501, user: str | None = None) -> str:
    return nginx_config(
        replicas,
        "127.0.0.1",
        port,
        tmp,
        max_body_bytes=6 * 2**20,
        head_bytes=MAX_REQUEST_HEAD,
        redirect_bytes=576 * 1024,
        user=user,
    )


def block(text: str, head: str) -> str:
    """The body of the first `head { ... }` block (no nested braces in the blocks read here)."""
    match = re.search(re.escape(head) + r"\s*\{([^{}]*)\}", text)
    assert match, f"no block {head!r}"
    return match.group(1)


def test_the_cookie_routes_to_each_replicas_own_group_and_a_new_browser_to_the_least_busy():
    text = config()
    routes = block(text, f"map $cookie_{ROUTE_COOKIE} $al_upstream")
    assert re.search(r"^\s*r0 al_r0;$", routes, re.M) and re.search(r"^\s*r1 al_r1;$", routes, re.M)
    assert re.search(r"^\s*default al_any;$", routes, re.M)
    anyone = block(text, "upstream al_any")
    assert "least_conn;" in anyone
    assert "server 127.0.0.1:9101 " in anyone and "server 127.0.0.1:9102 " in anyone
    # each replica's group: itself first, the others only as backups (a dead replica's browsers move)
    r0 = block(text, "upstream al_r0")
    assert re.search(r"server 127\.0\.0\.1:9101 max_fails", r0) and "server 127.0.0.1:9102 backup;" in r0
    r1 = block(text, "upstream al_r1")
    assert re.search(r"server 127\.0\.0\.1:9102 max_fails", r1) and "server 127.0.0.1:9101 backup;" in r1
    assert "add_header Set-Cookie $al_set_route;" in text
    assert text.count("proxy_pass http://$al_upstream;") == 2  # the websocket and everything else


def test_the_websocket_is_upgraded_with_long_timeouts_and_links_fit():
    text = config(port=18123)
    assert "listen 127.0.0.1:18123;" in text
    stream = block(text, "location = /_stcore/stream")
    assert "proxy_read_timeout 1d;" in stream and "proxy_send_timeout 1d;" in stream
    assert "proxy_set_header Upgrade $http_upgrade;" in text
    assert "proxy_set_header Connection $connection_upgrade;" in text
    assert re.search(r"map \$http_upgrade \$connection_upgrade \{\s*default upgrade;", text)
    size = re.search(r"large_client_header_buffers 4 (\d+)k;", text)
    assert size and int(size.group(1)) * 1024 >= MAX_REQUEST_HEAD
    assert "client_max_body_size 6144k;" in text
    assert "daemon off;" in text and "pid /tmp/al/nginx.pid;" in text and "access_log off;" in text
    for temp in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        assert f"{temp}_temp_path /tmp/al/{temp};" in text
    assert not re.search(r"^user ", text, re.M)
    assert re.search(r"^user www-data;$", config(user="www-data"), re.M)


def test_an_ipv6_address_is_bracketed_and_names_are_checked():
    text = nginx_config(
        [Replica("r0", "[::1]:9101")], "::1", 80, Path("/t"), max_body_bytes=1, head_bytes=1, redirect_bytes=1
    )
    assert "listen [::1]:80;" in text
    with pytest.raises(ValueError, match="distinct"):
        config([Replica("r0", "127.0.0.1:1"), Replica("r0", "127.0.0.1:2")])
    with pytest.raises(ValueError, match="at least one"):
        config([])


# --- the real nginx against two stub replicas ---------------------------------------------------


def nginx_binary() -> str:
    try:
        return cluster.find_nginx()
    except cluster.ClusterError:
        pytest.fail("nginx is not installed: apt-get install nginx-light (tests/run.sh installs it)")


class Stub(http.server.BaseHTTPRequestHandler):
    """A replica that answers with its name and keeps the headers it was sent."""

    def do_GET(self) -> None:
        self.server.seen.append((self.path, dict(self.headers)))  # type: ignore[attr-defined]
        body = self.server.name.encode()  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@contextmanager
def stub(name: str) -> Iterator[http.server.ThreadingHTTPServer]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Stub)
    server.name, server.seen = name, []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def nginx_in_front(replicas: list[Replica], tmp_path: Path) -> Iterator[int]:
    port = cluster.free_port()
    tmp_path.mkdir(exist_ok=True)
    conf = tmp_path / "nginx.conf"
    # These requests buffer nothing to disk, so the workers need no way into pytest's folders.
    conf.write_text(config(replicas, tmp_path, port, worker_user()))
    proc = subprocess.Popen(
        [nginx_binary(), "-p", str(tmp_path), "-c", str(conf), "-e", "stderr"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if proc.poll() is not None or time.monotonic() > deadline:
                out = proc.stdout.read().decode() if proc.stdout else ""
                pytest.fail(f"nginx did not start: {out}")
            time.sleep(0.05)
        yield port
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(10)


def get(port: int, path: str = "/", cookie: str | None = None, headers: dict[str, str] | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers={**({"Cookie": cookie} if cookie else {}), **(headers or {})})
    response = conn.getresponse()
    body = response.read().decode()
    conn.close()
    return response, body


def route_cookie(response) -> str | None:
    for name, value in response.getheaders():
        if name.lower() == "set-cookie" and value.startswith(ROUTE_COOKIE + "="):
            return value.split(";", 1)[0].split("=", 1)[1]
    return None


def test_nginx_keeps_a_browser_on_its_replica_and_moves_it_when_that_one_is_gone(tmp_path):
    with stub("r0") as a, stub("r1") as b:
        replicas = [Replica("r0", f"127.0.0.1:{a.server_port}"), Replica("r1", f"127.0.0.1:{b.server_port}")]
        with nginx_in_front(replicas, tmp_path) as port:
            # a new browser: some replica answers, and the cookie names it
            response, body = get(port)
            assert route_cookie(response) == body == response.getheader(REPLICA_HEADER)
            # a browser with the cookie stays there, and is not sent the cookie again
            for name in ("r0", "r1"):
                for _ in range(6):
                    response, body = get(port, "/static/x.js", cookie=f"{ROUTE_COOKIE}={name}")
                    assert body == name and route_cookie(response) is None
            # a cookie naming no replica (an older cluster's) is replaced
            response, body = get(port, cookie=f"{ROUTE_COOKIE}=r7")
            assert route_cookie(response) == body in ("r0", "r1")
            # the websocket path reaches the replica with the upgrade headers
            get(port, "/_stcore/stream", cookie=f"{ROUTE_COOKIE}=r1", headers={"Upgrade": "websocket"})
            path, headers = b.seen[-1]
            assert path == "/_stcore/stream"
            assert headers["Upgrade"] == "websocket" and headers["Connection"].lower() == "upgrade"
            assert headers["Host"] == f"127.0.0.1:{port}"  # Streamlit compares Origin with Host
        # r0 is gone: its browsers land on r1, and the cookie follows
        a.shutdown()
        a.server_close()
        with nginx_in_front(replicas, tmp_path / "again") as port:
            response, body = get(port, cookie=f"{ROUTE_COOKIE}=r0")
            assert body == "r1" and route_cookie(response) == "r1"


# --- the command's refusals ----------------------------------------------------------------------


def test_two_replicas_without_a_database_are_refused(monkeypatch, capsys):
    monkeypatch.delenv(settings.DATABASE_URL, raising=False)
    assert main(["cluster", "--replicas", "2", "--port", str(cluster.free_port())]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: ") and settings.DATABASE_URL in err


def test_a_missing_nginx_is_one_line(monkeypatch, capsys):
    monkeypatch.setattr(cluster, "NGINX_CANDIDATES", ("/nonexistent/nginx",))
    assert main(["cluster", "--replicas", "1", "--port", str(cluster.free_port())]) == 2
    err = capsys.readouterr().err
    assert err == "error: nginx is not installed: install Debian's nginx (apt-get install nginx-light)\n"


def test_a_busy_port_and_bad_upstreams_are_one_line(monkeypatch, capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["cluster", "--replicas", "1", "--port", str(port)]) == 2
    assert capsys.readouterr().err.startswith(f"error: cannot listen on 127.0.0.1:{port}: ")
    assert main(["cluster", "--replicas", "0", "--upstream", "nohost"]) == 2
    assert "is not HOST:PORT" in capsys.readouterr().err
    monkeypatch.setenv(settings.DATABASE_URL, "postgresql://u:p@127.0.0.1:1/db")
    monkeypatch.delenv(cluster.COOKIE_SECRET_ENV, raising=False)
    assert main(["cluster", "--replicas", "1", "--upstream", "10.0.0.2:8501"]) == 2
    assert cluster.COOKIE_SECRET_ENV in capsys.readouterr().err


def test_nginx_accepts_the_generated_configuration(tmp_path):
    conf = tmp_path / "nginx.conf"
    conf.write_text(config(tmp=tmp_path, port=cluster.free_port(), user=worker_user()))
    result = subprocess.run(
        [nginx_binary(), "-t", "-p", str(tmp_path), "-c", str(conf), "-e", "stderr"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
