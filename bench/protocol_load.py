"""Protocol-level load run: viewers that speak Streamlit's websocket protocol, no browser.

    PYTHONPATH=. python -m bench.protocol_load [--waves 1,25,100] [--timeout 300] [--no-upload] [--no-write]

Each viewer opens ``/_stcore/stream`` (subprotocol ``streamlit``, as the browser client does), sends
a ``BackMsg.rerun_script`` with the query string of a shared link, reads ``ForwardMsg``s until
``script_finished``, then twice changes the search box (a ``WidgetState`` with a string value for the
``text_input`` with the app's search key: ``w_q`` in Article Lens, ``q`` in the plain app) and waits for
the script to finish again. The empty app has no widget, so its two reruns are plain reruns of the same
query. An unmeasured wave of 8 viewers first searches each word once (warm imports and caches). All
viewers of a wave arrive within one second; a wave starts once the server and its children are idle.
Per wave: errors, first-result latency (connect to the first run's ``script_finished``; and
to its first delta), rerun latency (send to ``script_finished``), server CPU per viewer (utime+stime
of the server process over the wave, from ``/proc``), websocket bytes each viewer received (off the
socket: compressed when the server compresses), and server memory (VmRSS before, peak and after; the
peak also as the sum over the server and its child processes, sampled every 0.2 s).

Upload waves (Article Lens only, unless ``--no-upload``): the same viewers while one extra protocol
client pastes a large hostile HTML text (``bench/shapes.py``'s ``no_container`` shape, just under the
5 MiB paste limit; a unique paragraph each time, so it is never a stored duplicate) into the Add box
(``add_paste``) and presses *Add pasted text* (``add_paste_btn``), again and again until the viewers are
done. The server gets ``ARTICLE_LENS_PARSE_SECONDS`` (``--parse-seconds``, default 5) so the parse runs
to its limit where the parse is bounded.

Three servers are started here on 127.0.0.1 with a free port and stopped after, one at a time:
Article Lens by ``python -m dashboard serve`` (from the project root, so ``.streamlit/config.toml``
applies; a temporary SQLite library), and the plain three-chart app (``bench/plain_app.py``) and the
empty one-line app (``bench/empty_app.py``) by plain ``streamlit run`` from an empty folder, so they get
Streamlit's defaults. The Markdown goes into ``bench/LOAD.md`` between ``<!-- protocol:begin -->`` and
``<!-- protocol:end -->``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import ClientConnection

from bench import shapes

ROOT = Path(__file__).resolve().parent.parent
LOAD_MD = ROOT / "bench" / "LOAD.md"
BEGIN, END = "<!-- protocol:begin -->", "<!-- protocol:end -->"
WORDS = ["ketamine", "depression", "glutamate", "study", "relief", "brain", "zebra", "rapid"]
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE_SIZE_MB = os.sysconf("SC_PAGE_SIZE") / 2**20
SERVE_FLAGS = ["--server.address", "127.0.0.1", "--server.port", "{port}"]
SERVE_FLAGS += ["--server.headless", "true", "--browser.gatherUsageStats", "false"]
PASTE_KEY, ADD_KEY = "add_paste", "add_paste_btn"  # dashboard/ui/sidebar.py's Paste box and its button
HOSTILE_SHAPE = ("html", "no_container")  # the slowest and most memory-hungry shape per byte (bench/RESULTS.md)
HOSTILE_BYTES = 5_000_000  # under the default paste limit (ARTICLE_LENS_MAX_UPLOAD_MB, 5 MiB)
LENS, PLAIN, EMPTY = "Article Lens", "plain app", "empty app"
APP_IDS = {"lens": LENS, "plain": PLAIN, "empty": EMPTY}  # --apps


@dataclass
class App:
    name: str
    cmd: list[str]
    query: str
    search_key: str | None  # the user key of the text_input a rerun changes; None: plain reruns
    cwd: Path
    env: dict[str, str] = field(default_factory=dict)


@dataclass
class Wave:
    app: str
    viewers: int
    upload: bool = False
    errors: list[str] = field(default_factory=list)
    first: list[float] = field(default_factory=list)  # connect -> first run finished
    first_delta: list[float] = field(default_factory=list)  # connect -> first delta
    rerun: list[float] = field(default_factory=list)  # rerun sent -> script finished
    cpu_s: float = 0.0  # the server process
    child_cpu_s: float = 0.0  # its child processes (living and reaped)
    received_kb: float = 0.0  # websocket bytes the viewers received off the socket (not the upload's)
    rss_before_mb: float = 0.0
    rss_peak_mb: float = 0.0  # the server process's VmHWM over the wave
    rss_after_mb: float = 0.0
    tree_peak_mb: float = 0.0  # the server and its children, sampled
    wall_s: float = 0.0
    client_cpu_s: float = 0.0
    uploads: list[tuple[float, str]] = field(default_factory=list)  # (seconds, the message shown)


# --- the server process -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stat(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def cpu_seconds(pid: int) -> tuple[float, float]:
    """(the process's own utime+stime, its reaped children's cutime+cstime)."""
    f = _stat(pid)
    return (int(f[11]) + int(f[12])) / CLK_TCK, (int(f[13]) + int(f[14])) / CLK_TCK


def children(pid: int) -> list[int]:
    """Every descendant of ``pid`` alive now."""
    parent_of: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError):
                parent_of[int(entry.name)] = int(_stat(int(entry.name))[1])
    found, frontier = [], [pid]
    while frontier:
        kids = [p for p, pp in parent_of.items() if pp in frontier]
        found += kids
        frontier = kids
    return found


def live_children_cpu(pid: int) -> float:
    total = 0.0
    for kid in children(pid):
        with contextlib.suppress(OSError, IndexError):
            total += cpu_seconds(kid)[0]
    return total


def mem_mb(pid: int, key: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def tree_rss_mb(pid: int) -> float:
    """Resident memory of the server and all its descendants."""
    total = 0.0
    for p in [pid, *children(pid)]:
        with contextlib.suppress(OSError, IndexError, ValueError):
            total += int(Path(f"/proc/{p}/statm").read_text().split()[1]) * PAGE_SIZE_MB
    return total


def reset_hwm(pid: int) -> None:
    """Reset VmHWM to the current RSS (Linux 4.0+), so each wave's peak is its own."""
    with contextlib.suppress(OSError):
        Path(f"/proc/{pid}/clear_refs").write_text("5")


def start(app: App, port: int, log: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT), **app.env}
    cmd = [arg.replace("{port}", str(port)) for arg in app.cmd]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=app.cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{app.name} exited with {proc.returncode}; see {log}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.read().strip() == b"ok":
                    return proc
        except OSError:
            pass
        time.sleep(0.3)
    stop(proc)
    raise RuntimeError(f"{app.name} not healthy within 60 s; see {log}")


def stop(proc: subprocess.Popen, grace: float = 10.0) -> None:
    """SIGTERM, then SIGKILL if it has not ended within ``grace`` seconds."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


# --- one viewer ---------------------------------------------------------------------------------


def rerun_msg(query: str, page_hash: str, strings: list[tuple[str, str]], triggers: list[str] = ()) -> bytes:
    msg = BackMsg()
    cs = msg.rerun_script
    cs.query_string = query
    cs.page_script_hash = page_hash
    for wid, value in strings:
        ws = cs.widget_states.widgets.add()
        ws.id = wid
        ws.string_value = value
    for wid in triggers:
        ws = cs.widget_states.widgets.add()
        ws.id = wid
        ws.trigger_value = True
    return msg.SerializeToString()


class Run:
    """What one script run sent: the first delta's time, widget ids by user key, errors and alerts shown."""

    def __init__(self) -> None:
        self.first_delta: float | None = None
        self.ids: dict[str, str] = {}
        self.page_hash: str = ""
        self.errors: list[str] = []
        self.alerts: list[str] = []


def _user_key(widget_id: str) -> str:
    return widget_id.rsplit("-", 1)[-1]  # Streamlit's ids of keyed widgets end in "-<key>"


async def read_run(ws, run: Run) -> None:
    """Read ForwardMsgs up to the end of the main script's run (fragment runs do not end it)."""
    while True:
        data = await ws.recv()
        fwd = ForwardMsg()
        fwd.ParseFromString(data)
        kind = fwd.WhichOneof("type")
        if kind == "new_session":
            run.page_hash = fwd.new_session.page_script_hash or run.page_hash
        elif kind == "delta":
            if run.first_delta is None:
                run.first_delta = time.perf_counter()
            if fwd.delta.WhichOneof("type") == "new_element":
                el = fwd.delta.new_element
                which = el.WhichOneof("type")
                if which in ("text_input", "text_area", "button"):
                    wid = getattr(el, which).id
                    run.ids[_user_key(wid)] = wid
                elif which == "alert":
                    run.alerts.append(el.alert.body)
                elif which == "exception":
                    run.errors.append(f"exception: {el.exception.type}: {el.exception.message[:80]}")
        elif kind == "script_finished":
            status = fwd.script_finished
            if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                run.errors.append("compile error")
                return
            if status == ForwardMsg.FINISHED_SUCCESSFULLY:
                return
            # FINISHED_EARLY_FOR_RERUN / fragment runs: keep reading


class Counted(ClientConnection):
    """A client connection that counts the bytes it receives off the socket: the frames as the server
    sent them (compressed when it compresses), headers included."""

    bytes_in = 0

    def data_received(self, data: bytes) -> None:
        self.bytes_in += len(data)
        super().data_received(data)


def connect(url: str):
    return websockets.connect(
        url,
        subprotocols=["streamlit"],
        max_size=None,
        open_timeout=60,
        ping_interval=None,
        create_connection=Counted,
    )


async def viewer(url: str, app: App, delay: float, k: int, reruns: int, wave: Wave) -> None:
    await asyncio.sleep(delay)
    t0 = time.perf_counter()
    try:
        async with connect(url) as ws:
            run = Run()
            await ws.send(rerun_msg(app.query, "", []))
            await read_run(ws, run)
            wave.first.append(time.perf_counter() - t0)
            if run.first_delta is not None:
                wave.first_delta.append(run.first_delta - t0)
            wave.errors.extend(run.errors)
            page_hash, search_id = run.page_hash, run.ids.get(app.search_key or "")
            if app.search_key and not search_id:
                wave.errors.append(f"no text_input with the key {app.search_key!r}")
            for i in range(reruns):  # a different word each time, so the search box really changes
                widgets = [(search_id, WORDS[(k + i) % len(WORDS)])] if search_id else []
                run = Run()
                t1 = time.perf_counter()
                await ws.send(rerun_msg(app.query, page_hash, widgets))
                await read_run(ws, run)
                wave.rerun.append(time.perf_counter() - t1)
                wave.errors.extend(run.errors)
            wave.received_kb += ws.bytes_in / 1024
    except (TimeoutError, OSError, websockets.WebSocketException) as exc:
        wave.errors.append(f"{type(exc).__name__}: {exc}"[:120])


def hostile_text() -> str:
    """The largest ``no_container`` page of at most HOSTILE_BYTES bytes."""
    fmt, shape = HOSTILE_SHAPE
    n = shapes.n_for_bytes(fmt, shape, HOSTILE_BYTES)
    while len(data := shapes.generate(fmt, shape, n)) > HOSTILE_BYTES:
        n = int(n * 0.95)
    return data.decode()


async def uploader(url: str, app: App, text: str, started: asyncio.Event, done: asyncio.Event, wave: Wave) -> None:
    """Paste ``text`` and press Add, again and again (each time made unique) until ``done``."""
    try:
        async with connect(url) as ws:
            run = Run()
            await ws.send(rerun_msg(app.query, "", []))
            await read_run(ws, run)
            paste_id, add_id = run.ids.get(PASTE_KEY), run.ids.get(ADD_KEY)
            if not (paste_id and add_id):
                wave.errors.append(f"upload: no {PASTE_KEY!r} text area or {ADD_KEY!r} button")
                return
            page_hash, k = run.page_hash, 0
            while not done.is_set():
                k += 1
                # a unique paragraph at the top, so no Add is a stored duplicate
                unique = text.replace("<h2>", f"<p>Upload {time.time_ns()} {k}.</p><h2>", 1)
                run = Run()
                t1 = time.perf_counter()
                await ws.send(rerun_msg(app.query, page_hash, [(paste_id, unique)], [add_id]))
                await asyncio.sleep(0.3)  # the server has the text and is parsing it: let the viewers in
                started.set()
                await read_run(ws, run)
                shown = next((a for a in run.alerts if "add" in a.lower() or "pars" in a.lower()), "")
                shown = (shown or (run.alerts[0] if run.alerts else "no message")).replace("\\", "")
                wave.uploads.append((time.perf_counter() - t1, shown[:140]))
                wave.errors.extend(f"upload: {e}" for e in run.errors)
    except (TimeoutError, OSError, websockets.WebSocketException) as exc:
        wave.errors.append(f"upload: {type(exc).__name__}: {exc}"[:120])
    finally:
        started.set()


async def sample_tree(pid: int, wave: Wave, stop_sampling: asyncio.Event) -> None:
    while not stop_sampling.is_set():
        with contextlib.suppress(OSError):
            wave.tree_peak_mb = max(wave.tree_peak_mb, tree_rss_mb(pid))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop_sampling.wait(), 0.2)


def tree_cpu_seconds(pid: int) -> float:
    own, reaped = cpu_seconds(pid)
    return own + reaped + live_children_cpu(pid)


async def settle(pid: int, quiet: float = 0.05, most: float = 30.0) -> None:
    """Wait (up to ``most`` seconds) until the server and its children use under ``quiet`` s of CPU in
    a second: a parse worker replaced after a killed parse warms up (imports) before the next wave."""
    deadline = time.monotonic() + most
    while time.monotonic() < deadline:
        before = tree_cpu_seconds(pid)
        await asyncio.sleep(1.0)
        if tree_cpu_seconds(pid) - before < quiet:
            return


async def run_wave(
    app: App, port: int, pid: int, n: int, reruns: int, timeout: float, hostile: str | None = None
) -> Wave:
    wave = Wave(app.name, n, upload=hostile is not None)
    url = f"ws://127.0.0.1:{port}/_stcore/stream"
    await settle(pid)
    reset_hwm(pid)
    wave.rss_before_mb = mem_mb(pid, "VmRSS")
    stop_sampling, upload_started, viewers_done = asyncio.Event(), asyncio.Event(), asyncio.Event()
    sampler = asyncio.create_task(sample_tree(pid, wave, stop_sampling))
    cpu0, reaped0 = cpu_seconds(pid)
    kids0 = live_children_cpu(pid)
    t0, client0 = time.perf_counter(), time.process_time()
    upload_task = None
    if hostile is not None:
        upload_task = asyncio.create_task(uploader(url, app, hostile, upload_started, viewers_done, wave))
        await asyncio.wait_for(upload_started.wait(), timeout)
    delays = [0.0] if n == 1 else [i / n for i in range(n)]  # all arrive within one second
    tasks = [asyncio.create_task(viewer(url, app, d, i, reruns, wave)) for i, d in enumerate(delays)]
    _done, pending = await asyncio.wait(tasks, timeout=timeout)
    for task in pending:
        task.cancel()
    if pending:
        await asyncio.gather(*pending, return_exceptions=True)
        wave.errors.extend([f"timeout after {timeout:.0f} s"] * len(pending))
    viewers_done.set()
    if upload_task is not None:  # the Add in flight ends at the parse limit (or the parse's end)
        try:
            await asyncio.wait_for(upload_task, timeout)
        except TimeoutError:
            wave.errors.append(f"upload: still running {timeout:.0f} s after the viewers")
    await asyncio.sleep(0.5)  # let the server finish closing sessions
    wave.wall_s = time.perf_counter() - t0
    cpu1, reaped1 = cpu_seconds(pid)
    wave.cpu_s = cpu1 - cpu0
    wave.child_cpu_s = max(0.0, reaped1 - reaped0 + live_children_cpu(pid) - kids0)
    wave.client_cpu_s = time.process_time() - client0
    wave.rss_peak_mb = max(mem_mb(pid, "VmHWM"), mem_mb(pid, "VmRSS"))
    wave.rss_after_mb = mem_mb(pid, "VmRSS")
    stop_sampling.set()
    await sampler
    return wave


# --- report -------------------------------------------------------------------------------------


def pct(xs: list[float], q: float) -> float | None:
    if not xs:
        return None
    if len(xs) == 1:
        return xs[0]
    return statistics.quantiles(xs, n=100, method="inclusive")[int(q) - 1]


def fmt(x: float | None) -> str:
    return "-" if x is None else f"{x:.2f} s"


def ratio(a: float | None, b: float | None) -> str:
    return "-" if a is None or not b else f"{a / b:.2f}x"


def label(w: Wave) -> str:
    return w.app + (" + upload" if w.upload else "")


def table(waves: list[Wave]) -> str:
    rows = [
        "| app | viewers | errors | first result p50 / p95 | first delta p50 | rerun p50 / p95 "
        "| server CPU per viewer | received per viewer | server RSS before / peak / after "
        "| server + children RSS peak | wave wall time | client CPU |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for w in waves:
        rows.append(
            f"| {label(w)} | {w.viewers} | {len(w.errors)} | {fmt(pct(w.first, 50))} / {fmt(pct(w.first, 95))} "
            f"| {fmt(pct(w.first_delta, 50))} | {fmt(pct(w.rerun, 50))} / {fmt(pct(w.rerun, 95))} "
            f"| {w.cpu_s / w.viewers:.2f} s | {w.received_kb / w.viewers:.0f} KB "
            f"| {w.rss_before_mb:.0f} / {w.rss_peak_mb:.0f} / {w.rss_after_mb:.0f} MB | {w.tree_peak_mb:.0f} MB "
            f"| {w.wall_s:.1f} s | {w.client_cpu_s:.1f} s |"
        )
    by = {(w.app, w.viewers, w.upload): w for w in waves}
    sizes = sorted({w.viewers for w in waves})
    out = ["", "Ratios to the empty app in the same wave (targets for Article Lens: every ratio <= 1.5x):", ""]
    out += ["| app | viewers | first-result p95 | rerun p95 | server CPU per viewer |", "|---|---|---|---|---|"]
    for name in (LENS, PLAIN):
        for n in sizes:
            a, b = by.get((name, n, False)), by.get((EMPTY, n, False))
            if a and b:
                out.append(
                    f"| {name} | {n} | {ratio(pct(a.first, 95), pct(b.first, 95))} "
                    f"| {ratio(pct(a.rerun, 95), pct(b.rerun, 95))} "
                    f"| {ratio(a.cpu_s / a.viewers, b.cpu_s / b.viewers)} |"
                )
    uploads = [(n, by.get((LENS, n, False)), by.get((LENS, n, True))) for n in sizes]
    uploads = [(n, idle, up) for n, idle, up in uploads if idle and up]
    if uploads:
        out += [
            "",
            "Article Lens while a hostile paste is parsed (target: rerun p95 <= 1.5x idle; memory under the cap):",
            "",
            "| viewers | rerun p95 idle / upload | ratio | first-result p95 idle / upload | Adds done "
            "| Add took (median) | the Add's message | server + children RSS peak | children CPU |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for n, idle, up in uploads:
            took = statistics.median(t for t, _ in up.uploads) if up.uploads else None
            messages = sorted({m for _, m in up.uploads}) or ["none finished"]
            out.append(
                f"| {n} | {fmt(pct(idle.rerun, 95))} / {fmt(pct(up.rerun, 95))} "
                f"| {ratio(pct(up.rerun, 95), pct(idle.rerun, 95))} "
                f"| {fmt(pct(idle.first, 95))} / {fmt(pct(up.first, 95))} | {len(up.uploads)} | {fmt(took)} "
                f"| {'; '.join(messages)[:200]} | {up.tree_peak_mb:.0f} MB | {up.child_cpu_s:.1f} s |"
            )
    errors = sorted({e for w in waves for e in w.errors})
    if errors:
        out += ["", "Errors seen (distinct): " + "; ".join(errors[:5])]
    return "\n".join(rows + out)


def write_section(body: str) -> None:
    text = LOAD_MD.read_text() if LOAD_MD.exists() else ""
    section = f"{BEGIN}\n{body}\n{END}"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        text = head + section + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    LOAD_MD.write_text(text)


def describe(args: argparse.Namespace, hostile_bytes: int) -> str:
    upload = (
        ""
        if args.no_upload
        else (
            f"Upload waves (Article Lens + upload): the same viewers while one more protocol client pastes a "
            f"{hostile_bytes / 1e6:.1f} MB hostile HTML page (`bench/shapes.py` `no_container`) into the Add box "
            "and presses Add, again until the viewers are done; the server runs with "
            f"`ARTICLE_LENS_PARSE_SECONDS={args.parse_seconds:g}`. The server's CPU in these waves includes taking "
            "in the pastes; the parse workers' CPU is under children.\n\n"
        )
    )
    return (
        "## Protocol-level load run\n\n"
        f"`PYTHONPATH=. python -m bench.protocol_load --waves {','.join(map(str, args.waves))}`: viewers "
        "that speak Streamlit's websocket protocol (`streamlit.proto` `BackMsg`/`ForwardMsg` over "
        "`/_stcore/stream`, no browser), so the client costs little CPU. Each viewer: one first run with the "
        f"query of a shared link (Article Lens `?{args.query}`), then {args.reruns} reruns changing the search "
        "box (Article Lens `w_q`, the plain app `q`; the empty app has no widget, so its reruns are plain "
        "reruns). Before the measured waves, one unmeasured wave of 8 viewers searches each word once (warm "
        "imports and caches, as on a live server). All viewers of a wave arrive within one second; waves run "
        "one after another (each once the "
        "server and its children are idle: a parse worker replaced after a killed parse warms up first) against one "
        "server process per app, the three apps in the same run, on this 2-core machine (client and server "
        "share it). Article Lens runs as served (`python -m dashboard serve`, `.streamlit/config.toml`); the "
        "plain three-chart app and the empty app under plain `streamlit run` with Streamlit's defaults.\n\n"
        + upload
        + "First result: connect to the first run's `script_finished` (first delta: to its first delta). "
        "Rerun: sending the rerun to `script_finished`. Server CPU: utime+stime of the server process over "
        "the wave, divided by the viewers. Received: the websocket bytes a viewer read off its socket "
        "over its three runs (compressed when the server compresses). RSS: the server process before the "
        "wave, its peak (VmHWM, reset per wave) and after; and the peak of the server plus its child "
        "processes (sampled every 0.2 s). Client CPU: this load generator's own process time over the wave "
        "(all its viewers).\n"
    )


def parse_env(pairs: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        key, sep, val = pair.partition("=")
        if not sep or not key:
            raise ValueError(f"--lens-env takes KEY=VALUE, not {pair!r}")
        out[key] = val
    return out


async def main_async(args: argparse.Namespace) -> str:
    tmp = Path(tempfile.mkdtemp(prefix="protocol_load_"))
    clean = tmp / "cwd"  # no .streamlit/ here: the baseline apps get Streamlit's defaults
    clean.mkdir()
    lens_env = {
        "ARTICLE_LENS_SQLITE_PATH": str(tmp / "library.sqlite3"),
        "ARTICLE_LENS_PARSE_SECONDS": f"{args.parse_seconds:g}",
        **parse_env(args.lens_env),
    }
    serve = [sys.executable, "-m", "dashboard", "serve", "--address", "127.0.0.1", "--port", "{port}"]
    apps = {
        LENS: App(LENS, serve, args.query, "w_q", ROOT, lens_env),
        PLAIN: App(
            PLAIN,
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "bench" / "plain_app.py"), *SERVE_FLAGS],
            "",
            "q",
            clean,
        ),
        EMPTY: App(
            EMPTY,
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "bench" / "empty_app.py"), *SERVE_FLAGS],
            "",
            None,
            clean,
        ),
    }
    chosen = [apps[APP_IDS[a]] for a in args.apps]
    hostile = None if args.no_upload else hostile_text()
    waves: list[Wave] = []
    for app in chosen:
        port = free_port()
        proc = start(app, port, tmp / f"{app.name.split()[0].lower()}.log")
        try:
            # An unmeasured wave first, so imports and caches warm up as on a live server: viewer k searches
            # WORDS[k] and WORDS[k + 1], so every word has been searched once before any measured wave.
            await run_wave(app, port, proc.pid, len(WORDS), args.reruns, args.timeout)
            for n in args.waves:
                modes = [None, hostile] if app.name == LENS and hostile is not None else [None]
                for mode in modes:
                    wave = await run_wave(app, port, proc.pid, n, args.reruns, args.timeout, mode)
                    print(
                        f"{label(wave):22} {n:4} viewers: errors {len(wave.errors)}, "
                        f"first p95 {fmt(pct(wave.first, 95))}, rerun p95 {fmt(pct(wave.rerun, 95))}, "
                        f"CPU/viewer {wave.cpu_s / n:.2f} s, RSS {wave.rss_before_mb:.0f}/{wave.rss_peak_mb:.0f}/"
                        f"{wave.rss_after_mb:.0f} MB (tree {wave.tree_peak_mb:.0f}), wall {wave.wall_s:.1f} s"
                        + (f", adds {[(round(t, 1), m[:60]) for t, m in wave.uploads]}" if wave.upload else ""),
                        flush=True,
                    )
                    waves.append(wave)
        finally:
            stop(proc)
    return describe(args, len(hostile.encode()) if hostile else 0) + "\n" + table(waves)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.protocol_load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--waves", default="1,25,100", help="viewers per wave, comma-separated (default: 1,25,100)")
    parser.add_argument("--reruns", type=int, default=2, help="search changes per viewer (default: 2)")
    parser.add_argument("--timeout", type=float, default=300, help="seconds a wave may take (default: 300)")
    parser.add_argument("--query", default="view=sections", help="the shared link's query for Article Lens")
    parser.add_argument("--apps", default="lens,plain,empty", help="which apps, comma-separated (default: all three)")
    parser.add_argument("--no-upload", action="store_true", help="no Article Lens waves with a hostile paste")
    parser.add_argument("--parse-seconds", type=float, default=5, help="ARTICLE_LENS_PARSE_SECONDS for the server")
    parser.add_argument("--lens-env", action="append", default=[], help="KEY=VALUE for Article Lens (trials)")
    parser.add_argument("--no-write", action="store_true", help="print the report; leave bench/LOAD.md alone")
    args = parser.parse_args(argv)
    args.waves = [int(x) for x in args.waves.split(",") if x.strip()]
    if any(n < 1 or n > 500 for n in args.waves):
        parser.error("each wave must have 1 to 500 viewers")
    args.apps = [a.strip() for a in args.apps.split(",") if a.strip()]
    if unknown := set(args.apps) - set(APP_IDS):
        parser.error(f"unknown apps: {sorted(unknown)}")
    try:
        parse_env(args.lens_env)
    except ValueError as e:
        parser.error(str(e))
    report = asyncio.run(main_async(args))
    print(report)
    if not args.no_write:
        write_section(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
