"""``python -m dashboard cluster``: several ``serve`` replicas behind one nginx, sticky by a cookie.

One command starts N ``python -m dashboard serve`` processes on free 127.0.0.1 ports (plus any
``--upstream`` replicas run elsewhere), waits until each answers ``/_stcore/health``, then runs
Debian's ``nginx`` in the foreground with a configuration generated into a temporary folder (its
own pid file and temp paths, no access log, ``daemon off``). It stops every child on SIGINT or
SIGTERM, and stops them all with a non-zero exit when any of them dies.

Why a cookie: a Streamlit session lives in the process that holds its websocket, and the
session's uploads (``PUT /_stcore/upload_file/<session>/<file>``) and media files (``/media/``)
arrive as separate HTTP requests that only that process can answer. Open-source nginx has no
``sticky`` directive, so the configuration builds it from ``map``: a browser's first request (the
page) goes to the replica with the fewest open connections (``least_conn``), nginx names that
replica in a ``al_replica`` cookie on the response, and every later request carrying the cookie
(scripts, the websocket, uploads, downloads) is sent to the upstream group of that replica alone,
which lists the other replicas only as ``backup`` (if it is down, the browser moves and the
cookie follows). Streamlit's XSRF check is a double-submit cookie, so it needs no affinity, and
``server.cookieSecret`` is the same for every replica (``STREAMLIT_SERVER_COOKIE_SECRET``) so any
cookie Streamlit signs reads the same everywhere. The library must be the shared PostgreSQL
(``ARTICLE_LENS_DATABASE_URL``) once there is more than one replica. Design notes: docs/deploy.md.
"""

from __future__ import annotations

import contextlib
import math
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from . import settings

ROUTE_COOKIE = "al_replica"  # names the replica that holds this browser's sessions
REPLICA_HEADER = "X-Article-Lens-Replica"  # on every response: which replica answered
COOKIE_SECRET_ENV = "STREAMLIT_SERVER_COOKIE_SECRET"
HEALTH_PATH = "/_stcore/health"
STREAM_PATH = "/_stcore/stream"
NGINX_CANDIDATES = ("nginx", "/usr/sbin/nginx")
START_SECONDS = 120.0  # a replica's imports and first health answer, on a busy 2-core machine
STOP_SECONDS = 10.0
# The worker user nginx switches to when started as root (Debian's nginx runs as www-data).
WORKER_USERS = ("www-data", "nobody")
# A websocket is open as long as the viewer's tab is; nginx would close an idle one after 60 s.
WEBSOCKET_TIMEOUT = "1d"
# Streamlit's own variable for server.cookieSecret, read through the settings module's reader (it is
# Streamlit's setting, not one of the app's, so it is not declared in settings.SETTINGS).
_COOKIE_SECRET = settings.Setting(COOKIE_SECRET_ENV, str, None, "Streamlit's server.cookieSecret")


class ClusterError(Exception):
    """Something the person starting the cluster can fix; printed as one line."""


@dataclass(frozen=True)
class Replica:
    """One app server behind the proxy: its route name (the cookie's value) and ``host:port``."""

    name: str
    address: str

    @property
    def url(self) -> str:
        return f"http://{self.address}"


def _size_k(n_bytes: int) -> str:
    """A byte count as nginx's ``k`` size, rounded up."""
    return f"{math.ceil(n_bytes / 1024)}k"


def _listen(address: str, port: int) -> str:
    return f"[{address}]:{port}" if ":" in address else f"{address}:{port}"


def nginx_config(
    replicas: Sequence[Replica],
    address: str,
    port: int,
    workdir: Path,
    *,
    max_body_bytes: int,
    head_bytes: int,
    redirect_bytes: int,
    user: str | None = None,
) -> str:
    """The nginx configuration for ``replicas`` behind ``address:port``, every path under ``workdir``.

    ``max_body_bytes`` caps an upload's body, ``head_bytes`` a request line plus headers (long
    shared links), ``redirect_bytes`` a response head (the link guard's redirect to a shortened
    link carries up to Streamlit's 512 KiB of query in ``Location``).
    """
    if not replicas:
        raise ValueError("a cluster needs at least one replica")
    names = [r.name for r in replicas]
    if len(set(names)) != len(names) or not all(re.fullmatch(r"r\d+", n) for n in names):
        raise ValueError(f"replica names must be distinct r<number>: {names}")
    w = workdir
    route_map = "\n".join(f"        {r.name} al_{r.name};" for r in replicas)
    # The replica that answered, from the last address nginx tried ("a:1, b:2" after a failover).
    served_map = "\n".join(f'        "~(^|, ){re.escape(r.address)}$" {r.name};' for r in replicas)
    any_servers = "\n".join(f"        server {r.address} max_fails=1 fail_timeout=5s;" for r in replicas)
    one_groups = []
    for r in replicas:
        lines = [f"        server {r.address} max_fails=1 fail_timeout=5s;"]
        lines += [f"        server {o.address} backup;" for o in replicas if o is not r]
        one_groups.append(f"    upstream al_{r.name} {{\n" + "\n".join(lines) + "\n        keepalive 8;\n    }")
    # Response buffers big enough for the guard's redirect; proxy_busy_buffers_size must be at
    # least the header buffer and less than all proxy_buffers but one.
    head_buffer = math.ceil(redirect_bytes / 65536) * 64
    user_line = f"user {user};" if user else "# no `user`: not started as root, the workers run as this user"
    groups = "\n".join(one_groups)
    return f"""\
# Generated by `python -m dashboard cluster` ({len(replicas)} replicas); see docs/deploy.md.
daemon off;
worker_processes 1;
{user_line}
pid {w}/nginx.pid;
error_log stderr warn;

events {{
    worker_connections 4096;
}}

http {{
    access_log off;  # shared links are not copied into logs
    server_tokens off;
    default_type application/octet-stream;
    client_body_temp_path {w}/client_body;
    proxy_temp_path {w}/proxy;
    fastcgi_temp_path {w}/fastcgi;
    uwsgi_temp_path {w}/uwsgi;
    scgi_temp_path {w}/scgi;

    # Websocket upgrade for Streamlit's /_stcore/stream; plain requests keep upstream keepalive.
    map $http_upgrade $connection_upgrade {{
        default upgrade;
        "" "";
    }}

    # Sticky sessions: the {ROUTE_COOKIE} cookie picks the replica's own upstream group;
    # a browser without it (its first request) goes to the least busy replica.
    map $cookie_{ROUTE_COOKIE} $al_upstream {{
{route_map}
        default al_any;
    }}
    map $upstream_addr $al_served {{
{served_map}
        default "";
    }}
    # Set the cookie when it does not already name the replica that answered.
    map "$cookie_{ROUTE_COOKIE}:$al_served" $al_set_route {{
        "~^(r[0-9]+):\\1$" "";
        "~:$" "";
        default "{ROUTE_COOKIE}=$al_served; Path=/; HttpOnly; SameSite=Lax";
    }}

    upstream al_any {{
        least_conn;
{any_servers}
        keepalive 16;
    }}
{groups}

    server {{
        listen {_listen(address, port)};
        client_header_timeout 10s;  # slow, half-sent requests do not hold a buffer for long
        client_body_timeout 30s;
        large_client_header_buffers 4 {_size_k(head_bytes)};  # long shared links reach the app
        client_max_body_size {_size_k(max_body_bytes)};  # the app's upload cap, plus room for the form

        proxy_http_version 1.1;
        proxy_set_header Host $http_host;  # Streamlit compares Origin with Host on the websocket
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $connection_upgrade;
        proxy_connect_timeout 5s;

        add_header Set-Cookie $al_set_route;
        add_header {REPLICA_HEADER} $al_served always;

        location = {STREAM_PATH} {{
            proxy_pass http://$al_upstream;
            proxy_read_timeout {WEBSOCKET_TIMEOUT};
            proxy_send_timeout {WEBSOCKET_TIMEOUT};
        }}

        location / {{
            proxy_pass http://$al_upstream;
            proxy_buffer_size {head_buffer}k;
            proxy_buffers {head_buffer // 64 + 2} 64k;
            proxy_busy_buffers_size {head_buffer}k;
        }}
    }}
}}
"""


# --- finding things out -------------------------------------------------------------------------


def find_nginx() -> str:
    for candidate in NGINX_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    raise ClusterError("nginx is not installed: install Debian's nginx (apt-get install nginx-light)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def check_can_listen(address: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    with socket.socket(family) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as nginx does
        try:
            s.bind((address, port))
        except OSError as e:
            raise ClusterError(f"cannot listen on {_listen(address, port)}: {e.strerror or e}") from None


def parse_upstream(text: str) -> str:
    """``host:port`` of a replica run elsewhere, checked."""
    host, sep, port = text.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ClusterError(f"--upstream {text!r} is not HOST:PORT")
    return text


def worker_user() -> str | None:
    """The user nginx's workers run as when nginx is started as root; None otherwise."""
    if os.geteuid() != 0:
        return None
    for name in WORKER_USERS:
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    raise ClusterError(f"running as root, but none of the users {', '.join(WORKER_USERS)} exists for nginx")


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + HEALTH_PATH, timeout=2) as r:
            return bool(r.status == 200 and r.read().strip() == b"ok")
    except (OSError, ValueError):
        return False


# --- the children -------------------------------------------------------------------------------


class Child:
    """A process of the cluster whose output is relayed, each line prefixed with its name."""

    def __init__(self, name: str, cmd: list[str], cwd: Path) -> None:
        self.name = name
        self.last_line = ""
        # Its own process group: a Ctrl-C in the terminal reaches the cluster only, which then
        # stops the children in order (nginx first, so no request reaches a stopping replica).
        self.proc = subprocess.Popen(
            cmd,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            process_group=0,
        )
        self._relay = threading.Thread(target=self._copy_output, name=f"relay-{name}", daemon=True)
        self._relay.start()

    def _copy_output(self) -> None:
        assert self.proc.stdout is not None
        for raw in self.proc.stdout:
            line = raw.decode("utf-8", "replace").rstrip()
            if line:
                self.last_line = line
                print(f"{self.name:>5} | {line}", file=sys.stderr, flush=True)

    def exited(self) -> int | None:
        return self.proc.poll()

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                self.proc.send_signal(sig)

    def wait(self, deadline: float) -> None:
        try:
            self.proc.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._relay.join(2)

    def died(self, what: str) -> ClusterError:
        code = self.proc.returncode
        said = f': "{self.last_line[:200]}"' if self.last_line else ""
        return ClusterError(f"{what} exited with code {code}{said}; stopping the cluster")


class Cluster:
    """The replicas and nginx of one ``python -m dashboard cluster`` run."""

    def __init__(
        self,
        replicas: int,
        address: str,
        port: int,
        upstreams: Sequence[str] = (),
        say: Callable[[str], None] = lambda line: print(line, flush=True),
    ) -> None:
        self.n_local = replicas
        self.address = address
        self.port = port
        self.upstreams = list(upstreams)
        self.say = say
        self.stopping = threading.Event()
        self.replicas: list[Replica] = []
        self.local: dict[str, Child] = {}  # replica name -> its process (replicas run here)
        self.nginx: Child | None = None

    def check(self) -> str:
        """Refuse, with one line, what cannot work; return the nginx binary found."""
        if self.n_local < 0:
            raise ClusterError("--replicas must be 0 or more")
        if self.n_local + len(self.upstreams) < 1:
            raise ClusterError("a cluster needs at least one replica (--replicas, or --upstream)")
        if not 0 < self.port < 65536:
            raise ClusterError(f"--port {self.port} is not a port number")
        if self.n_local + len(self.upstreams) > 1 and not settings.database_url():
            raise ClusterError(
                f"more than one replica needs one shared library: set {settings.DATABASE_URL} to a "
                "PostgreSQL database (an SQLite file belongs to one machine)"
            )
        if self.upstreams and not _COOKIE_SECRET.read():
            raise ClusterError(
                f"replicas on other machines need the same cookie secret: set {COOKIE_SECRET_ENV} here "
                "and on every machine"
            )
        nginx = find_nginx()
        check_can_listen(self.address, self.port)
        return nginx

    def run(self, nginx: str) -> None:
        """Start everything, then watch until a stop is asked for (raises ClusterError when a child
        dies or cannot start); every child is stopped on the way out."""
        user = worker_user()
        with tempfile.TemporaryDirectory(prefix="article-lens-cluster-") as tmp:
            workdir = Path(tmp)
            if user:
                workdir.chmod(0o711)  # nginx's workers (not root) create and use their temp paths here
            try:
                self.start_replicas()
                self.start_nginx(nginx, workdir, user)
                count = f"{len(self.replicas)} replica{'s' if len(self.replicas) > 1 else ''}"
                front = _listen(self.address, self.port)
                self.say(f"Article Lens: http://{front} ({count} behind nginx; Ctrl-C stops all)")
                self.watch()
            finally:
                self.stop_all()

    def start_replicas(self) -> None:
        # One secret for every replica, so a cookie signed by one reads the same on all (a new one
        # per start unless set; replicas on other machines must be given the same value). The
        # children inherit this process's environment, with the secret added to it.
        os.putenv(COOKIE_SECRET_ENV, _COOKIE_SECRET.read() or secrets.token_hex(32))
        for i in range(self.n_local):
            port = free_port()
            replica = Replica(f"r{i}", f"127.0.0.1:{port}")
            cmd = [sys.executable, "-m", "dashboard", "serve", "--address", "127.0.0.1", "--port", str(port)]
            self.local[replica.name] = Child(replica.name, cmd, settings.ROOT)
            self.replicas.append(replica)
            self.say(f"replica {replica.name}: {replica.url} (pid {self.local[replica.name].proc.pid})")
        for j, address in enumerate(self.upstreams, start=self.n_local):
            self.replicas.append(Replica(f"r{j}", address))
            self.say(f"replica r{j}: http://{address} (run elsewhere)")
        waiting = list(self.replicas)
        deadline = time.monotonic() + START_SECONDS
        while waiting:
            self._check_children()
            waiting = [r for r in waiting if not healthy(r.url)]
            if waiting and time.monotonic() > deadline:
                names = ", ".join(f"{r.name} ({r.address})" for r in waiting)
                raise ClusterError(f"replica {names} did not answer {HEALTH_PATH} within {START_SECONDS:.0f} s")
            if waiting and self.stopping.wait(0.3):
                raise _Stopped

    def start_nginx(self, nginx: str, workdir: Path, user: str | None) -> None:
        from .serve import MAX_REQUEST_HEAD
        from .viewstate import STREAMLIT_MAX_CHARS

        conf = workdir / "nginx.conf"
        conf.write_text(
            nginx_config(
                self.replicas,
                self.address,
                self.port,
                workdir,
                # the uploader's cap, plus room for the multipart form around the file
                max_body_bytes=settings.max_upload_bytes() + 1024 * 1024,
                head_bytes=MAX_REQUEST_HEAD,
                redirect_bytes=STREAMLIT_MAX_CHARS + 64 * 1024,
                user=user,
            )
        )
        cmd = [nginx, "-p", str(workdir), "-c", str(conf), "-e", "stderr"]
        test = subprocess.run([*cmd, "-t", "-q"], capture_output=True, text=True, check=False)
        if test.returncode != 0:
            said = (test.stderr.strip().splitlines() or ["no message"])[-1]
            raise ClusterError(f"nginx refused the generated configuration: {said}")
        self.nginx = Child("nginx", cmd, workdir)
        self.say(f"nginx: pid {self.nginx.proc.pid}, configuration {conf}")
        front = "127.0.0.1" if self.address in ("0.0.0.0", "::", "") else self.address
        front_url = f"http://{_listen(front, self.port)}"
        deadline = time.monotonic() + 30
        while not healthy(front_url):
            self._check_children()
            if time.monotonic() > deadline:
                raise ClusterError(f"nginx did not answer {HEALTH_PATH} on {front_url} within 30 s")
            if self.stopping.wait(0.2):
                raise _Stopped

    def _check_children(self) -> None:
        """A child that has exited stops the cluster: raise with its exit code and last words."""
        if self.nginx is not None and self.nginx.exited() is not None:
            raise self.nginx.died("nginx")
        by_name = {r.name: r for r in self.replicas}
        for name, child in self.local.items():
            if child.exited() is not None:
                raise child.died(f"replica {name} ({by_name[name].address})")

    def watch(self) -> None:
        """Until a stop is asked for; a child that exits meanwhile is an error."""
        while not self.stopping.wait(0.5):
            self._check_children()

    def stop_all(self) -> None:
        """nginx first (no new requests), then the replicas; each gets SIGTERM, then SIGKILL."""
        self.stopping.set()
        ordered = ([self.nginx] if self.nginx else []) + list(self.local.values())
        for child in ordered:
            child.stop()  # SIGTERM: nginx's fast shutdown (a graceful one waits for every websocket)
        deadline = time.monotonic() + STOP_SECONDS
        for child in ordered:
            child.wait(deadline)

    def request_stop(self, signum: int, _frame: FrameType | None) -> None:
        self.stopping.set()


class _Stopped(Exception):
    """A stop was asked for while the cluster was starting."""


def run_cluster(replicas: int, address: str, port: int, upstreams: Sequence[str] = ()) -> int:
    """``python -m dashboard cluster``: 0 after a stop asked for by a signal, 1 when a child died or
    could not start, 2 for a request that cannot work (one ``error:`` line each)."""
    try:
        cluster = Cluster(replicas, address, port, [parse_upstream(u) for u in upstreams])
        nginx = cluster.check()
    except ClusterError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, cluster.request_stop)
    try:
        cluster.run(nginx)
    except _Stopped:
        pass
    except ClusterError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    return 0
