"""Hostile articles through the real render path (AppTest): what reaches the page must be inert."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import library, settings

from ..conftest import FIXTURES, ROOT

APP = str(ROOT / "dashboard" / "app.py")
VIEWS = ["sections", "terms", "citations", "audit", "text", "compare", "library"]
SCRIPT = re.compile(r"<script|<iframe|<object|<embed|<svg|<style[^>]*>\s*body", re.IGNORECASE)
HANDLER = re.compile(r"<[^>]+\son\w+\s*=", re.IGNORECASE)
TAG = re.compile(r"<[a-zA-Z][^>]*>")
URL_ATTR = re.compile(r"""\s(?:href|src|action|formaction)\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)


@pytest.fixture
def hostile_ids(tmp_path, monkeypatch):
    db = tmp_path / "library.sqlite3"
    monkeypatch.setenv(settings.SQLITE_PATH, str(db))
    monkeypatch.delenv(settings.DATABASE_URL, raising=False)
    lib = library.Library(library.SQLiteStore(db))
    return [lib.add((FIXTURES / n).read_bytes(), n).id for n in ("hostile.md", "hostile.html")]


def assert_inert(at: AppTest) -> None:
    assert not at.exception
    for h in at.get("html"):
        body = h.proto.body
        assert not SCRIPT.search(body), body[:300]
        assert not HANDLER.search(body), body[:300]
        for tag in TAG.findall(body):  # real tags only: escaped text is not markup
            for url in URL_ATTR.findall(tag):
                assert url.lower().startswith(("http://", "https://")), tag
        assert "<img" not in body.lower()
    for md in [*at.markdown, *at.info, *at.warning, *at.error, *at.success, *at.caption]:
        live = re.sub(r"\\.", "", md.value)  # what is left once backslash-escaped characters are gone
        assert not re.search(r"\]\(|:red\[|<[A-Za-z/!]|!\[|\$", live), md.value[:200]


@pytest.mark.parametrize("view", VIEWS)
def test_every_view_is_inert(hostile_ids, view):
    for article_id in hostile_ids:
        at = AppTest.from_file(APP, default_timeout=60)
        at.query_params.update({"article": article_id, "view": view, "q": "<script>", "compare": ",".join(hostile_ids)})
        assert_inert(at.run())


def test_the_hostile_text_is_shown_not_run(hostile_ids):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"article": hostile_ids[0], "view": "text"})
    body = "".join(h.proto.body for h in at.run().get("html"))
    assert "&lt;img src=x onerror=alert(&#x27;fm&#x27;)&gt;" in body  # the front-matter page title, as text
    assert "javascript:alert(1)" in body  # the link's target is visible text, not a link
    assert "<U+202E>" not in body  # prose keeps its characters…
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"article": hostile_ids[0], "view": "citations"})
    table = at.run().dataframe[0].value
    assert any("<U+202E>" in u for u in table["url"])  # …but a URL shows its hidden direction switch
    assert set(table["link"]) <= {
        "",
        "https://doi.org/10.1000/ok",
        "https://evil.example/",
        "https://evil.example/\u202egpj.exe",
    }
