"""The dashboard in Chromium: views, filter, search, URL state and safe rendering."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from .server import wait_for_app


def open_app(page, url: str, query: str = "") -> None:
    page.goto(url + "/" + query)
    wait_for_app(page)


def query_of(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def metric(page, label: str) -> str:
    box = page.get_by_test_id("stMetric").filter(has_text=label)
    return box.get_by_test_id("stMetricValue").inner_text().strip()


def tab(page, name: str):
    return page.get_by_role("tab", name=name)


def test_four_views_render_on_the_seed(page, server):
    open_app(page, server)
    assert "Exploring The Potential Of Ketamine" in page.locator("h1").first.inner_text()
    assert metric(page, "Words") == "612" and metric(page, "Citations") == "9"
    expected = {
        "Section lengths": ["Words per section"],
        "Key terms": ["Top 15 terms", "Top 15 bigrams", "How the top terms spread"],
        "Citations": ["Citations by domain"],
        "Text & search": [],
    }
    for name, titles in expected.items():
        tab(page, name).click()
        wait_for_app(page)
        assert tab(page, name).get_attribute("aria-selected") == "true"
        panel = page.get_by_role("tabpanel").filter(visible=True)
        for title in titles:
            assert panel.locator(".gtitle", has_text=title).count() == 1, (name, title)
        assert query_of(page).get("view", ["sections"])[0] in ("sections", "terms", "citations", "text")
    assert page.locator(".al-section").count() == 3
    assert "ketamine" in page.locator(".al-section").first.inner_text().lower()


def test_clicking_a_bar_filters_every_view_and_the_url(page, server):
    open_app(page, server)
    bars = page.get_by_test_id("stPlotlyChart").locator("g.point path")
    assert bars.count() == 3
    bars.nth(2).click(force=True)
    page.wait_for_function("() => location.search.includes('sections=conclusion')", timeout=20_000)
    wait_for_app(page)
    assert query_of(page)["sections"] == ["conclusion"]
    assert metric(page, "Words") == "155" and metric(page, "Sections") == "1 of 3"
    tab(page, "Text & search").click()
    wait_for_app(page)
    sections = page.locator(".al-section h4")
    assert sections.count() == 1 and sections.first.inner_text().startswith("Conclusion")


def test_choosing_a_section_in_the_sidebar_updates_the_url(page, server):
    open_app(page, server)
    page.get_by_test_id("stMultiSelect").click()
    page.get_by_role("option", name="Introduction").click()
    page.keyboard.press("Escape")
    page.wait_for_function("() => location.search.includes('sections=introduction')", timeout=20_000)
    wait_for_app(page)
    assert metric(page, "Words") == "197"
    bars = page.get_by_test_id("stPlotlyChart").locator("g.point path")
    colours = [bars.nth(i).evaluate("e => getComputedStyle(e).fill") for i in range(3)]
    assert colours[0] != colours[1] == colours[2]  # the chosen section stands out


def test_a_shared_url_restores_the_view(page, server):
    open_app(page, server, "?sections=conclusion&q=ketamine&view=text")
    assert tab(page, "Text & search").get_attribute("aria-selected") == "true"
    assert page.get_by_test_id("stMultiSelect").inner_text().count("Conclusion") == 1
    assert page.get_by_role("textbox", name="Search the text").input_value() == "ketamine"
    marks = page.locator(".al-section mark")
    assert marks.count() == 8
    assert {m.lower() for m in marks.all_inner_texts()} == {"ketamine"}
    assert metric(page, "Words") == "155"
    share = page.get_by_role("textbox", name="Link to this view").input_value()
    assert "sections=conclusion" in share and "q=ketamine" in share


def test_typing_a_search_highlights_and_updates_the_url(page, server):
    open_app(page, server)
    box = page.get_by_role("textbox", name="Search the text")
    box.fill("glutamate")
    box.press("Enter")
    page.wait_for_function("() => location.search.includes('q=glutamate')", timeout=20_000)
    wait_for_app(page)
    assert query_of(page)["view"] == ["text"]
    assert page.locator(".al-section mark").count() == 3
    assert page.get_by_text(re.compile(r"3\s+matches in\s+3\s+sentences")).count() == 1


def test_bad_link_values_show_a_note(page, server):
    open_app(page, server, "?sections=ghost&n=zzz")
    alerts = page.get_by_test_id("stAlert").all_inner_texts()
    assert any("unknown section" in a for a in alerts) and any("not a number" in a for a in alerts)
    assert metric(page, "Sections") == "3 of 3"


def test_hostile_article_is_inert(page, hostile_server):
    dialogs, foreign = [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda r: foreign.append(r.url) if urlsplit(r.url).hostname not in ("127.0.0.1",) else None)
    open_app(page, hostile_server, "?view=text")
    assert "<script>" in page.locator("h1").first.inner_text()  # shown as text
    assert page.locator(".al-section").count() == 2
    tab(page, "Citations").click()
    wait_for_app(page)
    page.wait_for_timeout(500)
    assert page.locator("a[href^='javascript:'], a[href^='data:'], [onerror], [onclick]").count() == 0
    grid = page.get_by_test_id("stDataFrame")
    assert grid.count() == 1
    # the grid's accessible table mirrors its cells: column 2 holds the link, column 3 the URL as written
    links = grid.locator("td[aria-colindex='2']").all_inner_texts()
    written = grid.locator("td[aria-colindex='3']").all_inner_texts()
    rows = dict(zip(written, links, strict=True))
    assert rows["javascript:alert(3)"] == "" and rows["data:text/html"] == ""  # shown as text, no link
    assert rows["https://doi.org/10.1000/ok"] == "https://doi.org/10.1000/ok"
    assert dialogs == [] and foreign == []


def test_audit_view_and_downloads(page, server):
    open_app(page, server, "?view=audit&sections=conclusion")
    assert tab(page, "Audit").get_attribute("aria-selected") == "true"
    panel = page.get_by_role("tabpanel").filter(visible=True)
    assert "0 of 9 citations point to a scholarly" in panel.inner_text()
    tables = panel.locator("table.al-table")
    assert tables.count() == 3  # citations, claims, repeats
    assert tables.nth(0).locator("tbody tr").count() == 9
    assert tables.nth(1).locator("tbody tr").count() == 2  # the Conclusion's two unsourced claims
    assert "therapist/863ghdtnk" in tables.nth(0).inner_text()
    assert tables.nth(0).locator("a").count() == 0  # URLs in the audit are text, never links
    with page.expect_download() as got:
        panel.get_by_role("button", name="Download JSON").click()
    data = json.loads(Path(got.value.path()).read_text())
    assert data["view"] == "audit" and len(data["claims"]) == 2 and len(data["table"]) == 9
