"""The scale benchmark: every front end on every shape (bench/shapes.py) at n, 10n and 100n.

    python -m bench.scale                       # all shapes; rewrites its section of bench/RESULTS.md
    python -m bench.scale --only md:links_one_line --only html --no-write
    python -m bench.scale --profile md links_one_line 25000  # cProfile at n and n/10: what grows

n is chosen per shape so that the 100n case is about ``--mb`` megabytes (1 by default). Each case
runs in a fresh subprocess, killed after ``--timeout`` seconds (60 by default) and reported as a
timeout, larger sizes of that shape then skipped: a quadratic front end cannot hang the run.

In the subprocess: a warm-up parse of the same shape at n=2 (lazy imports, compiled patterns,
the suffix list), then the measured parses. *Time* (wall clock) and *CPU* (the process's CPU time,
all threads: what a shared, busy machine disturbs least) are each the best of 5 parses (under
0.05 s), of 3 (under 0.5 s), else of one. *Peak* is tracemalloc's peak over one more parse: every
Python allocation the parse makes, precise enough for ratios at any size, but blind to C
allocations (libxml2's tree under lxml and trafilatura). *RSS +* is the growth of the process's
resident high-water mark over the first parse (reset through /proc/self/clear_refs just before
it): it sees C memory too, but counts in pages and arenas and so is coarse on small cases.

Ratios are taken between sizes of one run. The verdict reads the CPU ratio of each 10x step: up
to 13x (a log-log slope of about 1.1) is linear, up to 30x superlinear, beyond that quadratic;
the memory ratio likewise. A step from a parse under 0.02 s is not judged (noise), and a step
judged not linear is measured again, both sizes, keeping the better measure of each.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import os
import pstats
import re
import subprocess
import sys
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

from bench.shapes import ORIGIN, cases, generate, n_for_bytes

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
BEGIN, END = "<!-- scale:begin -->", "<!-- scale:end -->"
STEPS = (1, 10, 100)
LINEAR, SUPERLINEAR = 13.0, 30.0
MIN_SECONDS = 0.02  # a step from a parse quicker than this (CPU) is timer and scheduler noise: not judged
HTML_FALLBACK = "longer than"  # the HTML front end's warning when the extractor was cut short


def parse(fmt: str, data: bytes):
    from dashboard import citations
    from dashboard.parse import parse_bytes

    # Every parse starts with a cold URL-kind cache, as a new upload does: repeated parses of the
    # same small case would otherwise answer every URL from memory, which a large case (more URLs
    # than the cache holds) cannot, and the ratio would measure the cache, not the parser.
    citations._describe_with_default_rules.cache_clear()
    return parse_bytes(data, f"shape.{fmt}", origin=ORIGIN if fmt == "html" else None)


def _hwm_kb() -> int:
    return int(re.search(r"VmHWM:\s+(\d+)", Path("/proc/self/status").read_text()).group(1))


def measure(fmt: str, shape: str, n: int, budget: float) -> dict:
    """One case, in this process: time, Python peak and RSS growth of parsing the shape at n."""
    data = generate(fmt, shape, n)
    parse(fmt, generate(fmt, shape, 2))
    gc.collect()
    Path("/proc/self/clear_refs").write_text("5")  # the high-water mark restarts from the current RSS
    base = _hwm_kb()
    wall, cpu = time.perf_counter(), time.process_time()
    article = parse(fmt, data)
    times, cpus = [time.perf_counter() - wall], [time.process_time() - cpu]
    rss = (_hwm_kb() - base) / 1024
    fallback = any(HTML_FALLBACK in w for w in article.warnings)
    out = {"bytes": len(data), "rss_mb": rss, "citations": len(article.citations), "fallback": fallback}
    del article
    repeats = 5 if times[0] < 0.05 else 3 if times[0] < 0.5 else 1
    while len(times) < repeats:
        gc.collect()
        wall, cpu = time.perf_counter(), time.process_time()
        parse(fmt, data)
        times.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    out["time"], out["cpu"] = min(times), min(cpus)
    if times[0] * 3 < budget:  # tracemalloc slows Python down about twice
        gc.collect()
        tracemalloc.start()
        parse(fmt, data)
        out["peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return out


def _profiled(fmt: str, data: bytes) -> dict:
    prof = cProfile.Profile()
    prof.runcall(parse, fmt, data)
    return pstats.Stats(prof).stats  # (file, line, function) -> (calls, ncalls, tottime, cumtime, callers)


def profile(fmt: str, shape: str, n: int, top: int = 20) -> str:
    """cProfile of one parse at n/10 and at n: the functions whose own time grew most beyond 10x (the
    culprits of a superlinear step come first), with their share at n and how their calls grew."""
    small, big = generate(fmt, shape, max(1, n // 10)), generate(fmt, shape, n)
    parse(fmt, generate(fmt, shape, 2))
    before, after = _profiled(fmt, small), _profiled(fmt, big)
    total = sum(v[2] for v in after.values())
    out = [f"{fmt} {shape}: n={n // 10} ({len(small):,} bytes) -> n={n} ({len(big):,} bytes), {total:.2f} s profiled"]
    out.append(f"{'own s':>8} {'share':>6} {'time x':>7} {'calls x':>8}  function")
    excess = {key: v[2] - 10 * before.get(key, (0, 0, 0.0))[2] for key, v in after.items()}
    for key in sorted(after, key=lambda k: -excess[k])[:top]:
        _, calls, own, _, _ = after[key]
        was = before.get(key, (0, 0, 0.0, 0, 0))
        grow = f"{own / was[2]:.0f}x" if was[2] > 1e-4 else "new"
        calls_grow = f"{calls / was[1]:.0f}x" if was[1] else "new"
        where = f"{Path(key[0]).as_posix().split('site-packages/')[-1].replace(str(ROOT) + '/', '')}:{key[1]}"
        out.append(f"{own:8.3f} {own / total:6.1%} {grow:>7} {calls_grow:>8}  {where}({key[2]})")
    return "\n".join(out)


@dataclass
class Row:
    fmt: str
    shape: str
    n: int
    result: dict | None  # None: timed out; {} : not run (a smaller size timed out)


def run_case(fmt: str, shape: str, n: int, timeout: float) -> dict | None:
    cmd = [sys.executable, "-m", "bench.scale", "--case", fmt, shape, str(n), "--timeout", str(timeout)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    try:
        done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return None
    if done.returncode:
        return {"error": (done.stderr.strip().splitlines() or ["exit " + str(done.returncode)])[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def _ratio(a: dict, b: dict, key: str) -> float | None:
    return b[key] / a[key] if a.get(key) and b.get(key) else None


def _grade(r: float | None) -> str:
    return "" if r is None else "linear" if r <= LINEAR else "superlinear" if r <= SUPERLINEAR else "quadratic"


def verdict(prev: dict, r: dict) -> str:
    """The growth of one 10x step in words; '' for a first size, or a step from a parse too quick to judge."""
    if prev.get("cpu", 0) < MIN_SECONDS:
        return ""
    graded = {"time": _grade(_ratio(prev, r, "cpu")), "memory": _grade(_ratio(prev, r, "peak_mb"))}
    return ", ".join(f"{what} {g}" for what, g in graded.items() if g not in ("", "linear")) or "linear"


def table(rows: list[Row], timeout: float) -> tuple[list[str], list[str]]:
    """The Markdown table, and the cases ('format shape') not linear in it."""
    lines = [
        "| format | shape | n | bytes | time | CPU | peak MB | RSS + MB | CPU ×/10x | memory ×/10x | verdict |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    flagged: list[str] = []
    prev: dict = {}
    for k, row in enumerate(rows):
        if k and (rows[k - 1].fmt, rows[k - 1].shape) != (row.fmt, row.shape):
            prev = {}
        r, head = row.result, f"| {row.fmt} | {row.shape} | {row.n:,} |"
        says = ""
        if not r:  # None: timed out; {}: not run
            size = len(generate(row.fmt, row.shape, row.n)) / 1e6
            says = "**not linear**" if r is None else ""
            what = f"**timeout** (> {timeout:g} s)" if r is None else "not run"
            lines.append(f"{head} {size:.3f} MB | {what} | | | | | | {says} |")
        elif "error" in r:
            lines.append(f"{head} | error: {r['error'][:80].replace('|', '/')} | | | | | | |")
        else:
            tr, mr, says = _ratio(prev, r, "cpu"), _ratio(prev, r, "peak_mb"), verdict(prev, r)
            if r.get("fallback"):
                says += " (extractor cut off: fallback text)"
            peak = f"{r['peak_mb']:.1f}" if "peak_mb" in r else "-"
            lines.append(
                f"{head} {r['bytes'] / 1e6:.3f} MB | {r['time']:.3f} s | {r['cpu']:.3f} s | {peak} | "
                f"{r['rss_mb']:.0f} | {f'{tr:.1f}x' if tr else ''} | {f'{mr:.1f}x' if mr else ''} | {says} |"
            )
        if says and not says.startswith("linear") and (name := f"{row.fmt} {row.shape}") not in flagged:
            flagged.append(name)
        prev = r or {}
    return lines, flagged


def _better(a: dict | None, b: dict | None) -> dict | None:
    """The better of two measures of one case: the lower time, CPU and peak of each (noise only adds)."""
    if not a or not b or "error" in a or "error" in b:
        return a or b
    return {**a, **{k: min(a[k], b[k]) for k in ("time", "cpu", "peak_mb", "rss_mb") if k in a and k in b}}


def run_shape(fmt: str, shape: str, n0: int, timeout: float) -> list[Row]:
    """n0, 10 n0, 100 n0 (larger sizes not run after a timeout); a step judged not linear is measured
    again, both its sizes, and the better of the two measures kept: a busy machine only slows a parse."""
    rows: list[Row] = []
    for step in STEPS:
        if rows and rows[-1].result in (None, {}):
            rows.append(Row(fmt, shape, n0 * step, {}))
            continue
        rows.append(Row(fmt, shape, n0 * step, run_case(fmt, shape, n0 * step, timeout)))
        if len(rows) > 1 and rows[-1].result and "error" not in rows[-1].result:
            prev, last = rows[-2], rows[-1]
            if verdict(prev.result or {}, last.result) not in ("", "linear"):
                prev.result = _better(prev.result, run_case(fmt, shape, prev.n, timeout))
                last.result = _better(last.result, run_case(fmt, shape, last.n, timeout))
    return rows


def put_section(text: str, section: str) -> str:
    """``text`` with its scale section replaced by ``section`` (inserted before the reading notes if new)."""
    block = f"{BEGIN}\n{section.strip()}\n{END}"
    if BEGIN in text and END in text:
        return text[: text.index(BEGIN)] + block + text[text.index(END) + len(END) :]
    at = text.find("\n## Reading these figures")
    if at < 0:
        return text.rstrip("\n") + "\n\n" + block + "\n"
    return text[:at].rstrip("\n") + "\n\n" + block + "\n\n" + text[at:].lstrip("\n")


def section_of(text: str) -> str | None:
    """The scale section of a results file, markers excluded, if it has one."""
    if BEGIN in text and END in text:
        return text[text.index(BEGIN) + len(BEGIN) : text.index(END)].strip()
    return None


def selected(only: list[str]) -> list[tuple[str, str]]:
    """Cases named by --only: 'md', 'links_one_line' or 'md:links_one_line'."""
    return [(f, s) for f, s in cases() if not only or any(o in (f, s, f"{f}:{s}") for o in only)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", action="append", default=[], help="a format, a shape, or format:shape (repeatable)")
    ap.add_argument("--mb", type=float, default=1.0, help="size of the largest case in MB")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds before a case is killed")
    ap.add_argument("--out", type=Path, default=BENCH / "RESULTS.md")
    ap.add_argument("--no-write", action="store_true", help="print the table, write nothing")
    ap.add_argument("--case", nargs=3, metavar=("FMT", "SHAPE", "N"), help=argparse.SUPPRESS)
    ap.add_argument(
        "--profile", nargs=3, metavar=("FMT", "SHAPE", "N"), help="cProfile a parse at N/10 and N: what grew most"
    )
    args = ap.parse_args()
    if args.case:
        fmt, shape, n = args.case
        print(json.dumps(measure(fmt, shape, int(n), args.timeout)), flush=True)
        os._exit(0)  # an extractor thread still running (the HTML fallback) must not hold the exit
    if args.profile:
        fmt, shape, n = args.profile
        print(profile(fmt, shape, int(n)), flush=True)
        os._exit(0)

    started, load_before = time.perf_counter(), os.getloadavg()[0]
    rows: list[Row] = []
    for fmt, shape in selected(args.only):
        rows += run_shape(fmt, shape, n_for_bytes(fmt, shape, int(args.mb * 1e6 / STEPS[-1])), args.timeout)
        print("\n".join(table(rows, args.timeout)[0][-len(STEPS) :]), flush=True)
    elapsed = time.perf_counter() - started
    lines, flagged = table(rows, args.timeout)
    section = "\n".join(
        [
            "## Scale: every front end on adversarial shapes",
            "",
            "Written by `python -m bench.scale` (bench/scale.py says how each figure is measured; bench/shapes.py "
            f"holds the seeded shapes). Sizes n, 10n and 100n, the largest about {args.mb:g} MB; each case in a "
            f"fresh subprocess, killed after {args.timeout:g} s. *Time* (wall) and *CPU* (the process's CPU time, "
            "which other work on a shared machine disturbs far less): best of up to 5 parses (`parse_bytes`). "
            "*Peak MB*: tracemalloc peak of one parse (Python allocations only); *RSS + MB*: growth of the "
            "resident high-water mark over one parse (C memory included, coarse). *×/10x*: this size against "
            f"the previous one, in this run. Verdict on the CPU and memory ratios: linear up to {LINEAR:g}x, "
            f"quadratic beyond {SUPERLINEAR:g}x; a step from a parse under {MIN_SECONDS:g} s CPU is not judged, "
            "and a step judged not linear is measured again and the better measure kept.",
            "",
            *lines,
            "",
            f"Not linear in this run: {', '.join(flagged) if flagged else 'none'}. Run: {elapsed:.0f} s on "
            f"{os.cpu_count()} cores, load average {load_before:.1f} at the start and {os.getloadavg()[0]:.1f} at "
            "the end.",
            "",
            "Reading a step above 13x: `python -m bench.scale --profile FMT SHAPE N` profiles N/10 and N and lists "
            "first the functions whose own time grew most beyond 10x. A quadratic function stands out (its time "
            "grows about 100x and takes a growing share). When no function does, the excess is spread thin: the "
            "garbage collector and the heap outgrowing the caches, which one size further (`--mb 10`) no longer "
            "adds to.",
        ]
    )
    print("\n" + section)
    if not args.no_write:
        text = args.out.read_text() if args.out.exists() else "# Benchmark results\n"
        args.out.write_text(put_section(text, section))


if __name__ == "__main__":
    main()
