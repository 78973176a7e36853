"""The benchmark suite: one command, one run, every figure beside its floor.

    python bench/run.py            # everything; writes bench/RESULTS.md
    python bench/run.py --quick    # fewer repeats and sizes, for a smoke test
    python -m bench.scale          # every front end on adversarial shapes (its own section, kept here)

Browser figures use Playwright with Debian's Chromium, a new browser context per load and one
warm-up. Each target is a ratio measured in this same run, so a slow or busy machine slows
both sides. Not part of the test suite: timings never gate CI.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import math
import platform
import re
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

from generate import article  # noqa: E402
from playwright.async_api import async_playwright  # noqa: E402

from bench.scale import put_section, section_of  # noqa: E402
from dashboard import terms  # noqa: E402
from dashboard.parse import parse_bytes  # noqa: E402
from tests.e2e.server import CHROMIUM, CHROMIUM_ARGS, start_server, stop_server  # noqa: E402

READY = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return app && app.getAttribute('data-test-script-state') === 'notRunning'
    && document.querySelectorAll('[data-testid="stSkeleton"]').length === 0
    && [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].every(c => c.querySelector('.main-svg'));
}"""
RUNNING = (
    """() => document.querySelector('[data-testid="stApp"]')?.getAttribute('data-test-script-state') === 'running'"""
)


def fmt(values: list[float], unit: str = "s") -> str:
    return f"{statistics.median(values):.2f} {unit} ({min(values):.2f}-{max(values):.2f}, n={len(values)})"


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def ready(page, timeout: float = 60_000) -> None:
    await page.wait_for_function(READY, timeout=timeout, polling=20)


async def rerun_drawn(page) -> None:
    """After an action: the rerun starts (or was too quick to see), then everything is drawn again."""
    with contextlib.suppress(Exception):
        await page.wait_for_function(RUNNING, timeout=1500, polling=10)
    await ready(page)


async def first_render(browser, url: str, runs: int) -> list[float]:
    out = []
    for i in range(runs + 1):
        ctx = await browser.new_context(viewport={"width": 1400, "height": 1000})
        page = await ctx.new_page()
        t = time.perf_counter()
        await page.goto(url)
        await ready(page)
        if i:
            out.append(time.perf_counter() - t)
        await ctx.close()
    return out


async def lens_reruns(browser, url: str, runs: int) -> tuple[list[float], list[float]]:
    """Section filter change (pick a section in the sidebar) and search (type, Enter), each drawn."""
    filt, search = [], []
    for i in range(runs + 1):
        ctx = await browser.new_context(viewport={"width": 1400, "height": 1000})
        page = await ctx.new_page()
        await page.goto(url)
        await ready(page)
        await page.get_by_test_id("stMultiSelect").click()
        option = page.get_by_role("option", name="Conclusion")
        await option.wait_for()
        t = time.perf_counter()
        await option.click()
        await rerun_drawn(page)
        f = time.perf_counter() - t
        await page.keyboard.press("Escape")
        box = page.get_by_role("textbox", name="Search the text")
        await box.fill("ketamine")
        t = time.perf_counter()
        await box.press("Enter")
        await rerun_drawn(page)
        s = time.perf_counter() - t
        if i:
            filt.append(f)
            search.append(s)
        await ctx.close()
    return filt, search


async def plain_search(browser, url: str, runs: int) -> list[float]:
    out = []
    for i in range(runs + 1):
        ctx = await browser.new_context(viewport={"width": 1400, "height": 1000})
        page = await ctx.new_page()
        await page.goto(url)
        await ready(page)
        box = page.get_by_role("textbox", name="Search")
        await box.fill("ketamine")
        t = time.perf_counter()
        await box.press("Enter")
        await rerun_drawn(page)
        if i:
            out.append(time.perf_counter() - t)
        await ctx.close()
    return out


async def viewers(browser, url: str, n: int) -> tuple[list[float], int]:
    """n simultaneous viewers each load the page and change the section filter; their rerun times."""

    async def one(k: int) -> float | None:
        ctx = await browser.new_context(viewport={"width": 1200, "height": 900})
        try:
            page = await ctx.new_page()
            await page.goto(url)
            await ready(page, timeout=180_000)
            await page.get_by_test_id("stMultiSelect").click()
            option = page.get_by_role("option", name=["Introduction", "Conclusion"][k % 2])
            await option.wait_for(timeout=60_000)
            t = time.perf_counter()
            await option.click()
            await rerun_drawn(page)
            return time.perf_counter() - t
        except Exception:
            return None
        finally:
            await ctx.close()

    results = await asyncio.gather(*(one(k) for k in range(n)))
    return [r for r in results if r is not None], sum(r is None for r in results)


def p95(values: list[float]) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, math.ceil(0.95 * len(s)) - 1)]


def analyse(data: bytes) -> None:
    art = parse_bytes(data, "bench.txt")
    toks = terms.section_tokens(art, terms.stopword_set())
    ids = [s.id for s in art.sections]
    terms.term_counts(toks, ids)
    terms.bigram_counts(toks, ids)


def floor(data: bytes) -> None:
    re.findall(r"\w+", data.decode("utf-8"))


def timed(fn, data: bytes, repeats: int) -> float:
    best = math.inf
    for _ in range(repeats):
        gc.collect()
        t = time.perf_counter()
        fn(data)
        best = min(best, time.perf_counter() - t)
    return best


def peak_mb(fn, data: bytes) -> float:
    gc.collect()
    tracemalloc.start()
    fn(data)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 1e6


async def browser_part(runs: int, crowd: list[int], lines: list[str]) -> None:
    tmp = Path(tempfile.mkdtemp())
    env = {"ARTICLE_LENS_SQLITE_PATH": str(tmp / "lib.sqlite3")}
    servers = {
        "empty": start_server(BENCH / "empty_app.py"),
        "plain": start_server(BENCH / "plain_app.py"),
        "lens": start_server(env=env),
    }
    try:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            fr = {name: await first_render(browser, url + "/", runs) for name, (_, url) in servers.items()}
            filt, search = await lens_reruns(browser, servers["lens"][1] + "/", runs)
            plain = await plain_search(browser, servers["plain"][1] + "/", runs)
            lines += [
                "## Browser",
                "",
                "| measure | median (min-max) |",
                "|---|---|",
                f"| first render, empty one-line app (floor) | {fmt(fr['empty'])} |",
                f"| first render, plain three-chart app | {fmt(fr['plain'])} |",
                f"| first render, Article Lens (bundled article, Section lengths) | {fmt(fr['lens'])} |",
                f"| search rerun drawn, plain three-chart app | {fmt(plain)} |",
                f"| section-filter rerun drawn, Article Lens | {fmt(filt)} |",
                f"| search rerun drawn, Article Lens | {fmt(search)} |",
                "",
                "| target | ratio in this run | met |",
                "|---|---|---|",
            ]
            r1 = statistics.median(fr["lens"]) / statistics.median(fr["empty"])
            r2 = statistics.median(filt) / statistics.median(plain)
            r3 = statistics.median(search) / statistics.median(plain)
            lines += [
                f"| first render ≤ 1.6x empty app | {r1:.2f}x | {'yes' if r1 <= 1.6 else 'no'} |",
                f"| filter rerun ≤ 0.6x plain app's search rerun | {r2:.2f}x | {'yes' if r2 <= 0.6 else 'no'} |",
                f"| search rerun ≤ 0.6x plain app's search rerun | {r3:.2f}x | {'yes' if r3 <= 0.6 else 'no'} |",
                "",
                "## Many viewers",
                "",
                "Each viewer is a browser context of one Chromium, all started at once: load the page, then "
                "pick a section. Server memory is the Streamlit process's resident set.",
                "",
                "| viewers | rerun p50 | rerun p95 | errors | server RSS before → after |",
                "|---|---|---|---|---|",
            ]
            lens_pid = servers["lens"][0].pid
            single = None
            for n in crowd:
                before = rss_mb(lens_pid)
                times, errors = await viewers(browser, servers["lens"][1] + "/", n)
                after = rss_mb(lens_pid)
                if times:
                    med, high = statistics.median(times), p95(times)
                    single = single or high
                    lines.append(
                        f"| {n} | {med:.2f} s | {high:.2f} s ({high / single:.1f}x one viewer's) | "
                        f"{errors} | {before:.0f} → {after:.0f} MB |"
                    )
                else:
                    lines.append(f"| {n} | - | - | {errors} | {before:.0f} → {after:.0f} MB |")
            await browser.close()
    finally:
        for proc, _ in servers.values():
            stop_server(proc)


def parse_part(sizes: list[int], lines: list[str]) -> None:
    lines += [
        "## Parse and analysis",
        "",
        "Generated articles (`bench/generate.py`, seed 1). *Work* is parse (decode, structure, syntok "
        "sentences, citations) plus key terms (lemmas, counts, bigrams). *Floor* is a bare decode plus one "
        "regex tokenization pass. Times are the best of the repeats; peak memory from tracemalloc.",
        "",
        "| size | sections | work | floor | work / floor | peak memory | memory / size |",
        "|---|---|---|---|---|---|---|",
    ]
    points = []
    for size in sizes:
        data = article(size).encode()
        repeats = 3 if size <= 1_000_000 else 1
        work = timed(analyse, data, repeats)
        base = timed(floor, data, repeats)
        peak = peak_mb(analyse, data)
        n_sections = len(parse_bytes(data, "x.txt").sections)
        points.append((len(data), work))
        lines.append(
            f"| {len(data) / 1e6:.2f} MB | {n_sections} | {work:.2f} s | {base:.3f} s | {work / base:.0f}x | "
            f"{peak:.0f} MB | {peak * 1e6 / len(data):.1f}x |"
        )
    if len(points) >= 2:
        xs = [math.log(s) for s, _ in points]
        ys = [math.log(t) for _, t in points]
        mx, my = statistics.mean(xs), statistics.mean(ys)
        slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)
        lines += ["", f"Slope of log(time) against log(size): **{slope:.2f}** (1.0 is linear)."]


HOSTED_BEGIN, HOSTED_END = "<!-- hosted:begin -->", "<!-- hosted:end -->"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="fewer repeats and sizes")
    ap.add_argument("--out", type=Path, default=BENCH / "RESULTS.md")
    args = ap.parse_args()
    runs = 3 if args.quick else 7
    sizes = [10_000, 100_000, 1_000_000] if args.quick else [10_000, 100_000, 1_000_000, 10_000_000]
    crowd = [1, 10] if args.quick else [1, 10, 25]
    started = time.perf_counter()
    lines = [
        "# Benchmark results",
        "",
        f"Written by `python bench/run.py{' --quick' if args.quick else ''}` on "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC.",
        "",
        f"- Machine: {platform.machine()}, {__import__('os').cpu_count()} cores, Python {platform.python_version()}",
        f"- streamlit {version('streamlit')}, plotly {version('plotly')}, pandas {version('pandas')}, "
        f"playwright {version('playwright')}, Chromium at {CHROMIUM}",
        "",
    ]
    # The hosted-link section is written by hand from the runs it names (first_render,
    # protocol_load, replicas): carried over as it is, after the header.
    old = args.out.read_text() if args.out.exists() else ""
    if HOSTED_BEGIN in old and HOSTED_END in old:
        lines += [old[old.index(HOSTED_BEGIN) : old.index(HOSTED_END) + len(HOSTED_END)], ""]
    asyncio.run(browser_part(runs, crowd, lines))
    lines.append("")
    parse_part(sizes, lines)
    lines += ["", f"Whole run: {time.perf_counter() - started:.0f} s.", "", (BENCH / "analysis.md").read_text()]
    text = "\n".join(lines)
    # The scale section is written by `python -m bench.scale`, in its own run: carried over as it is.
    scale = section_of(args.out.read_text()) if args.out.exists() else None
    if scale:
        text = put_section(text, scale)
    args.out.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
