"""The Streamlit page under AppTest: no browser, real script, real data."""

from __future__ import annotations

import json
import logging
import re
import shutil
from dataclasses import fields

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import library, settings, store, tables, viewstate
from dashboard.errors import BadInputError, NotFoundError, ParseError
from dashboard.ui import sidebar
from dashboard.ui import state as view_state
from dashboard.viewstate import ViewState

from .conftest import FIXTURES, ROOT

APP = str(ROOT / "dashboard" / "app.py")
VIEWS = ["Section lengths", "Key terms", "Citations", "Audit", "Text & search", "Compare", "Library"]


@pytest.fixture(autouse=True)
def own_library(tmp_path, monkeypatch):
    """Each test gets an empty SQLite library of its own."""
    monkeypatch.setenv(settings.SQLITE_PATH, str(tmp_path / "library.sqlite3"))
    monkeypatch.delenv(settings.DATABASE_URL, raising=False)


def run(params: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    return at.run()


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def page_html(at: AppTest) -> str:
    return "".join(h.proto.body for h in at.get("html"))


def test_opens_on_the_bundled_article():
    at = run()
    assert not at.exception
    assert metrics(at) == {
        "Words": "612",
        "Sentences": "29",
        "Sections": "3 of 3",
        "Citations": "9",
        "Reading time": "3 min",
    }
    assert "Exploring The Potential Of Ketamine For Depression" in page_html(at)
    assert [t.label for t in at.tabs if t.label in VIEWS] == VIEWS
    assert dict(at.query_params) == {}
    assert at.sidebar.selectbox(key="w_article").value == "ketamine-for-depression"


def top_terms(at: AppTest) -> list[str]:
    """The terms of the Key terms view's first chart, most frequent first."""
    return list(reversed(json.loads(at.get("plotly_chart")[0].proto.spec)["data"][0]["y"]))


# Charts each view draws on the bundled article with no search and nothing to compare.
CHARTS = {"sections": 1, "terms": 3, "citations": 1, "audit": 0, "text": 0, "compare": 0, "library": 0}


@pytest.mark.parametrize("view", list(CHARTS))
def test_each_view_renders(view):
    at = run({"view": view})
    assert not at.exception
    assert not at.warning and not at.error
    assert len(at.get("plotly_chart")) == CHARTS[view]
    assert all(json.loads(c.proto.config) == {"displaylogo": False} for c in at.get("plotly_chart"))
    if view != "compare":  # compare needs two articles chosen before it has data
        assert {b.label for b in at.get("download_button")} >= {"Download CSV", "Download JSON"}


def test_query_params_restore_the_view():
    at = run({"sections": "conclusion", "q": "ketamine", "view": "text", "word": "1", "n": "20"})
    assert not at.exception and not at.warning
    assert at.sidebar.multiselect(key="w_sections").value == ["conclusion"]
    assert at.sidebar.text_input(key="w_q").value == "ketamine"
    assert at.sidebar.checkbox(key="w_word").value is True
    assert at.sidebar.slider(key="w_n").value == 20
    assert metrics(at)["Words"] == "155"
    html = page_html(at)
    assert html.count("<mark>") == 8
    assert "Mechanisms of Action" not in html  # other sections filtered out of the text view


def test_bad_query_params_fall_back_with_notes():
    at = run({"sections": "nope", "n": "lots", "view": "weird", "article": "missing"})
    assert not at.exception
    notes = " ".join(w.value for w in at.warning)
    for fragment in ("unknown section", "not a number", "unknown view", "not available"):
        assert fragment in notes.replace("\\", "")
    assert metrics(at)["Sections"] == "3 of 3"


def test_filter_and_search_write_the_url():
    at = run()
    at.sidebar.multiselect(key="w_sections").select("introduction").run()
    assert metrics(at)["Words"] == "197"
    assert at.query_params["sections"] == "introduction"
    at.sidebar.text_input(key="w_q").input("glutamate").run()
    # searching opens the text view
    assert at.query_params["view"] == "text" and at.query_params["q"] == "glutamate"
    assert page_html(at).count("<mark>") == 2


def test_search_without_match_says_so():
    at = run({"q": "zebra", "view": "text"})
    assert any("No match" in i.value for i in at.info)


def test_stopword_options_change_terms():
    plain = top_terms(run({"view": "terms", "n": "50"}))
    at = run({"view": "terms", "n": "50", "stop_add": "ketamine", "stop_keep": "research"})
    assert not at.exception
    assert at.sidebar.text_input(key="w_stop_add").value == "ketamine"
    assert at.sidebar.text_input(key="w_stop_keep").value == "research"
    changed = top_terms(at)
    assert plain[0] == "ketamine" and "ketamine" not in changed  # an added stopword is left out
    assert "research" not in plain and "research" in changed  # a kept one is counted
    assert changed[0] == plain[1]


def test_hostile_article_is_escaped(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(FIXTURES / "hostile.txt", raw / "hostile.txt")
    monkeypatch.setenv(store.RAW_DIR_ENV, str(raw))
    monkeypatch.setenv(store.PARSED_DIR_ENV, str(tmp_path / "parsed"))
    at = run({"article": "hostile", "view": "text"})
    assert not at.exception
    html = page_html(at)
    assert "<script" not in html and "<img" not in html and "<b>bold" not in html and "<a " not in html
    assert "&lt;script&gt;" in html and "&lt;b&gt;bold&lt;/b&gt;" in html
    for md in at.markdown:  # nothing user-written reaches Markdown unescaped
        assert "](" not in md.value and "<script" not in md.value
    at = run({"article": "hostile", "view": "citations"})
    assert not at.exception
    table = at.dataframe[0].value
    links = dict(zip(table["url"], table["link"], strict=True))
    assert links["javascript:alert(3)"] == "" and links["data:text/html"] == ""
    assert links["https://doi.org/10.1000/ok"] == "https://doi.org/10.1000/ok"


def test_unreadable_article_shows_a_message(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "blob.txt").write_bytes(b"\x00\x01binary")
    monkeypatch.setenv(store.RAW_DIR_ENV, str(raw))
    monkeypatch.setenv(store.PARSED_DIR_ENV, str(tmp_path / "parsed"))
    at = run({"article": "blob"})
    assert not at.exception
    assert any("binary" in e.value for e in at.error)


def added_message(at: AppTest) -> str:
    return " ".join(m.value for m in [*at.success, *at.error]).replace("\\", "")


def test_paste_adds_an_article_and_the_link_names_it():
    at = run()
    at.text_area(key="add_paste").input("# Pasted Guide\n\nWalking helps. It is cheap.\n\n## Why\n\nIt helps sleep.")
    at.button(key="add_paste_btn").click().run()
    assert not at.exception
    assert "Added" in added_message(at) and "Pasted Guide" in added_message(at)
    article_id = at.sidebar.selectbox(key="w_article").value
    assert len(article_id) == 16 and at.query_params["article"] == article_id
    assert "Pasted Guide" in page_html(at)
    # a new session opening that link gets the same article
    again = run({"article": article_id})
    assert "Pasted Guide" in page_html(again) and not again.warning


def test_the_address_a_paste_was_published_at_makes_its_own_site_internal():
    text = (
        "# Own Site Guide\n\nSee [our other post](https://blog.example.org/other) and "
        "[the trial](https://doi.org/10.5555/x1). It helps.\n"
    )
    at = run()
    at.text_area(key="add_paste").input(text)
    at.text_input(key="add_paste_origin").input("javascript:alert(1)")
    at.button(key="add_paste_btn").click().run()
    assert "not an http(s) address" in added_message(at)
    assert at.sidebar.selectbox(key="w_article").value == "ketamine-for-depression"
    at.text_input(key="add_paste_origin").input("https://www.example.org/guide")
    at.button(key="add_paste_btn").click().run()
    assert "Added" in added_message(at)
    lib = library.Library(library.open_backend())
    art = lib.get(at.sidebar.selectbox(key="w_article").value)
    assert [c.url for c in art.citations] == ["https://doi.org/10.5555/x1"]
    assert any("own site" in w for w in art.warnings)


def test_empty_paste_and_binary_upload_say_why():
    at = run()
    at.button(key="add_paste_btn").click().run()
    assert "paste some text first" in added_message(at)
    at.file_uploader(key="add_upload").upload("blob.txt", b"\x00\x01\x02\x03" * 10, "text/plain").run()
    at.button(key="add_upload_btn").click().run()
    assert not at.exception
    assert "binary" in added_message(at)
    assert at.sidebar.selectbox(key="w_article").value == "ketamine-for-depression"


@pytest.mark.parametrize("name", ["saved-page.html", "sleep-and-memory.md", "wrapped-health-guide.txt"])
def test_upload_each_format(name):
    at = run()
    at.file_uploader(key="add_upload").upload(name, (FIXTURES / name).read_bytes(), "text/plain").run()
    at.button(key="add_upload_btn").click().run()
    assert not at.exception
    assert "Added" in added_message(at)
    assert at.sidebar.selectbox(key="w_article").value != "ketamine-for-depression"


def test_url_loading_from_a_local_server(monkeypatch):
    from .localserver import serve

    monkeypatch.setenv(settings.ALLOW_LOOPBACK_URLS, "1")
    with serve() as base:
        at = run()
        at.text_input(key="add_url").input(base + "/article.html")
        at.button(key="add_url_btn").click().run()
        assert "Added" in added_message(at) and "Sleep Tips For Busy Parents" in added_message(at)
        listing = run({"view": "library"}).dataframe[0].value
        assert listing["from"].tolist() == ["", base + "/article.html"]
        monkeypatch.delenv(settings.ALLOW_LOOPBACK_URLS)
        at.text_input(key="add_url").input(base + "/plain")
        at.button(key="add_url_btn").click().run()
        assert "not a public internet address" in added_message(at)


def test_compare_and_remove():
    at = run()
    at.file_uploader(key="add_upload").upload("page.html", (FIXTURES / "saved-page.html").read_bytes()).run()
    at.button(key="add_upload_btn").click().run()
    added = at.sidebar.selectbox(key="w_article").value
    at = run({"view": "compare", "compare": f"ketamine-for-depression,{added}"})
    assert not at.exception and not at.warning
    overview = at.dataframe[0].value
    assert list(overview["title"]) == [
        "Exploring The Potential Of Ketamine For Depression: An In-Depth Analysis",
        "Sleep Tips For Busy Parents",
    ]
    assert list(overview["scholarly share"]) == [0.0, 0.6]
    assert len(at.get("plotly_chart")) == 3
    at = run({"view": "library", "article": added})
    assert len(at.dataframe[0].value) == 2
    at.button(key="remove_btn").click().run()
    assert "removed" in added_message(at)
    assert at.sidebar.selectbox(key="w_article").value == "ketamine-for-depression"
    gone = run({"article": added})
    assert any("not available" in w.value.replace("\\", "") for w in gone.warning)


def test_audit_view_obeys_the_section_filter():
    at = run({"view": "audit"})
    assert not at.exception
    summary = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert "0 of 9 citations point to a scholarly" in summary
    html = page_html(at)
    assert html.count("storage bucket") + html.count("(cloud storage or CDN)") >= 4
    assert html.count("random-looking per-user subdomain") == 4
    assert html.count("<td>no</td>") == 7  # seven claims, none sourced
    assert len(at.dataframe[0].value) == 3  # the per-section table
    at = run({"view": "audit", "sections": "introduction"})
    html = page_html(at)
    assert html.count("<td>no</td>") == 1 and len(at.dataframe[0].value) == 1
    assert html.count("random-looking per-user subdomain") == 4  # the reference list belongs to the whole article


def test_regex_from_a_link_and_a_bad_one():
    at = run({"view": "text", "q": r"glutamat\w*|NMDA", "regex": "1"})
    assert not at.exception and at.sidebar.checkbox(key="w_regex").value is True
    assert page_html(at).count("<mark>") == 4
    at = run({"view": "text", "q": "(a+)+$(", "regex": "1"})
    assert not at.exception
    assert any("not a pattern this search can use" in i.value.replace("\\", "") for i in at.info)


def test_a_link_with_thousands_of_compare_ids_looks_up_at_most_seven(monkeypatch):
    """Ids are cut to what the page can use before any is looked up (a directory scan and a query each)."""
    looked_up = []
    exists = library.Library.exists

    def counting(self, article_id):
        looked_up.append(article_id)
        return exists(self, article_id)

    monkeypatch.setattr(library.Library, "exists", counting)
    ids = ",".join(f"{i:016x}" for i in range(5000))
    at = run({"view": "compare", "compare": ids, "article": "ffffffffffffffff"})
    assert not at.exception
    assert len(looked_up) <= viewstate.MAX_COMPARE + 1
    notes = " ".join(w.value for w in at.warning).replace("\\", "")
    assert "at most 6 articles are compared" in notes and "to compare is not available" in notes


def test_the_link_is_cut_before_ids_are_looked_up():
    params = {"article": ["a", "b"], "compare": [",".join(f"id{i}" for i in range(5000)), "more"]}
    cut, notes = view_state.cut_compare(params)
    assert cut["compare"] == ["id0,id1,id2,id3,id4,id5"] and cut["article"] == ["a", "b"]
    assert notes == ["at most 6 articles are compared; the first 6 are used"]
    assert view_state.ids_to_look_up(cut, known=["id1", "b"]) == ["id0", "id2", "id3", "id4", "id5"]
    assert view_state.cut_compare({"compare": ["x,,y,x"]}) == ({"compare": ["x,y"]}, [])
    assert view_state.ids_to_look_up({}, known=[]) == []


def test_every_view_state_field_has_one_widget_binding():
    assert [b.field for b in view_state.BINDINGS] == [f.name for f in fields(ViewState)]
    assert {b.key for b in view_state.BINDINGS} == {f"w_{f.name}" for f in fields(ViewState)}
    state = ViewState("x", "audit", ("a", "b"), "q", True, True, 20, ("one", "two"), ("three",), ("c", "d"))
    widgets = {b.field: b.to_widget(getattr(state, b.field)) for b in view_state.BINDINGS}
    assert widgets["view"] == "Audit" and widgets["stop_add"] == "one, two" and widgets["compare"] == ["c", "d"]
    assert ViewState(**{b.field: b.from_widget(widgets[b.field]) for b in view_state.BINDINGS}) == state


def test_values_come_back_from_the_widgets_within_the_limits():
    back = {b.field: b.from_widget for b in view_state.BINDINGS}
    assert back["q"]("  " + "x" * 500) == "x" * 200
    assert back["n"](500) == 50 and back["n"](1) == 5
    assert len(back["stop_add"](", ".join(f"w{i}" for i in range(80)))) == viewstate.MAX_WORDS_IN_LIST
    assert back["compare"](list("abcdefgh")) == tuple("abcdef")


@pytest.mark.parametrize(
    ("source", "values", "message"),
    [
        ("paste", {"add_paste": "  \n"}, "paste some text first"),
        ("upload", {}, "choose a file first"),
        ("url", {"add_url": " "}, "type a URL first"),
        ("paste", {"add_paste": "Text.", "add_paste_origin": "javascript:alert(1)"}, "not an http"),
        ("upload", {"add_upload": object(), "add_upload_origin": "ftp://x.org/"}, "not an http"),
    ],
)
def test_nothing_to_add_is_bad_input_not_a_parse_error(source, values, message):
    if source == "upload" and "add_upload" in values:
        values = {**values, "add_upload": type("Upload", (), {"getvalue": lambda self: b"x", "name": "a.txt"})()}
    with pytest.raises(BadInputError, match=message) as raised:
        sidebar.read_input(source, values)
    assert not isinstance(raised.value, ParseError)


def error_text(at: AppTest) -> str:
    return " ".join(e.value for e in at.error).replace("\\", "")


def test_an_unexpected_error_shows_an_apology_and_an_id_and_logs_the_traceback(monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("internal detail at /srv/secret/path")

    monkeypatch.setattr(tables, "citation_rows", broken)
    with caplog.at_level(logging.ERROR):
        at = run({"view": "citations"})
    assert not at.exception
    shown = error_text(at)
    found = re.search(r"error id ([0-9a-f]{8})\b", shown)
    assert found and "Sorry" in shown
    assert "secret" not in shown and "Traceback" not in shown and "RuntimeError" not in shown
    logged = [r for r in caplog.records if found.group(1) in r.getMessage()]
    assert logged and logged[0].exc_info and "internal detail" in str(logged[0].exc_info[1])
    assert metrics(at)["Words"] == "612"  # the rest of the page is drawn


def test_a_user_error_shows_its_own_message(monkeypatch):
    def refuse(*args, **kwargs):
        raise NotFoundError("no such section here")

    monkeypatch.setattr(tables, "citation_rows", refuse)
    at = run({"view": "citations"})
    assert not at.exception and error_text(at) == "no such section here"


def test_an_article_the_library_cannot_find_is_not_found_not_a_crash(monkeypatch):
    monkeypatch.setattr(library.Library, "exists", lambda self, article_id: True)
    at = run({"article": "0123456789abcdef"})
    assert not at.exception
    shown = error_text(at)
    assert shown.startswith("This article could not be read: ") and "0123456789abcdef" in shown
    assert "Sorry" not in shown


def test_charts_and_headings_each_have_one_place_in_the_ui():
    """Every chart is drawn by widgets.chart (one config); the headings map is built once per run."""
    sources = {p.relative_to(ROOT).as_posix(): p.read_text(encoding="utf-8") for p in UI_FILES}
    assert [name for name, text in sources.items() if "plotly_chart(" in text] == ["dashboard/ui/widgets.py"]
    assert [name for name, text in sources.items() if ".heading for s in" in text] == ["dashboard/ui/page.py"]


UI_FILES = sorted([ROOT / "dashboard" / "app.py", *(ROOT / "dashboard" / "ui").rglob("*.py")])


def test_the_cited_pages_are_not_checked_until_asked_and_a_kept_check_is_shown(tmp_path):
    from dashboard.check.report import CheckReport, CitationCheck
    from dashboard.ui import loaders

    at = run({"view": "citations"})
    assert [b.label for b in at.button if b.key == "check_citations"] == ["Check the cited pages"]
    assert any("Not checked yet" in c.value for c in at.caption)
    url = "https://twitter.com/ldcloudlinks/status/1648974024070791171"
    kept = CheckReport(
        "ketamine-for-depression",
        "Ketamine",
        "2026-12-01T09:30:00+00:00",
        2.0,
        True,
        (CitationCheck(url, "dead", "the server answered 404 Not Found", 404),),
        (),
    )
    library.Library(library.open_backend()).put_check("ketamine-for-depression", kept.checked_at, kept.to_dict())
    loaders.forget_check("ketamine-for-depression")  # else the listing's 10 s cache answers first
    at = run({"view": "audit"})
    assert [b.label for b in at.button if b.key == "check_audit"] == ["Check again"]
    assert any("Checked 2026-12-01 09:30 UTC" in c.value for c in at.caption)
    summary = " ".join(m.value for m in at.markdown).replace("\\", "")  # markdown-escaped
    assert "cited pages, checked 2026-12-01 09:30 UTC: 1 of 1 cited page is dead" in summary


def test_a_check_past_the_servers_limit_of_checks_at_once_is_asked_to_try_again(monkeypatch):
    import threading

    from dashboard.ui import checks

    busy = threading.BoundedSemaphore(1)
    busy.acquire()  # another viewer's check is running
    monkeypatch.setattr(checks, "_running", busy)
    at = run({"view": "citations"})
    at.button(key="check_citations").click().run()
    assert not at.exception
    assert any("already checking other articles" in e.value for e in at.error)
    assert library.Library(library.open_backend()).latest_check("ketamine-for-depression") is None
