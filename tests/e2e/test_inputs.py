"""Adding articles in Chromium: paste, upload of each format, URL; links that survive a restart."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from dashboard import settings

from ..conftest import postgres_url
from ..localserver import serve
from .conftest import FIXTURES, library_env
from .server import free_port, start_server, stop_server, wait_for_app

ARTICLE_ID = re.compile(r"^[0-9a-f]{16}$")


@pytest.fixture(scope="module")
def pages():
    with serve() as base:
        yield base


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    db = tmp_path_factory.mktemp("inputs") / "library.sqlite3"
    proc, url = start_server(env={**library_env(db), settings.ALLOW_LOOPBACK_URLS: "1"})
    yield url
    stop_server(proc)


def open_add(page, url: str, how: str) -> None:
    page.goto(url + "/")
    wait_for_app(page)
    page.get_by_text("Add an article").click()
    page.get_by_role("tab", name=how).click()


ADD_RESULT = re.compile(r"Added “|Could not add")
FRESH_RESULT = re.compile(r"Added “|Could not add the article: (?!choose a file first)")


def add(page, button: str) -> None:
    """Press an Add button and wait for its outcome: a message, and on success the article in the URL.

    Waiting on the outcome rather than on a quiet page: under load the rerun the click starts can
    begin after the page first looks idle (seen in CI).
    """
    # A second press is for an upload still on its way when the button ran; it waits for a new
    # outcome, since the old message stays on the page until the rerun replaces it.
    for outcome in (ADD_RESULT, FRESH_RESULT):
        press(page, button, outcome)
        wait_for_app(page)
        if "choose a file first" not in alerts(page):
            break
    if "Added" in alerts(page):
        page.wait_for_url(re.compile(r"[?&]article=[0-9a-f]{16}"), timeout=30_000)
        wait_for_app(page)


def press(page, button: str, outcome: re.Pattern[str] | str, tries: int = 3) -> None:
    """Click ``button`` until a message matching ``outcome`` (or an element matching the CSS
    selector ``outcome``) shows. On a busy machine a click can
    land while Streamlit redraws the button and be lost (no rerun starts; seen in CI about once in
    ten runs, with nothing in the server's log). Pressing an Add button twice is harmless: the
    library is content-addressed, so the same article is added once."""
    for attempt in range(1, tries + 1):
        page.get_by_role("button", name=button, exact=True).click()
        try:
            if isinstance(outcome, str):  # a CSS selector for what the press shows
                page.locator(outcome).first.wait_for(timeout=20_000)
            else:
                page.get_by_test_id("stAlert").filter(has_text=outcome).first.wait_for(timeout=20_000)
            return
        except PlaywrightTimeout:
            if attempt == tries:
                raise
            wait_for_app(page)


def upload(page, files) -> None:
    """Choose a file, then wait until it has reached the server (its rerun has finished)."""
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(files)
    page.get_by_test_id("stFileChipName").wait_for()
    page.wait_for_timeout(300)
    wait_for_app(page)


def upload_and_add(page, files) -> None:
    upload(page, files)
    add(page, "Add file")


def current_article(page) -> str:
    return parse_qs(urlsplit(page.url).query).get("article", [""])[0]


def title(page) -> str:
    return page.locator("h1.al-title").inner_text()


def alerts(page) -> str:
    return " ".join(page.get_by_test_id("stAlert").all_inner_texts())


def test_paste(page, app):
    open_add(page, app, "Paste")
    page.get_by_label("Article text").fill("# Walking Daily\n\nWalking helps sleep. It is free.\n\n## Why\n\nIt helps.")
    add(page, "Add pasted text")
    assert title(page) == "Walking Daily"
    assert ARTICLE_ID.match(current_article(page))
    assert "Added" in alerts(page)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("saved-page.html", "Sleep Tips For Busy Parents"),
        ("sleep-and-memory.md", "Sleep and Memory: What We Know"),
        ("wrapped-health-guide.txt", "Sleep and Memory: What the Evidence Says"),
    ],
)
def test_upload_each_format(page, app, name, expected):
    open_add(page, app, "Upload")
    upload_and_add(page, str(FIXTURES / name))
    assert title(page) == expected
    assert ARTICLE_ID.match(current_article(page))


def test_url_from_a_local_server(page, app, pages):
    open_add(page, app, "URL")
    page.get_by_label("Page URL (http or https)").fill(pages + "/article.html")
    add(page, "Load page")
    assert title(page) == "Sleep Tips For Busy Parents"
    page.get_by_role("tab", name="Library").click()
    wait_for_app(page)
    cells = page.get_by_test_id("stDataFrame").locator("td")
    cells.first.wait_for(state="attached")
    assert "Sleep Tips For Busy Parents" in cells.all_inner_texts()


@pytest.mark.parametrize(
    ("how", "action", "message"),
    [
        ("Paste", None, "paste some text first"),
        ("URL", "http://10.0.0.1/private", "not a public internet address"),
        ("URL", "ftp://example.org/a.txt", "only http"),
        ("URL", "unreachable", "could not load the page"),
        ("Upload", b"\x00\x01\x02\x03" * 100, "binary"),
        ("Upload", b"", "empty"),
    ],
)
def test_bad_inputs_say_why(page, app, how, action, message):
    open_add(page, app, how)
    if how == "Paste":
        add(page, "Add pasted text")
    elif how == "URL":
        url = f"http://127.0.0.1:{free_port()}/" if action == "unreachable" else action
        page.get_by_label("Page URL (http or https)").fill(url)
        add(page, "Load page")
    else:
        upload_and_add(page, {"name": "bad.txt", "mimeType": "text/plain", "buffer": action})
    assert message in alerts(page)
    assert current_article(page) == ""  # still on the bundled article
    assert "Exploring The Potential" in title(page)


def test_a_file_over_the_limit_is_refused_by_the_uploader(page, app, tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"word " * (50 * 1024 * 1024 // 5))  # 50 MB, over the 5 MB limit
    open_add(page, app, "Upload")
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(big))
    page.wait_for_timeout(500)
    assert re.search(r"(?i)(too large|must be|exceeds|limit)", page.get_by_test_id("stFileUploader").inner_text())


def test_wrong_encoding_is_read_and_said(page, app, tmp_path):
    latin = tmp_path / "latin.txt"
    latin.write_bytes(
        "Caf\u00e9 Cr\u00e8me Guide\nThe caf\u00e9 serves cr\u00e8me br\u00fbl\u00e9e. It is good.\n".encode("cp1252")
    )
    open_add(page, app, "Upload")
    upload_and_add(page, str(latin))
    assert title(page) == "Caf\u00e9 Cr\u00e8me Guide"
    page.get_by_text("How this article was parsed").click()
    assert "cp1252" in page.get_by_test_id("stExpander").filter(has_text="How this article").inner_text()


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_a_shared_link_survives_a_server_restart(page, tmp_path, backend):
    if backend == "postgres":
        env = {settings.DATABASE_URL: postgres_url()}
    else:
        env = library_env(tmp_path / "library.sqlite3")
    proc, app_url = start_server(env=env)
    try:
        open_add(page, app_url, "Upload")
        upload_and_add(page, str(FIXTURES / "sleep-and-memory.md"))
        page.get_by_role("tab", name="Text & search").click()
        wait_for_app(page)
        shared = urlsplit(page.url).query
        assert "article=" in shared and "view=text" in shared
    finally:
        stop_server(proc)
    proc, app_url = start_server(env=env)  # a new process, a new port: only the store remembers
    try:
        page.goto(f"{app_url}/?{shared}")
        wait_for_app(page)
        assert title(page) == "Sleep and Memory: What We Know"
        assert page.get_by_role("tab", name="Text & search").get_attribute("aria-selected") == "true"
        assert "not available" not in alerts(page)
    finally:
        stop_server(proc)


def test_two_replicas_share_the_postgres_library(page):
    """Two app servers, one PostgreSQL: an article added through one opens by its link on the other."""
    env = {settings.DATABASE_URL: postgres_url()}
    (proc_a, url_a), (proc_b, url_b) = start_server(env=env), start_server(env=env)
    try:
        open_add(page, url_a, "Paste")
        page.get_by_label("Article text").fill("# Shared Between Replicas\n\nOne store serves both. It works.\n")
        add(page, "Add pasted text")
        article_id = current_article(page)
        assert ARTICLE_ID.match(article_id)
        page.goto(f"{url_b}/?article={article_id}")
        wait_for_app(page)
        assert title(page) == "Shared Between Replicas"
        assert "not available" not in alerts(page)
    finally:
        stop_server(proc_a)
        stop_server(proc_b)
