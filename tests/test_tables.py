"""The tables the views show, built without Streamlit."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard import search, tables
from dashboard.parse import parse_bytes, parse_file

from .conftest import FIXTURES


def test_section_rows_are_the_chosen_sections_with_their_lines(seed):
    rows = tables.section_rows(tables.sections_table(seed), ["conclusion", "introduction"])
    assert rows["section"].tolist() == ["introduction", "conclusion"]  # article order
    assert rows["lines"].iloc[0] == f"{rows['line_start'].iloc[0]}–{rows['line_end'].iloc[0]}"
    assert rows["words"].tolist() == [197, 155]


def test_citations_in_keeps_the_reference_list_whatever_the_sections():
    art = parse_file(FIXTURES / "saved-page.html")
    cites = tables.citations_table(art)
    assert tables.citations_in(cites, ["short-naps"])["n"].tolist() == [3, 4, 5]
    assert tables.citations_in(cites, [])["n"].tolist() == [4, 5]  # only the list's
    assert len(tables.citations_in(cites, [s.id for s in art.sections])) == len(cites)


def test_citation_rows_link_only_what_is_safe_and_say_where_each_stands():
    art = parse_file(FIXTURES / "hostile.txt")
    rows = tables.citation_rows(tables.citations_table(art), {s.id: s.heading for s in art.sections})
    assert rows.columns.tolist() == tables.CITATION_ROW_COLUMNS
    links = dict(zip(rows["url"], rows["link"], strict=True))
    assert links["javascript:alert(3)"] == "" and links["data:text/html"] == ""
    assert links["https://doi.org/10.1000/ok"] == "https://doi.org/10.1000/ok"
    where = dict(zip(rows["url"], rows["where"], strict=True))
    assert where["https://evil.example/t.png"] == "Introduction" and where["javascript:alert(3)"] == "reference list"
    assert set(rows["found"]) == {"written"}
    assert rows["host"].tolist()[1:3] == ["", ""]  # no host: empty, not NaN


def test_citation_rows_show_hidden_characters_and_derived_urls():
    text = "# T\n\nSee [x](https://a.example/\u202eexe.pdf). A trial doi:10.5555/abc found it.\n"
    art = parse_bytes(text.encode(), "t.md")
    rows = tables.citation_rows(tables.citations_table(art), {s.id: s.heading for s in art.sections})
    assert "<U+202E>" in rows["url"].iloc[0] and "\u202e" not in rows["url"].iloc[0]
    assert "identifier in the text" in rows["found"].tolist()


@dataclass(frozen=True)
class FakeEntry:
    id: str
    title: str
    format: str
    added: str
    words: int
    citations: int
    name: str
    origin: str | None = None
    bundled: bool = False


def test_library_table_one_row_per_entry():
    entries = [
        FakeEntry("seed", "Seed", "txt", "", 612, 9, "seed.txt", bundled=True),
        FakeEntry(
            "0123456789abcdef", "Added", "md", "2026-01-02T10:00:00+00:00", 10, 1, "a\u202e.md", "https://x.org/"
        ),
    ]
    table = tables.library_table(entries, lambda i: f"/?article={i}")
    assert table.columns.tolist() == tables.LIBRARY_COLUMNS
    assert table["open"].tolist() == ["/?article=seed", "/?article=0123456789abcdef"]
    assert table["format"].tolist() == ["text", "Markdown"]
    assert table["added"].tolist() == ["bundled", "2026-01-02 10:00:00 UTC"]
    assert table["file"].tolist()[1] == "a<U+202E>.md" and table["from"].tolist() == ["", "https://x.org/"]
    assert tables.library_table([], str).columns.tolist() == tables.LIBRARY_COLUMNS


def test_format_names():
    assert [tables.format_name(f) for f in ("txt", "md", "html", "pdf")] == ["text", "Markdown", "HTML", "pdf"]


def test_name_sections_and_sentence_rows(seed):
    named = tables.name_sections(pd.DataFrame({"section": ["conclusion"], "term": ["x"]}), {"conclusion": "End"})
    assert named["section"].tolist() == ["End"]
    rows = tables.sentence_rows(seed, ["conclusion"])
    assert set(rows["section"]) == {"conclusion"} and "matches" not in rows
    counted = tables.sentence_rows(seed, ["conclusion"], search.compile_query("ketamine", False, False))
    assert counted["matches"].sum() == 8
