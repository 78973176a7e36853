"""Past one process: 100 protocol viewers against the cluster (replicas behind nginx) and one process.

    PYTHONPATH=. python -m bench.replicas [--viewers 100] [--replicas 2] [--no-write]

In one run, one after another, each warmed by one unmeasured viewer per server process:

(a) ``python -m dashboard cluster --replicas 2`` (nginx in front, sticky by cookie) on PostgreSQL;
(b) the empty one-line app (``bench/empty_app.py``) under plain ``streamlit run``, one process;
(c) Article Lens, one ``python -m dashboard serve`` process, on the same PostgreSQL.

Each gets one wave of ``bench.protocol_load`` viewers (all arriving within one second; each: a first
run of the shared link's query, then 2 reruns changing the search box). Reported: errors, first-result
and rerun p50/p95, CPU seconds of every server process over the wave (each replica and nginx
separately), the load generator's own CPU, and the machine's busy share over the wave (from
``/proc/stat``), so what two cores can give is in the same table. Writes ``bench/REPLICAS.md``.
PostgreSQL: ``ARTICLE_LENS_DATABASE_URL``, else ``ARTICLE_LENS_TEST_DATABASE_URL``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from bench.protocol_load import (
    EMPTY,
    LENS,
    ROOT,
    SERVE_FLAGS,
    App,
    Wave,
    children,
    cpu_seconds,
    fmt,
    free_port,
    pct,
    run_wave,
    start,
    stop,
)

OUT = ROOT / "bench" / "REPLICAS.md"
CLUSTER = "Article Lens cluster"


@dataclass
class Result:
    label: str
    wave: Wave
    cpu_by_process: dict[str, float] = field(default_factory=dict)  # process -> CPU seconds over the wave
    machine_busy: float = 0.0  # share of all cores busy over the wave (0..1)


def machine_ticks() -> tuple[int, int]:
    """(busy, total) jiffies of all cores, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return sum(values) - idle, sum(values)


def name_of(pid: int) -> str:
    cmd = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    text = " ".join(part.decode(errors="replace") for part in cmd if part)
    if text.startswith("nginx: master"):
        return "nginx master"
    if text.startswith("nginx: worker"):
        return "nginx worker"
    if m := re.search(r"dashboard serve .*--port (\d+)", text):
        return f"replica :{m.group(1)}"
    if "streamlit run" in text:
        return "server"
    return text[:40] or str(pid)


def process_cpu(root: int) -> dict[int, float]:
    out = {}
    for pid in [root, *children(root)]:
        with contextlib.suppress(OSError, IndexError):
            out[pid] = cpu_seconds(pid)[0]
    return out


async def measured(app: App, port: int, root: int, n: int, reruns: int, timeout: float, label: str) -> Result:
    names = {pid: name_of(pid) for pid in children(root)}
    names[root] = "server" if app.name != CLUSTER else "cluster command"
    before, ticks0 = process_cpu(root), machine_ticks()
    wave = await run_wave(app, port, root, n, reruns, timeout)
    after, ticks1 = process_cpu(root), machine_ticks()
    busy = (ticks1[0] - ticks0[0]) / max(1, ticks1[1] - ticks0[1])
    cpu = {names.get(pid, str(pid)): after[pid] - before.get(pid, 0.0) for pid in after}
    cpu = {k: v for k, v in cpu.items() if k != "cluster command" or v > 0.05}  # it idles: shown if not
    return Result(label, wave, cpu, busy)


def summary(r: Result) -> str:
    w = r.wave
    return (
        f"{r.label:24} {w.viewers} viewers: errors {len(w.errors)}, first p95 {fmt(pct(w.first, 95))}, "
        f"rerun p95 {fmt(pct(w.rerun, 95))}, wall {w.wall_s:.1f} s, machine busy {r.machine_busy:.0%}, "
        f"CPU {', '.join(f'{k} {v:.1f} s' for k, v in r.cpu_by_process.items())}"
    )


async def main_async(args: argparse.Namespace, db_url: str) -> list[Result]:
    tmp = Path(tempfile.mkdtemp(prefix="bench_replicas_"))
    clean = tmp / "cwd"  # no .streamlit/ here: the empty app gets Streamlit's defaults
    clean.mkdir()
    db = {"ARTICLE_LENS_DATABASE_URL": db_url}
    cluster = App(
        CLUSTER,
        [sys.executable, "-m", "dashboard", "cluster", "--replicas", str(args.replicas), "--port", "{port}"],
        args.query,
        "w_q",
        ROOT,
        db,
    )
    empty_cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "bench" / "empty_app.py"), *SERVE_FLAGS]
    empty = App(EMPTY, empty_cmd, "", None, clean)
    lens = App(
        LENS,
        [sys.executable, "-m", "dashboard", "serve", "--address", "127.0.0.1", "--port", "{port}"],
        args.query,
        "w_q",
        ROOT,
        db,
    )
    results = []
    for app, label in (
        (cluster, f"(a) cluster, {args.replicas} replicas"),
        (empty, "(b) empty app, 1 process"),
        (lens, "(c) Article Lens, 1 process"),
    ):
        port = free_port()
        proc = start(app, port, tmp / f"{label[1]}.log")
        try:
            if app is cluster:  # warm each replica directly, as one viewer would through nginx
                for pid in children(proc.pid):
                    if m := re.search(r"replica :(\d+)", name_of(pid)):
                        await run_wave(app, int(m.group(1)), pid, 1, 0, args.timeout)
            else:
                await run_wave(app, port, proc.pid, 1, 0, args.timeout)
            result = await measured(app, port, proc.pid, args.viewers, args.reruns, args.timeout, label)
            print(summary(result), flush=True)
            results.append(result)
        finally:
            stop(proc, grace=30)  # the cluster stops nginx and its replicas first
    return results


def report(results: list[Result], args: argparse.Namespace) -> str:
    by = {r.label[:3]: r for r in results}
    a, b, c = by["(a)"], by["(b)"], by["(c)"]
    rows = [
        "| run | errors | first result p50 / p95 | rerun p50 / p95 | wave wall time | machine busy "
        "| server CPU over the wave | load generator CPU |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        w = r.wave
        cpu = "; ".join(f"{k} {v:.1f} s" for k, v in r.cpu_by_process.items())
        rows.append(
            f"| {r.label} | {len(w.errors)} | {fmt(pct(w.first, 50))} / {fmt(pct(w.first, 95))} "
            f"| {fmt(pct(w.rerun, 50))} / {fmt(pct(w.rerun, 95))} | {w.wall_s:.1f} s | {r.machine_busy:.0%} "
            f"| {cpu} (total {sum(r.cpu_by_process.values()):.1f} s) | {w.client_cpu_s:.1f} s |"
        )

    def ratio(x: Result, y: Result, key: str) -> str:
        p, q = pct(getattr(x.wave, key), 95), pct(getattr(y.wave, key), 95)
        return "-" if p is None or not q else f"{p / q:.2f}x"

    lens_cpu = sum(c.cpu_by_process.values()) / args.viewers
    cluster_cpu = sum(a.cpu_by_process.values()) / args.viewers
    empty_cpu = sum(b.cpu_by_process.values()) / args.viewers
    cores = os.cpu_count() or 1
    met = (pct(a.wave.first, 95) or 0) <= (pct(b.wave.first, 95) or 0)
    if met:
        explain = (
            "Article Lens's sessions now cost less server CPU than the empty app's under plain `streamlit run` "
            f"({cluster_cpu:.2f} s against {empty_cpu:.2f} s per viewer), and the cluster runs them on both cores."
        )
    else:
        explain = (
            f"{args.viewers} viewers need about {cluster_cpu * args.viewers:.0f} CPU seconds however many processes "
            f"share them, against {empty_cpu * args.viewers:.0f} s for the empty app: on {cores} cores replicas "
            "cannot close that gap, only use the second core."
        )
    return f"""# Past one process: replicas behind nginx

`flock /tmp/bench.lock env PYTHONPATH=. python -m bench.replicas --viewers {args.viewers} --replicas {args.replicas}`
(this file is written by that run). {args.viewers} protocol-level viewers (`bench/protocol_load.py`: Streamlit's
websocket protocol, no browser) arrive within one second; each runs the shared link `?{args.query}` once,
then changes the search box twice. One wave per run, one run after another, on this {cores}-core machine,
which the load generator shares with the servers. Article Lens (a and c) keeps its library on the same
PostgreSQL; the cluster is `python -m dashboard cluster --replicas {args.replicas}` exactly as documented
(docs/deploy.md): {args.replicas} `serve` processes behind nginx, sticky by cookie; the protocol viewers
carry no cookie, so each websocket goes to the replica with the fewest open connections.

{chr(10).join(rows)}

Target: the cluster's {args.viewers}-viewer first-result p95 <= the single-process empty app's.
Measured: cluster / empty app = **{ratio(a, b, "first")}** first-result p95 ({ratio(a, b, "rerun")} rerun
p95): **{"met" if met else "not met"}**. Cluster / Article Lens in one process = {ratio(a, c, "first")}
first-result p95, {ratio(a, c, "rerun")} rerun p95.

Why, in figures: server CPU per viewer (first run and two reruns, every server process summed) was
{cluster_cpu:.2f} s in the cluster, {lens_cpu:.2f} s for Article Lens in one process and {empty_cpu:.2f} s for
the empty app. One process runs its sessions' scripts on about one core at a time (the GIL); {args.replicas}
replicas spread the same work over the machine's {cores} cores (machine busy {a.machine_busy:.0%} over the
cluster's {a.wave.wall_s:.1f} s wave, {c.machine_busy:.0%} over the single process's {c.wave.wall_s:.1f} s; the
load generator took {a.wave.client_cpu_s:.1f} s of CPU in the cluster's wave; "machine busy" counts every
process on the machine, so other work running at the time shows there, not in the server CPU columns).
{explain}
More replicas than cores add no core: past {cores} replicas here the processes only share the same {cores}.
On more cores, or more machines (docs/deploy.md), the p95 falls with the replicas until each has few
enough viewers; the per-viewer CPU is what sets how many a host needs.
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.replicas", description=__doc__.split("\n\n")[0])
    parser.add_argument("--viewers", type=int, default=100, help="viewers in each wave (default: 100)")
    parser.add_argument("--replicas", type=int, default=2, help="replicas in the cluster (default: 2)")
    parser.add_argument("--reruns", type=int, default=2, help="search changes per viewer (default: 2)")
    parser.add_argument("--timeout", type=float, default=300, help="seconds a wave may take (default: 300)")
    parser.add_argument("--query", default="view=sections", help="the shared link's query for Article Lens")
    parser.add_argument("--no-write", action="store_true", help="print the report; leave bench/REPLICAS.md alone")
    args = parser.parse_args(argv)
    db_url = os.environ.get("ARTICLE_LENS_DATABASE_URL") or os.environ.get("ARTICLE_LENS_TEST_DATABASE_URL")
    if not db_url:
        print("error: set ARTICLE_LENS_DATABASE_URL (or ARTICLE_LENS_TEST_DATABASE_URL) to PostgreSQL", file=sys.stderr)
        return 2
    results = asyncio.run(main_async(args, db_url))
    text = report(results, args)
    print(text)
    if not args.no_write:
        OUT.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
