"""First render over an emulated link: Article Lens against a plain plotly app and the empty app.

    python -m bench.first_render              # 5 loads each after one warm-up; writes bench/FIRST_RENDER.md
    python -m bench.first_render --runs 2 --out /tmp/fr.md    # a quick trial
    python -m bench.first_render --waterfall  # also print each app's requests of one load, in order

Each load is a new Chromium context (no cache) whose network DevTools emulates: 40 ms latency,
20 Mbit/s down, 5 Mbit/s up (``Network.emulateNetworkConditions``). A load is *ready* when the
app is connected, its script has finished (``data-test-script-state="notRunning"``), no skeleton
is left, the app's own content is on the page and every expected plotly chart is drawn (a
``.js-plotly-plot .main-svg`` for each). The time is taken in the page (``performance.now()``
from the navigation's start) by a ``MutationObserver`` that tests this on every change, so it
does not depend on polling from Python.

Bytes on the wire are CDP's ``Network.loadingFinished`` ``encodedDataLength`` (headers and body
as received) summed over the load's HTTP requests. The websocket's bytes are counted by a small
TCP relay in front of each server (DevTools reports its frames decompressed): every byte the
server sends on the ``/_stcore/stream`` connection, compression and framing included. That is one
more load of each app through the relay, after the timed ones, which load from the server itself
(trial runs through the relay stalled now and then, every request of a load left unanswered).

Apps, all served on 127.0.0.1 on free ports and stopped at the end:

- ``lens``: Article Lens on its bundled article, ``python -m dashboard serve`` (the deployed path);
- ``lens_no_preload``: the same app and compression without the page's plotly preload (an ASGI
  file written to a temporary folder, under ``streamlit run``), to measure what the preload gives;
- ``lens_wsc``: ``lens`` with ``STREAMLIT_SERVER_ENABLE_WEBSOCKET_COMPRESSION=true``;
- ``lens_no_code``: a what-if, ``lens`` with the browser refusing the syntax highlighter's module
  and the monospace font that the sidebar's ``st.code`` (the share box) fetches: an estimate of
  what showing the link another way would save (the box shows an error instead);
- ``plain``: ``bench/plain_app.py`` (three plotly charts and a table) under plain ``streamlit run``;
- ``empty``: ``bench/empty_app.py`` (one line) under plain ``streamlit run``.

*Server CPU* is the server process's user and system time over one load. After the timed loads,
one more load of ``lens`` and ``plain`` runs under the CDP sampling profiler: the main thread's
busy time by script says what the browser spends its time on.

Targets (ratios of medians in this one run): Article Lens's first render <= 0.5x the plain app's
and <= 1.8x the empty app's. Timings never gate CI; run the final figures under
``flock /tmp/bench.lock``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import platform
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

from playwright.async_api import Browser, async_playwright
from playwright.async_api import TimeoutError as PlaywrightTimeout

from dashboard import settings
from tests.e2e.server import CHROMIUM, CHROMIUM_ARGS, ROOT, start_server, stop_server

BENCH = Path(__file__).resolve().parent
LATENCY_MS = 40
DOWN_BITS = 20_000_000
UP_BITS = 5_000_000
PLAIN_TARGET = 0.5  # Article Lens's first render at most this times the plain app's
EMPTY_TARGET = 1.8  # and at most this times the empty app's

# Ready, tested in the page on every DOM change; records the first moment it holds.
READY_SCRIPT = """
(() => {
  const expected = %(charts)d;
  const content = %(content)s;
  const ready = () => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.getAttribute('data-test-connection-state') !== 'CONNECTED') return false;
    if (app.getAttribute('data-test-script-state') !== 'notRunning') return false;
    if (document.querySelector('[data-testid="stSkeleton"]')) return false;
    if (!document.querySelector(content)) return false;
    const charts = document.querySelectorAll('[data-testid="stPlotlyChart"]');
    if (charts.length < expected) return false;
    return [...charts].every(c => c.querySelector('.js-plotly-plot .main-svg'));
  };
  // Milestones for the waterfall: when each part of "ready" first held.
  const marks = window.__marks = {};
  const mark = (name, ok) => { if (ok && marks[name] === undefined) marks[name] = performance.now(); };
  const check = () => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (app) {
      mark('connected', app.getAttribute('data-test-connection-state') === 'CONNECTED');
      mark('script running', app.getAttribute('data-test-script-state') === 'running');
      const state = app.getAttribute('data-test-script-state');
      mark('script finished', marks['script running'] !== undefined && state === 'notRunning');
      mark('content shown', !!document.querySelector(content));
      const drawn = document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot .main-svg').length;
      if (drawn) mark('first chart drawn', true);
    }
    if (window.__readyAt === undefined && ready()) {
      window.__readyAt = performance.now();
      observer.disconnect();
    }
  };
  const observer = new MutationObserver(check);
  const start = () => observer.observe(document.documentElement, {subtree: true, childList: true, attributes: true});
  if (document.documentElement) start(); else document.addEventListener('DOMContentLoaded', start);
})();
"""


@dataclass(frozen=True)
class App:
    key: str
    label: str
    script: Path | None  # None: Article Lens under `python -m dashboard serve`
    charts: int  # plotly charts drawn on the first view
    content: str  # a selector only the app's own first view has
    env: dict[str, str] = field(default_factory=dict)
    blocked: tuple[str, ...] = ()  # URL patterns the browser refuses (a what-if)


@dataclass
class Request:
    url: str
    start: float  # seconds from the navigation's request
    end: float | None = None
    bytes: int = 0
    status: int | None = None
    encoding: str = ""
    kind: str = ""


@dataclass
class Load:
    seconds: float
    http_bytes: int
    ws_bytes: int
    requests: int
    waterfall: list[Request]
    ws_first: float | None  # first websocket message, seconds from the navigation's request
    ws_last: float | None  # last websocket message before ready (the script's end)
    ws_messages: int
    marks: dict[str, float]  # seconds from the navigation's start when each part of ready first held
    server_cpu: float  # the server process's CPU seconds over the load


class Relay:
    """A TCP relay on 127.0.0.1 that counts what the server sends on websocket connections."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.port = 0
        self.ws_bytes = 0
        self.server: asyncio.Server | None = None

    async def start(self) -> int:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]
        return self.port

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.server.wait_closed(), 5)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        # The server is dialled only once the browser sends its request: a connection Chromium
        # opens ahead and leaves idle would otherwise meet a server that closed it meanwhile.
        first = await reader.read(65536)
        try:
            if not first:
                raise ConnectionResetError
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            writer.close()
            return
        websocket = b"/_stcore/stream" in first.split(b"\r\n", 1)[0]
        up_writer.write(first)

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter, count: bool) -> None:
            try:
                while data := await src.read(65536):
                    if count:
                        self.ws_bytes += len(data)
                    dst.write(data)
                    await dst.drain()
            except (ConnectionError, asyncio.CancelledError):
                pass

        # Either side closing ends both, as a direct connection would.
        tasks = [
            asyncio.ensure_future(pipe(reader, up_writer, False)),
            asyncio.ensure_future(pipe(up_reader, writer, websocket)),
        ]
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for task in tasks:
            task.cancel()
        for w in (writer, up_writer):
            with contextlib.suppress(Exception):
                w.close()


def cpu_seconds(pid: int) -> float:
    """A process's user and system CPU time so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def load_once(
    browser: Browser,
    url: str,
    app: App,
    server_pid: int,
    profile: Counter[str] | None = None,
    relay: Relay | None = None,
    timeout: float = 90,
) -> Load:
    """One load in a fresh context over the emulated link; raises if not ready in ``timeout``
    seconds. With ``profile``, the page's main thread is sampled and its busy time added by
    script; through ``relay``, the websocket's bytes are counted."""
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = await context.new_page()
        await page.add_init_script(READY_SCRIPT % {"charts": app.charts, "content": repr(app.content)})
        cdp = await context.new_cdp_session(page)
        requests: dict[str, Request] = {}
        origin: list[float] = []  # CDP timestamp of the document's request
        ws_times: list[float] = []

        def sent(e: dict) -> None:
            if not origin:
                origin.append(e["timestamp"])
            requests[e["requestId"]] = Request(e["request"]["url"], e["timestamp"] - origin[0], kind=e.get("type", ""))

        def received(e: dict) -> None:
            r = requests.get(e["requestId"])
            if r is not None:
                headers = {k.lower(): v for k, v in e["response"].get("headers", {}).items()}
                r.status = e["response"]["status"]
                r.encoding = headers.get("content-encoding", "")

        def finished(e: dict) -> None:
            r = requests.get(e["requestId"])
            if r is not None:
                r.end = e["timestamp"] - origin[0]
                r.bytes = int(e["encodedDataLength"])

        cdp.on("Network.requestWillBeSent", sent)
        cdp.on("Network.responseReceived", received)
        cdp.on("Network.loadingFinished", finished)
        cdp.on("Network.webSocketFrameReceived", lambda e: ws_times.append(e["timestamp"]))
        await cdp.send("Network.enable")
        if app.blocked:
            await cdp.send("Network.setBlockedURLs", {"urls": list(app.blocked)})
        if profile is not None:
            await cdp.send("Profiler.enable")
            await cdp.send("Profiler.setSamplingInterval", {"interval": 1000})
            await cdp.send("Profiler.start")
        await cdp.send(
            "Network.emulateNetworkConditions",
            {
                "offline": False,
                "latency": LATENCY_MS,
                "downloadThroughput": DOWN_BITS / 8,
                "uploadThroughput": UP_BITS / 8,
            },
        )
        ws_before = relay.ws_bytes if relay else 0
        cpu_before = cpu_seconds(server_pid)
        await page.goto(url, wait_until="commit", timeout=90_000)
        try:
            await page.wait_for_function("() => window.__readyAt !== undefined", timeout=timeout * 1000, polling=50)
        except PlaywrightTimeout:
            marks = await page.evaluate("() => window.__marks")
            pending = [r.url for r in requests.values() if r.end is None]
            raise RuntimeError(
                f"{app.key}: not ready in {timeout:.0f} s; reached {marks}; unfinished {pending}"
            ) from None
        seconds = await page.evaluate("() => window.__readyAt") / 1000
        marks = {k: v / 1000 for k, v in (await page.evaluate("() => window.__marks")).items()}
        ws_bytes = relay.ws_bytes - ws_before if relay else 0
        server_cpu = cpu_seconds(server_pid) - cpu_before
        if profile is not None:
            add_profile(profile, (await cdp.send("Profiler.stop"))["profile"])
        done = [r for r in requests.values() if r.end is not None and not r.url.startswith("data:")]
        ready_ts = origin[0] + seconds if origin else 0.0
        early_ws = [t for t in ws_times if t <= ready_ts + 0.05]
        return Load(
            seconds=seconds,
            http_bytes=sum(r.bytes for r in done),
            ws_bytes=ws_bytes,
            requests=len(done),
            waterfall=sorted(done, key=lambda r: r.start),
            ws_first=(min(ws_times) - origin[0]) if ws_times and origin else None,
            ws_last=(max(early_ws) - origin[0]) if early_ws and origin else None,
            ws_messages=len(early_ws),
            marks=marks,
            server_cpu=server_cpu,
        )
    finally:
        await context.close()


# Article Lens's middleware without the page's plotly preload, for the A/B in the same run.
NO_PRELOAD_ASGI = """import sys
sys.path.insert(0, {root!r})
from pathlib import Path
import streamlit as st
from starlette.middleware import Middleware
from dashboard.asgi import LinkGuard
from dashboard.compress import CompressMiddleware
middleware = [Middleware(LinkGuard), Middleware(CompressMiddleware)]
app = st.App(Path({root!r}) / "dashboard" / "app.py", middleware=middleware)
"""
CODE_BLOCK_FILES = ("*StreamlitSyntaxHighlighter.*", "*SourceCodeVF-*")  # what st.code fetches


def apps(folder: Path) -> list[App]:
    """The apps in the order they take turns; ``folder`` holds their library and the A/B's ASGI file."""
    lens_env = {settings.SQLITE_PATH: str(folder / "library.sqlite3"), settings.DATABASE_URL: ""}
    no_preload = folder / "asgi_no_preload.py"
    no_preload.write_text(NO_PRELOAD_ASGI.format(root=str(ROOT)))
    tabs = '[data-testid="stTabs"]'
    return [
        App("lens", "Article Lens, bundled article (`python -m dashboard serve`)", None, 1, tabs, lens_env),
        App("lens_no_preload", "the same without the plotly preload (compression only)", no_preload, 1, tabs, lens_env),
        App(
            "lens_wsc",
            "Article Lens with `STREAMLIT_SERVER_ENABLE_WEBSOCKET_COMPRESSION=true`",
            None,
            1,
            tabs,
            {**lens_env, "STREAMLIT_SERVER_ENABLE_WEBSOCKET_COMPRESSION": "true"},
        ),
        App(
            "lens_no_code",
            "what-if: Article Lens without the share box's `st.code` downloads (blocked)",
            None,
            1,
            tabs,
            lens_env,
            CODE_BLOCK_FILES,
        ),
        App(
            "plain",
            "plain three-chart plotly app (`streamlit run`)",
            BENCH / "plain_app.py",
            3,
            '[data-testid="stDataFrame"]',
        ),
        App("empty", "empty one-line app (`streamlit run`)", BENCH / "empty_app.py", 0, '[data-testid="stMarkdown"]'),
    ]


def median(values: list[float]) -> float:
    return statistics.median(values)


def spread(values: list[float]) -> str:
    return f"{median(values):.2f} s ({min(values):.2f}-{max(values):.2f})"


def megabytes(n: float) -> str:
    return f"{n / 1e6:.2f} MB"


def short(url: str) -> str:
    return url.split("?")[0].rstrip("/").rsplit("/", 1)[-1] or url


def add_profile(totals: Counter[str], profile: dict) -> None:
    """Add a CDP CPU profile's sampled time (ms) by the script each sample's function is in."""
    nodes = {n["id"]: n for n in profile["nodes"]}
    for sample, delta in zip(profile["samples"], profile["timeDeltas"], strict=True):
        frame = nodes[sample]["callFrame"]
        totals[short(frame["url"]) if frame["url"] else frame["functionName"] or "(native)"] += delta / 1000


def waterfall_lines(load: Load) -> Iterator[str]:
    """The load's milestones, then its requests by start time."""
    yield "| start (s) | end (s) | KB on the wire | encoding | request |"
    yield "|---|---|---|---|---|"
    for r in load.waterfall:
        yield f"| {r.start:.2f} | {(r.end or 0):.2f} | {r.bytes / 1e3:.1f} | {r.encoding or '-'} | {short(r.url)} |"


async def measure(
    runs: int, chosen: list[App], profiled: tuple[str, ...] = ()
) -> tuple[dict[str, list[Load]], dict[str, Counter[str]], dict[str, int | None]]:
    """Timed loads, then one profiled load of each app in ``profiled``, then the websocket's bytes
    per app from one load through a relay (None if that load stalled twice)."""
    servers: dict[str, tuple] = {}
    results: dict[str, list[Load]] = {a.key: [] for a in chosen}
    profiles: dict[str, Counter[str]] = {}
    ws_bytes: dict[str, int | None] = {}
    try:
        for a in chosen:
            servers[a.key] = start_server(a.script, env=a.env)
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:

                async def load(a: App, profile: Counter[str] | None = None) -> Load:
                    proc, url = servers[a.key]
                    return await load_once(browser, url + "/", a, proc.pid, profile)

                # One warm-up each (the server's first run, its compression), then the apps in turn
                # on every round, so a slow spell on the machine touches every app alike.
                for a in chosen:
                    await load(a)
                for _ in range(runs):
                    for a in chosen:
                        x = await load(a)
                        results[a.key].append(x)
                        print(f"{a.key:16} {x.seconds:6.2f} s {megabytes(x.http_bytes):>9} {x.requests:4} requests")
                for a in chosen:
                    if a.key in profiled:
                        profiles[a.key] = Counter()
                        await load(a, profiles[a.key])
                for a in chosen:
                    ws_bytes[a.key] = await relayed_ws_bytes(browser, a, servers[a.key])
            finally:
                await browser.close()
    finally:
        for proc, _ in servers.values():
            stop_server(proc)
    return results, profiles, ws_bytes


async def relayed_ws_bytes(browser: Browser, app: App, server: tuple) -> int | None:
    proc, url = server
    relay = Relay(int(url.rsplit(":", 1)[1]))
    await relay.start()
    try:
        for _ in range(2):
            try:
                x = await load_once(browser, f"http://127.0.0.1:{relay.port}/", app, proc.pid, relay=relay, timeout=60)
                return x.ws_bytes
            except RuntimeError as exc:
                print(f"{app.key}: a load through the relay stalled: {str(exc)[:200]}")
        return None
    finally:
        await relay.stop()


def typical(loads: list[Load]) -> Load:
    return sorted(loads, key=lambda x: x.seconds)[len(loads) // 2]


def report(
    results: dict[str, list[Load]],
    profiles: dict[str, Counter[str]],
    ws_bytes: dict[str, int | None],
    chosen: list[App],
    runs: int,
    command: str,
) -> str:
    def med(key: str, attr: str) -> float:
        return median([getattr(x, attr) for x in results[key]])

    def ws_kb(key: str) -> str:
        n = ws_bytes.get(key)
        return "-" if n is None else f"{n / 1e3:.0f} KB"

    lens, plain, empty = med("lens", "seconds"), med("plain", "seconds"), med("empty", "seconds")
    lines = [
        "# First render over an emulated link",
        "",
        f"Written by `{command}` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, in one run: "
        f"{runs} loads of each app after one warm-up each, the apps taking turns. `bench/first_render.py` "
        "says how each figure is measured.",
        "",
        f"- Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"streamlit {version('streamlit')}, plotly {version('plotly')}, playwright {version('playwright')}, "
        f"Chromium at {CHROMIUM}",
        f"- Link (DevTools emulation): {LATENCY_MS} ms latency, {DOWN_BITS // 1_000_000} Mbit/s down, "
        f"{UP_BITS // 1_000_000} Mbit/s up; a fresh browser context per load (no cache).",
        "- Ready: connected, script finished, no skeleton, the app's content shown and each expected plotly "
        "chart drawn; timed in the page from the navigation's start. Medians (min-max). *HTTP on the wire*: "
        "CDP's `encodedDataLength` (headers and body) over the load's requests. *Websocket on the wire*: what "
        "the server sent on `/_stcore/stream` until ready, in one more load through a counting relay. "
        "*Server CPU*: the server process's CPU time over a load.",
        "",
        "| app | first render | HTTP on the wire | websocket on the wire | requests | server CPU per load |",
        "|---|---|---|---|---|---|",
    ]
    for a in chosen:
        loads = results[a.key]
        lines.append(
            f"| {a.label} | {spread([x.seconds for x in loads])} | {megabytes(med(a.key, 'http_bytes'))} | "
            f"{ws_kb(a.key)} | {med(a.key, 'requests'):.0f} | {med(a.key, 'server_cpu'):.2f} s |"
        )
    r_plain, r_empty = lens / plain, lens / empty
    lines += [
        "",
        "| target | ratio in this run | met |",
        "|---|---|---|",
        f"| Article Lens <= {PLAIN_TARGET}x the plain app | {r_plain:.2f}x | {yes(r_plain <= PLAIN_TARGET)} |",
        f"| Article Lens <= {EMPTY_TARGET}x the empty app | {r_empty:.2f}x | {yes(r_empty <= EMPTY_TARGET)} |",
        "",
        "| comparison, same run | first render | other figures |",
        "|---|---|---|",
    ]
    if "lens_no_preload" in results:
        lines.append(
            f"| plotly preload (`lens` / `lens_no_preload`) | {lens / med('lens_no_preload', 'seconds'):.2f}x | "
            f"plotly's bundle done at {plotly_done(typical(results['lens']))} s against "
            f"{plotly_done(typical(results['lens_no_preload']))} s |"
        )
    if "lens_wsc" in results:
        lines.append(
            f"| websocket compression (`lens_wsc` / `lens`) | {med('lens_wsc', 'seconds') / lens:.2f}x | "
            f"websocket {ws_kb('lens_wsc')} against {ws_kb('lens')}; "
            f"server CPU {med('lens_wsc', 'server_cpu'):.2f} s against {med('lens', 'server_cpu'):.2f} s |"
        )
    if "lens_no_code" in results:
        saved = med("lens", "http_bytes") - med("lens_no_code", "http_bytes")
        lines.append(
            f"| what-if without `st.code` (`lens_no_code` / `lens`) | {med('lens_no_code', 'seconds') / lens:.2f}x | "
            f"{saved / 1e3:.0f} KB less on the wire; against the empty app "
            f"{med('lens_no_code', 'seconds') / empty:.2f}x |"
        )
    lines += [
        "",
        "## Where the time goes",
        "",
        "When each part of *ready* first held (seconds from the navigation's start, medians):",
        "",
        "| app | connected | script running | script finished | content shown | first chart drawn | ready |",
        "|---|---|---|---|---|---|---|",
    ]
    for a in chosen:
        loads = results[a.key]

        def mark(name: str, loads: list[Load] = loads) -> str:
            values = [x.marks[name] for x in loads if name in x.marks]
            return f"{median(values):.2f}" if values else "-"

        names = ("connected", "script running", "script finished", "content shown", "first chart drawn")
        lines.append(f"| {a.key} | " + " | ".join(mark(n) for n in names) + f" | {med(a.key, 'seconds'):.2f} |")
    for key, totals in profiles.items():
        busy = sum(v for k, v in totals.items() if k not in ("(idle)",))
        top = ", ".join(f"{k} {v:.0f} ms" for k, v in totals.most_common(8))
        lines += ["", f"Main thread of one `{key}` load (sampled; {busy:.0f} ms busy): {top}."]
    for key in ("lens", "plain", "empty"):
        x = typical(results[key])
        heavy = sorted(x.waterfall, key=lambda r: r.bytes, reverse=True)[:8]
        lines += [
            "",
            f"`{key}`, its median load ({x.seconds:.2f} s, {x.requests} requests, last response at "
            f"{max((r.end or 0) for r in x.waterfall):.2f} s): heaviest "
            + ", ".join(f"{short(r.url)} {r.bytes / 1e3:.0f} KB ({r.start:.2f}-{(r.end or 0):.2f} s)" for r in heavy)
            + ".",
        ]
    return "\n".join(lines) + "\n"


def yes(met: bool) -> str:
    return "yes" if met else "no"


def plotly_done(load: Load) -> str:
    ends = [r.end for r in load.waterfall if short(r.url).startswith("PlotlyChart.") and r.end is not None]
    return f"{ends[0]:.2f}" if ends else "-"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5, help="loads of each app after the warm-up")
    ap.add_argument("--out", type=Path, default=BENCH / "FIRST_RENDER.md")
    ap.add_argument("--waterfall", action="store_true", help="also print each app's median load, request by request")
    ap.add_argument("--apps", help="a trial of only these apps, comma-separated (prints, writes no report)")
    args = ap.parse_args()
    started = time.perf_counter()
    everything = apps(Path(tempfile.mkdtemp()))
    keys = args.apps.split(",") if args.apps else [a.key for a in everything]
    chosen = [a for a in everything if a.key in keys]
    results, profiles, ws_bytes = asyncio.run(measure(args.runs, chosen, profiled=("lens", "plain")))
    if args.waterfall:
        for a in chosen:
            print(f"\n## {a.label}\n")
            print("\n".join(waterfall_lines(typical(results[a.key]))))
    if args.apps:
        for a in chosen:
            loads = results[a.key]
            wire = megabytes(median([x.http_bytes for x in loads]))
            print(f"{a.key}: {spread([x.seconds for x in loads])}, {wire} + websocket {ws_bytes[a.key]} B")
        return
    command = "python -m bench.first_render" + ("" if args.runs == 5 else f" --runs {args.runs}")
    text = report(results, profiles, ws_bytes, chosen, args.runs, command)
    text += f"\nWhole run: {time.perf_counter() - started:.0f} s.\n"
    args.out.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
