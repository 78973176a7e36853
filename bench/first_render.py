"""Median time from navigation to the dashboard fully drawn, in Chromium, against an empty app.

Run: python bench/first_render.py [--runs 7]. Prints medians (min-max) and the ratio, measured in one run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright

from tests.e2e.server import CHROMIUM, CHROMIUM_ARGS, start_server, stop_server, wait_for_app


def measure(browser, url: str, runs: int) -> list[float]:
    times = []
    for i in range(runs + 1):  # the first load is a warm-up
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        start = time.perf_counter()
        page.goto(url)
        wait_for_app(page)
        elapsed = time.perf_counter() - start
        context.close()
        if i:
            times.append(elapsed)
    return times


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    empty = Path(tempfile.mkdtemp()) / "empty.py"
    empty.write_text('import streamlit as st\nst.write("hello")\n')
    results = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name, app in (("empty app", empty), ("Article Lens", None)):
            proc, url = start_server(app) if app else start_server()
            try:
                results[name] = measure(browser, url + "/", args.runs)
            finally:
                stop_server(proc)
        browser.close()
    for name, t in results.items():
        print(f"{name:>13}: median {statistics.median(t):.2f} s (min {min(t):.2f}, max {max(t):.2f}, n={len(t)})")
    ratio = statistics.median(results["Article Lens"]) / statistics.median(results["empty app"])
    print(f"ratio Article Lens / empty app: {ratio:.2f}x")


if __name__ == "__main__":
    main()
