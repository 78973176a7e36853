"""Load run: N simultaneous viewers for a while, each switching sections and searching.

    python bench/load.py [--viewers 25] [--seconds 120] [--server serve|streamlit-run]

Prints operations, errors, rerun p50/p95 and the server's memory (resident set, sampled every
5 s); writes bench/LOAD.md. Traffic goes only to the app on 127.0.0.1 and stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

from playwright.async_api import async_playwright  # noqa: E402
from run import p95, ready, rerun_drawn, rss_mb  # noqa: E402

from tests.e2e.server import CHROMIUM, CHROMIUM_ARGS, start_server, stop_server  # noqa: E402

SECTIONS = ["Introduction", "Mechanisms of Action and Effectiveness of Ketamine for Depression", "Conclusion"]
WORDS = ["ketamine", "depression", "glutamate", "study", "relief", "brain", "zebra", "rapid"]


async def viewer(
    browser, url: str, deadline: float, k: int, loads: list[float], times: list[float], errors: list[str]
) -> None:
    rng = random.Random(k)
    ctx = await browser.new_context(viewport={"width": 1200, "height": 900})
    try:
        page = await ctx.new_page()
        page.set_default_timeout(120_000)  # 25 browsers share two cores with the server: be patient
        t = time.perf_counter()
        await page.goto(url, timeout=180_000)
        await ready(page, timeout=180_000)
        loads.append(time.perf_counter() - t)
        while time.monotonic() < deadline:
            try:
                await page.get_by_test_id("stMultiSelect").click()
                option = page.get_by_role("option", name=rng.choice(SECTIONS), exact=True)
                if await option.count():
                    t = time.perf_counter()
                    await option.click()
                    await rerun_drawn(page)
                    times.append(time.perf_counter() - t)
                await page.keyboard.press("Escape")
                box = page.get_by_role("textbox", name="Search the text")
                await box.fill(rng.choice(WORDS))
                t = time.perf_counter()
                await box.press("Enter")
                await rerun_drawn(page)
                times.append(time.perf_counter() - t)
                clear = page.get_by_test_id("stMultiSelect").get_by_role("button", name="Clear all")
                if await clear.count():
                    await clear.click()
                    await rerun_drawn(page)
            except Exception as e:
                errors.append(f"viewer {k}: {type(e).__name__}: {str(e)[:120]}")
                try:
                    await page.goto(url, timeout=180_000)
                    await ready(page, timeout=180_000)
                except Exception as again:
                    errors.append(f"viewer {k} (reload): {type(again).__name__}")
                    return
    except Exception as e:
        errors.append(f"viewer {k} (first load): {type(e).__name__}: {str(e)[:120]}")
    finally:
        await ctx.close()


async def main_async(n: int, seconds: float, server: str) -> str:
    tmp = Path(tempfile.mkdtemp())
    app = BENCH.parent / "dashboard" / "app.py" if server == "streamlit-run" else None
    proc, url = start_server(app, env={"ARTICLE_LENS_SQLITE_PATH": str(tmp / "lib.sqlite3")})
    samples: list[float] = []
    try:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            before = rss_mb(proc.pid)
            loads: list[float] = []
            times: list[float] = []
            errors: list[str] = []
            deadline = time.monotonic() + seconds

            async def sample() -> None:
                while time.monotonic() < deadline + 5:
                    samples.append(rss_mb(proc.pid))
                    await asyncio.sleep(5)

            crowd = (viewer(browser, url + "/", deadline, k, loads, times, errors) for k in range(n))
            await asyncio.gather(sample(), *crowd)
            after = rss_mb(proc.pid)
            await browser.close()
    finally:
        stop_server(proc)
    lines = [
        "# Load run",
        "",
        f"`python bench/load.py --viewers {n} --seconds {seconds:g} --server {server}`: {n} browser contexts of one "
        "Chromium on this machine, each switching sections and searching in a loop against one app server on "
        f"127.0.0.1 ({'`python -m dashboard serve`' if server == 'serve' else '`streamlit run dashboard/app.py`'}).",
        "",
        f"The {os.cpu_count()} CPU cores are shared by the server and all {n} browser contexts, so the counts "
        "below are bound by the browsers' drawing as much as by the server; errors and memory are the server's.",
        "",
        f"- first page loads drawn: {len(loads)} of {n}, p50 {statistics.median(loads):.1f} s, "
        f"slowest {max(loads):.1f} s"
        if loads
        else "- no first page load completed",
        f"- operations after that (reruns drawn): {len(times)}",
        f"- errors: {len(errors)}",
        f"- rerun p50 {statistics.median(times):.2f} s, p95 {p95(times):.2f} s" if times else "- no rerun completed",
        f"- server memory (RSS): {before:.0f} MB before, {max(samples, default=after):.0f} MB at most, "
        f"{after:.0f} MB after",
        "",
        *(f"  - {e}" for e in errors[:20]),
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--viewers", type=int, default=25)
    ap.add_argument("--seconds", type=float, default=120)
    ap.add_argument("--server", choices=("serve", "streamlit-run"), default="serve")
    args = ap.parse_args()
    report = asyncio.run(main_async(args.viewers, args.seconds, args.server))
    (BENCH / "LOAD.md").write_text(report)
    print(report)


if __name__ == "__main__":
    main()
