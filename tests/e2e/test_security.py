"""Hostile articles and links in Chromium: no dialog, no request to another host, no live link or image."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

import pytest

from .conftest import library_env, serve_articles
from .server import ROOT, start_server, stop_server, wait_for_app

VIEWS = ["sections", "terms", "citations", "audit", "text", "compare", "library"]


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory):
    proc, url = serve_articles(tmp_path_factory, ["hostile.txt", "hostile.md", "hostile.html"])
    yield url
    stop_server(proc)


@pytest.mark.parametrize("article", ["hostile", "hostile-2", "hostile-3"])
def test_every_view_of_a_hostile_article(page, hostile_app, article):
    dialogs, foreign = [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda r: foreign.append(r.url) if urlsplit(r.url).hostname != "127.0.0.1" else None)
    compare = quote("hostile,hostile-2,hostile-3")
    for view in VIEWS:
        page.goto(f"{hostile_app}/?article={article}&view={view}&q=%3Cscript%3E&compare={compare}")
        wait_for_app(page)
        page.wait_for_timeout(200)
        bad = page.locator(
            "a[href^='javascript:' i], a[href^='data:' i], iframe, object, embed, "
            "img[src^='http']:not([src^='http://127.0.0.1'])"
        )
        assert bad.count() == 0, (view, bad.first.evaluate("e => e.outerHTML"))
        assert page.locator("[data-testid='stApp']").is_visible()  # no injected style hid the page
    assert dialogs == [] and foreign == []


def test_an_evil_regex_in_a_link_is_as_safe_as_typing_it(page, hostile_app):
    page.goto(f"{hostile_app}/?view=text&regex=1&q=" + quote("(a+)+$") + "&article=hostile")
    wait_for_app(page)
    assert "Hostile" in page.locator("h1").first.inner_text()  # drawn, not hung
    page.goto(f"{hostile_app}/?view=text&regex=1&q=" + quote("(((") + "&article=hostile")
    wait_for_app(page)
    assert "not a pattern this search can use" in " ".join(page.get_by_test_id("stAlert").all_inner_texts())


def test_links_with_many_fields(page, hostile_app):
    many = "&".join(f"f{i}=1" for i in range(900))
    page.goto(f"{hostile_app}/?{many}&article=nope")
    wait_for_app(page)
    alerts = " ".join(page.get_by_test_id("stAlert").all_inner_texts())
    assert "900 parameters this page does not use" in alerts and "not available" in alerts
    # Over 1,000 fields Streamlit would drop the whole query: the server shortens the link first.
    too_many = "&".join(f"f{i}=1" for i in range(1200))
    page.goto(f"{hostile_app}/?{too_many}&article=hostile&view=nope&sections=introduction,ghost&view=text")
    wait_for_app(page)
    alerts = " ".join(page.get_by_test_id("stAlert").all_inner_texts())
    assert "too long to open as it was (1,204 parameters" in alerts
    assert "unknown section 'ghost'" in alerts
    assert page.get_by_role("tab", name="Text & search").get_attribute("aria-selected") == "true"
    assert "shortened=" not in page.url and "f1=" not in page.url  # the address bar holds the view, not the junk


def test_a_600_kb_link_opens_on_a_sane_view_with_a_note(page, hostile_app):
    huge = "x" * 600_000
    page.goto(f"{hostile_app}/?article=hostile&view=text&q={huge}")
    wait_for_app(page)
    alerts = " ".join(page.get_by_test_id("stAlert").all_inner_texts())
    assert "too long to open as it was (3 parameters, 600," in alerts
    assert "the search in the link was cut to 200 characters" in alerts
    assert "Hostile" in page.locator("h1").first.inner_text()
    assert page.get_by_role("tab", name="Text & search").get_attribute("aria-selected") == "true"
    assert page.get_by_role("textbox", name="Search the text").input_value() == "x" * 200
    assert len(page.url) < 1000


def test_the_guard_also_works_under_streamlit_run(page, tmp_path):
    """`streamlit run dashboard/asgi.py` (for hosts that choose the file, not the command) shortens too."""
    proc, url = start_server(ROOT / "dashboard" / "asgi.py", env=library_env(tmp_path / "library.sqlite3"))
    try:
        too_many = "&".join(f"f{i}=1" for i in range(1100))
        page.goto(f"{url}/?{too_many}&view=citations")
        wait_for_app(page)
        assert "too long to open as it was (1,101 parameters" in " ".join(
            page.get_by_test_id("stAlert").all_inner_texts()
        )
        assert page.get_by_role("tab", name="Citations").get_attribute("aria-selected") == "true"
    finally:
        stop_server(proc)
