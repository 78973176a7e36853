"""Real-browser fixtures: the dashboard served on 127.0.0.1 and Debian's Chromium via Playwright."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dashboard import settings, store

from .server import CHROMIUM, CHROMIUM_ARGS, start_server, stop_server

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def library_env(path: Path) -> dict[str, str]:
    """Settings for a server with its own empty SQLite library."""
    return {settings.SQLITE_PATH: str(path), settings.DATABASE_URL: ""}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    proc, url = start_server(env=library_env(tmp_path_factory.mktemp("lib") / "library.sqlite3"))
    yield url
    stop_server(proc)


def serve_articles(tmp_path_factory, names: list[str]):
    """Start a server whose bundled articles are these fixtures, with its own empty library."""
    root = tmp_path_factory.mktemp("articles")
    (root / "raw").mkdir()
    for name in names:
        shutil.copy(FIXTURES / name, root / "raw" / name)
    env = {
        store.RAW_DIR_ENV: str(root / "raw"),
        store.PARSED_DIR_ENV: str(root / "parsed"),
        **library_env(root / "library.sqlite3"),
    }
    return start_server(env=env)


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    """A server whose only article is the hostile plain-text fixture."""
    proc, url = serve_articles(tmp_path_factory, ["hostile.txt"])
    yield url
    stop_server(proc)


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    yield pg
    context.close()
