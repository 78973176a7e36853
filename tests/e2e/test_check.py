"""In Chromium: check an article's cited pages from the Citations view (button, progress, results),
see the same results in the Audit view, and reopen them from a shared link after a restart."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from dashboard import settings

from ..checkserver import serve
from .conftest import library_env
from .server import start_server, stop_server, wait_for_app
from .test_inputs import add, alerts, open_add, press


def article(url) -> str:
    return f"""# Sleep and memory

Adults who slept less than six hours a night for two weeks scored 30 percent lower on a
word-recall test, according to the [Northfield Sleep Laboratory]({url("/article.html")}).

Coffee prices rose sharply last year in Brazil ([market report]({url("/other.html")})).

The [original study]({url("/gone")}) is no longer online, and [a summary]({url("/slow")}) is slow.
"""


def test_check_the_cited_pages_and_reopen_the_results_from_a_shared_link(browser, tmp_path):
    env = {**library_env(tmp_path / "library.sqlite3"), settings.ALLOW_LOOPBACK_URLS: "1"}
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    with serve() as local:
        proc, app = start_server(env=env)
        try:
            open_add(page, app, "Paste")
            page.get_by_label("Article text").fill(article(local.url))
            add(page, "Add pasted text")
            assert "Added" in alerts(page)
            page.get_by_role("tab", name="Citations").click()
            wait_for_app(page)
            assert not [seen for seen in local.seen if seen[1] != "/"]  # nothing fetched before the button
            assert page.get_by_text("Not checked yet.").is_visible()

            # the progress bar shows (the slow page keeps it up for 3 s); a click lost while the
            # button was redrawn is made again (see test_inputs.press)
            press(page, "Check the cited pages", "[data-testid='stProgress']")
            page.get_by_text("Checked 20").wait_for(timeout=60_000)
            wait_for_app(page)
            body = page.locator("[data-testid='stMain']").inner_text()
            assert "1 of 4 cited pages is dead" in body
            assert "of 4 claims tied to a source, 1 is supported by its page" in body
            assert page.get_by_role("button", name="Check again").is_visible()
            assert "Adults who slept less than six hours" in page.locator(".al-table").first.inner_text()
            assert {path for _, path, _ in local.seen} >= {"/article.html", "/other.html", "/gone", "/slow"}
            shared = urlsplit(page.url).query
            assert "view=citations" in shared
        finally:
            stop_server(proc)

        fetched = len(local.seen)
        proc, app = start_server(env=env)  # a new process: only the library remembers the check
        try:
            other = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
            other.goto(f"{app}/?{shared}")
            wait_for_app(other)
            assert other.get_by_text(re.compile(r"Checked 20\d\d-\d\d-\d\d \d\d:\d\d UTC")).is_visible()
            assert "1 of 4 cited pages is dead" in other.locator("[data-testid='stMain']").inner_text()
            other.get_by_role("tab", name="Audit").click()
            wait_for_app(other)
            assert "1 of 4 cited pages is dead" in other.locator("[data-testid='stMain']").inner_text()
            assert len(local.seen) == fetched  # reopening fetched nothing
            other.context.close()
        finally:
            stop_server(proc)
    page.context.close()
