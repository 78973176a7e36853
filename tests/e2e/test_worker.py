"""In Chromium: an upload parsed past the worker's limit fails in one line while another viewer's
page keeps answering, nothing is stored, and the next upload is parsed as usual."""

from __future__ import annotations

import time

import pytest

from bench import shapes
from dashboard import settings
from dashboard.library import SQLiteStore

from .conftest import FIXTURES, library_env
from .server import start_server, stop_server, wait_for_app
from .test_inputs import alerts, open_add, upload, upload_and_add

PARSE_SECONDS = 8
# About 10 MB of HTML headings: about 12 s of parsing here, well past the limit above.
HEAVY = shapes.SHAPES["headings"]["html"](50_000).encode()


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    return tmp_path_factory.mktemp("worker") / "library.sqlite3"


@pytest.fixture(scope="module")
def app(library):
    env = {**library_env(library), settings.PARSE_SECONDS: str(PARSE_SECONDS), settings.MAX_UPLOAD_MB: "12"}
    proc, url = start_server(env=env)
    yield url
    stop_server(proc)


def test_a_parse_past_its_limit_fails_cleanly_while_another_viewer_reruns(browser, app, library, tmp_path):
    heavy = tmp_path / "heavy.html"
    heavy.write_bytes(HEAVY)
    uploader = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    reader = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    try:
        reader.goto(app + "/?view=text")
        wait_for_app(reader)
        open_add(uploader, app, "Upload")
        upload(uploader, str(heavy))

        uploader.get_by_role("button", name="Add file", exact=True).click()
        pressed = time.monotonic()
        box = reader.get_by_role("textbox", name="Search the text")
        searches_answered = 0
        for word in ["glutamate", "ketamine", "depression", "brain", "relief", "study"] * 5:
            box.fill(word)
            box.press("Enter")
            reader.wait_for_function(f"() => location.search.includes('q={word}')", timeout=30_000)
            wait_for_app(reader)
            if "too complex" in alerts(uploader):
                break
            searches_answered += 1  # this viewer's rerun finished while the upload was still being parsed

        uploader.get_by_test_id("stAlert").filter(has_text="too complex").wait_for(timeout=60_000)
        assert time.monotonic() - pressed >= PARSE_SECONDS - 1  # it ran to its limit, then stopped
        assert searches_answered >= 1
        assert alerts(uploader).startswith(
            "Could not add the article: this file is too complex to parse within the server's limits"
        )
        assert "article=" not in uploader.url
        assert SQLiteStore(library).entries() == []  # nothing stored

        open_add(uploader, app, "Upload")
        upload_and_add(uploader, str(FIXTURES / "markdown" / "jekyll-vitamin-d.md"))
        assert "Added “" in alerts(uploader)
        assert [e.name for e in SQLiteStore(library).entries()] == ["jekyll-vitamin-d.md"]
    finally:
        uploader.context.close()
        reader.context.close()
