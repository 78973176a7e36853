"""Protocol-level load run: viewers that speak Streamlit's websocket protocol, no browser.

    PYTHONPATH=. python -m bench.protocol_load [--waves 1,25,100] [--timeout 180] [--no-write]

Each viewer opens ``/_stcore/stream`` (subprotocol ``streamlit``, as the browser client does), sends
a ``BackMsg.rerun_script`` with the query string of a shared link, reads ``ForwardMsg``s until
``script_finished``, then twice changes the search box (a ``WidgetState`` with a string value for the
``text_input`` whose user key is ``w_q``) and waits for the script to finish again. The empty app has no
widget, so its two reruns are plain reruns of the same query. All viewers of a wave arrive within one
second. Per wave: errors, first-result latency (connect to the first run's ``script_finished``; and to
its first delta), rerun latency (send to ``script_finished``), server CPU per viewer (utime+stime of
the server process over the wave, from ``/proc``) and server memory (VmRSS before, VmHWM after).

Both servers are started here on 127.0.0.1 with a free port and stopped after: Article Lens by
``python -m dashboard serve`` (on a temporary SQLite library), the empty one-line app
(``bench/empty_app.py``) by ``streamlit run``. The Markdown table goes into ``bench/LOAD.md`` between
``<!-- protocol:begin -->`` and ``<!-- protocol:end -->``.
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

ROOT = Path(__file__).resolve().parent.parent
LOAD_MD = ROOT / "bench" / "LOAD.md"
BEGIN, END = "<!-- protocol:begin -->", "<!-- protocol:end -->"
SEARCH_KEY = "w_q"
WORDS = ["ketamine", "depression", "glutamate", "study", "relief", "brain", "zebra", "rapid"]
CLK_TCK = os.sysconf("SC_CLK_TCK")
SERVE_FLAGS = ["--server.address", "127.0.0.1", "--server.port", "{port}"]
SERVE_FLAGS += ["--server.headless", "true", "--browser.gatherUsageStats", "false"]


@dataclass
class App:
    name: str
    cmd: list[str]
    query: str
    env: dict[str, str] = field(default_factory=dict)


@dataclass
class Wave:
    app: str
    viewers: int
    errors: list[str] = field(default_factory=list)
    first: list[float] = field(default_factory=list)  # connect -> first run finished
    first_delta: list[float] = field(default_factory=list)  # connect -> first delta
    rerun: list[float] = field(default_factory=list)  # rerun sent -> script finished
    cpu_s: float = 0.0
    rss_before_mb: float = 0.0
    rss_peak_mb: float = 0.0
    wall_s: float = 0.0
    client_cpu_s: float = 0.0


# --- the server process -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime, stime


def mem_mb(pid: int, key: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def reset_hwm(pid: int) -> None:
    """Reset VmHWM to the current RSS (Linux 4.0+), so each wave's peak is its own."""
    with contextlib.suppress(OSError):
        Path(f"/proc/{pid}/clear_refs").write_text("5")


def start(app: App, port: int, log: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT), **app.env}
    cmd = [arg.replace("{port}", str(port)) for arg in app.cmd]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
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


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


# --- one viewer ---------------------------------------------------------------------------------


def rerun_msg(query: str, page_hash: str, widgets: list[tuple[str, str]]) -> bytes:
    msg = BackMsg()
    cs = msg.rerun_script
    cs.query_string = query
    cs.page_script_hash = page_hash
    for wid, value in widgets:
        ws = cs.widget_states.widgets.add()
        ws.id = wid
        ws.string_value = value
    return msg.SerializeToString()


class Run:
    """What one script run sent: the first delta's time, the search box's id, errors shown."""

    def __init__(self) -> None:
        self.first_delta: float | None = None
        self.search_id: str | None = None
        self.page_hash: str = ""
        self.errors: list[str] = []


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
                if which == "text_input" and el.text_input.id.endswith("-" + SEARCH_KEY):
                    run.search_id = el.text_input.id
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


async def viewer(url: str, query: str, delay: float, k: int, reruns: int, wave: Wave) -> None:
    await asyncio.sleep(delay)
    t0 = time.perf_counter()
    try:
        async with websockets.connect(
            url, subprotocols=["streamlit"], max_size=None, open_timeout=60, ping_interval=None
        ) as ws:
            run = Run()
            await ws.send(rerun_msg(query, "", []))
            await read_run(ws, run)
            wave.first.append(time.perf_counter() - t0)
            if run.first_delta is not None:
                wave.first_delta.append(run.first_delta - t0)
            wave.errors.extend(run.errors)
            page_hash, search_id = run.page_hash, run.search_id
            for i in range(reruns):  # a different word each time, so the search box really changes
                widgets = [(search_id, WORDS[(k + i) % len(WORDS)])] if search_id else []
                run = Run()
                t1 = time.perf_counter()
                await ws.send(rerun_msg(query, page_hash, widgets))
                await read_run(ws, run)
                wave.rerun.append(time.perf_counter() - t1)
                wave.errors.extend(run.errors)
    except (TimeoutError, OSError, websockets.WebSocketException) as exc:
        wave.errors.append(f"{type(exc).__name__}: {exc}"[:120])


async def run_wave(app: App, port: int, pid: int, n: int, reruns: int, timeout: float) -> Wave:
    wave = Wave(app.name, n)
    url = f"ws://127.0.0.1:{port}/_stcore/stream"
    reset_hwm(pid)
    wave.rss_before_mb = mem_mb(pid, "VmRSS")
    cpu0, t0, client0 = cpu_seconds(pid), time.perf_counter(), time.process_time()
    delays = [0.0] if n == 1 else [i / n for i in range(n)]  # all arrive within one second
    tasks = [asyncio.create_task(viewer(url, app.query, d, i, reruns, wave)) for i, d in enumerate(delays)]
    _done, pending = await asyncio.wait(tasks, timeout=timeout)
    for task in pending:
        task.cancel()
    if pending:
        await asyncio.gather(*pending, return_exceptions=True)
        wave.errors.extend([f"timeout after {timeout:.0f} s"] * len(pending))
    await asyncio.sleep(0.5)  # let the server finish closing sessions
    wave.wall_s = time.perf_counter() - t0
    wave.cpu_s = cpu_seconds(pid) - cpu0
    wave.client_cpu_s = time.process_time() - client0
    wave.rss_peak_mb = max(mem_mb(pid, "VmHWM"), mem_mb(pid, "VmRSS"))
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


def table(waves: list[Wave], names: tuple[str, str]) -> str:
    rows = [
        "| app | viewers | errors | first result p50 / p95 | first delta p50 | rerun p50 / p95 "
        "| server CPU per viewer | server RSS before / peak | wave wall time | client CPU |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for w in waves:
        rows.append(
            f"| {w.app} | {w.viewers} | {len(w.errors)} | {fmt(pct(w.first, 50))} / {fmt(pct(w.first, 95))} "
            f"| {fmt(pct(w.first_delta, 50))} | {fmt(pct(w.rerun, 50))} / {fmt(pct(w.rerun, 95))} "
            f"| {w.cpu_s / w.viewers:.2f} s | {w.rss_before_mb:.0f} / {w.rss_peak_mb:.0f} MB | {w.wall_s:.1f} s "
            f"| {w.client_cpu_s:.1f} s |"
        )
    lens, empty = names
    by = {(w.app, w.viewers): w for w in waves}
    out = ["", f"Ratios {lens} / {empty} (targets: CPU per viewer <= 1.5x; p95s <= 1.5x at 25 and 100):", ""]
    out += ["| viewers | first-result p95 | rerun p95 | server CPU per viewer |", "|---|---|---|---|"]
    for n in sorted({w.viewers for w in waves}):
        a, b = by.get((lens, n)), by.get((empty, n))
        if a and b:
            out.append(
                f"| {n} | {ratio(pct(a.first, 95), pct(b.first, 95))} | {ratio(pct(a.rerun, 95), pct(b.rerun, 95))} "
                f"| {ratio(a.cpu_s / a.viewers, b.cpu_s / b.viewers)} |"
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


def describe(waves_arg: list[int], reruns: int, lens_query: str) -> str:
    return (
        "## Protocol-level load run\n\n"
        f"`PYTHONPATH=. python -m bench.protocol_load --waves {','.join(map(str, waves_arg))}`: viewers that speak "
        "Streamlit's websocket protocol (`streamlit.proto` `BackMsg`/`ForwardMsg` over `/_stcore/stream`, "
        "no browser), so the client costs little CPU. Each viewer: one first run with the query of a shared "
        f"link (Article Lens `?{lens_query}`), then {reruns} reruns changing the search box (`w_q`; the "
        "empty app has no widget, so its reruns are plain reruns). All viewers of a wave arrive within one "
        "second; waves run one after another against one server process per app, both apps in the same "
        "run, on this 2-core machine (client and server share it).\n\n"
        "First result: connect to the first run's `script_finished` (first delta: to its first delta). "
        "Rerun: sending the rerun to `script_finished`. Server CPU: utime+stime of the server process over "
        "the wave, divided by the viewers. RSS: before the wave, and its peak (VmHWM, reset per wave). "
        "Client CPU: this load generator's own process time over the wave (all its viewers).\n"
    )


async def main_async(args: argparse.Namespace) -> str:
    tmp = Path(tempfile.mkdtemp(prefix="protocol_load_"))
    lens = App(
        "Article Lens",
        [sys.executable, "-m", "dashboard", "serve", "--address", "127.0.0.1", "--port", "{port}"],
        args.query,
        {"ARTICLE_LENS_SQLITE_PATH": str(tmp / "library.sqlite3")},
    )
    empty = App(
        "empty app",
        [sys.executable, "-m", "streamlit", "run", "bench/empty_app.py", *SERVE_FLAGS],
        "",
    )
    waves: list[Wave] = []
    for app in (lens, empty):
        port = free_port()
        proc = start(app, port, tmp / f"{app.name.split()[0].lower()}.log")
        try:
            # one unmeasured viewer first, so module imports and caches warm up as on a live server
            await run_wave(app, port, proc.pid, 1, 0, args.timeout)
            for n in args.waves:
                wave = await run_wave(app, port, proc.pid, n, args.reruns, args.timeout)
                print(
                    f"{app.name:13} {n:4} viewers: errors {len(wave.errors)}, first p95 {fmt(pct(wave.first, 95))}, "
                    f"rerun p95 {fmt(pct(wave.rerun, 95))}, CPU/viewer {wave.cpu_s / n:.2f} s, "
                    f"RSS {wave.rss_before_mb:.0f}/{wave.rss_peak_mb:.0f} MB, wall {wave.wall_s:.1f} s",
                    flush=True,
                )
                waves.append(wave)
        finally:
            stop(proc)
    return describe(args.waves, args.reruns, args.query) + "\n" + table(waves, (lens.name, empty.name))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.protocol_load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--waves", default="1,25,100", help="viewers per wave, comma-separated (default: 1,25,100)")
    parser.add_argument("--reruns", type=int, default=2, help="search changes per viewer (default: 2)")
    parser.add_argument("--timeout", type=float, default=180, help="seconds a wave may take (default: 180)")
    parser.add_argument("--query", default="view=sections", help="the shared link's query for Article Lens")
    parser.add_argument("--no-write", action="store_true", help="print the table; leave bench/LOAD.md alone")
    args = parser.parse_args(argv)
    args.waves = [int(x) for x in args.waves.split(",") if x.strip()]
    if any(n < 1 or n > 500 for n in args.waves):
        parser.error("each wave must have 1 to 500 viewers")
    report = asyncio.run(main_async(args))
    print(report)
    if not args.no_write:
        write_section(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
