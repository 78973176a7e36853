"""The settings registry: one declaration per setting, the only reader of the environment, and the
README's Settings table and documented limits held to the code (as datasette's test_docs does)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from dashboard import settings

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


def _section(text: str, heading: str) -> str:
    start = text.index(f"\n## {heading}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end >= 0 else None]


def _table(section: str) -> list[list[str]]:
    """The rows of the first Markdown table in ``section``, header and rule left out."""
    lines = [ln.strip() for ln in section.splitlines() if ln.strip().startswith("|")]
    rows = [[cell.strip() for cell in ln.strip("|").split("|")] for ln in lines]
    return [r for r in rows[2:] if r]


def _code(cell: str) -> str:
    return cell[1:-1] if cell.startswith("`") and cell.endswith("`") else cell


# ---------------------------------------------------------------- the registry


def test_each_setting_is_declared_once_with_a_name_default_and_meaning():
    names = [s.name for s in settings.SETTINGS]
    assert len(names) == len(set(names))
    for s in settings.SETTINGS:
        assert s.name.startswith("ARTICLE_LENS_") and s.help and s.type in (str, float, bool, Path)
        assert s.default is None or isinstance(s.default, s.type)
        assert settings.setting(s.name) is s


def test_no_other_module_reads_the_environment():
    readers = []
    for path in sorted((ROOT / "dashboard").rglob("*.py")):
        if path.name == "settings.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv", "environb"):
                readers.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert readers == [], "read settings through dashboard.settings"


def test_unset_values_are_the_defaults(monkeypatch):
    for s in settings.SETTINGS:
        monkeypatch.delenv(s.name, raising=False)
    assert settings.database_url() is None
    assert settings.sqlite_path() == ROOT / "data" / "library.sqlite3"
    assert settings.max_upload_bytes() == 5 * 1024 * 1024
    assert settings.fetch_timeout() == 10.0
    assert settings.allow_loopback_urls() is False
    assert settings.raw_dir() == ROOT / "data" / "raw"
    assert settings.parsed_dir() == ROOT / "data" / "parsed"


def test_set_values_are_read_each_time(monkeypatch, tmp_path):
    monkeypatch.setenv(settings.DATABASE_URL, "postgresql://u:p@h:5432/db")
    monkeypatch.setenv(settings.SQLITE_PATH, str(tmp_path / "x.sqlite3"))
    monkeypatch.setenv(settings.MAX_UPLOAD_MB, "0.5")
    monkeypatch.setenv(settings.FETCH_TIMEOUT, "2.5")
    monkeypatch.setenv(settings.ALLOW_LOOPBACK_URLS, "yes")
    monkeypatch.setenv(settings.RAW_DIR, str(tmp_path / "raw"))
    monkeypatch.setenv(settings.PARSED_DIR, str(tmp_path / "parsed"))
    assert settings.database_url() == "postgresql://u:p@h:5432/db"
    assert settings.sqlite_path() == tmp_path / "x.sqlite3"
    assert settings.max_upload_bytes() == 512 * 1024
    assert settings.fetch_timeout() == 2.5
    assert settings.allow_loopback_urls() is True
    assert (settings.raw_dir(), settings.parsed_dir()) == (tmp_path / "raw", tmp_path / "parsed")


@pytest.mark.parametrize("raw", ["", "  ", "lots", "0", "-3", "nan", "inf"])
def test_an_unusable_number_falls_back_to_the_default(raw):
    assert settings.setting(settings.MAX_UPLOAD_MB).read({settings.MAX_UPLOAD_MB: raw}) == 5.0
    assert settings.setting(settings.FETCH_TIMEOUT).read({settings.FETCH_TIMEOUT: raw}) == 10.0


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("TRUE", True), ("on", True), ("0", False), ("x", False)])
def test_switches(raw, expected):
    assert settings.setting(settings.ALLOW_LOOPBACK_URLS).read({settings.ALLOW_LOOPBACK_URLS: raw}) is expected


def test_the_folders_follow_the_settings_in_the_store_and_the_cli(monkeypatch, tmp_path):
    from dashboard import store

    monkeypatch.setenv(settings.RAW_DIR, str(tmp_path / "raw"))
    monkeypatch.setenv(settings.PARSED_DIR, str(tmp_path / "parsed"))
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "note.txt").write_text("A Note\n\nSome text here. More text.\n")
    assert store.raw_dir() == tmp_path / "raw" and store.parsed_dir() == tmp_path / "parsed"
    assert list(store.raw_articles()) == ["note"]
    _, reparsed = store.load(tmp_path / "raw" / "note.txt")
    assert reparsed and (tmp_path / "parsed" / "note.json").is_file()
    assert store.parse_and_write(tmp_path / "raw" / "note.txt").json == tmp_path / "parsed" / "note.json"


def test_an_unusable_value_is_logged_once(caplog):
    s = settings.setting(settings.FETCH_TIMEOUT)
    with caplog.at_level("WARNING", logger="dashboard.settings"):
        for _ in range(3):
            assert s.read({settings.FETCH_TIMEOUT: "soon-ish"}) == 10.0
    assert len([r for r in caplog.records if "soon-ish" in r.getMessage()]) == 1


@pytest.mark.parametrize("module", ["dashboard.settings", "dashboard.inputs"])
def test_docstring_examples_run(module):
    import doctest
    import importlib

    failed, tried = doctest.testmod(importlib.import_module(module))
    assert tried > 0 and failed == 0


# ---------------------------------------------------------------- the README's Settings table


def test_the_readme_settings_table_is_the_registry():
    rows = _table(_section(README.read_text(encoding="utf-8"), "Settings"))
    documented = {_code(r[0]): (r[1], r[2]) for r in rows}
    assert list(documented) == [s.name for s in settings.SETTINGS], (
        "README's Settings table and dashboard/settings.py list different settings; "
        "`python -m dashboard.settings` prints the table"
    )
    for s in settings.SETTINGS:
        default, meaning = documented[s.name]
        assert _code(default) == s.shown_default, s.name
        assert meaning == s.help, s.name


def test_the_generated_table_is_in_the_readme():
    assert settings.markdown_table() in README.read_text(encoding="utf-8")


# ---------------------------------------------------------------- the limits


# Where each limit is written, with {} for the value as _shown writes it.
DOCUMENTED = {
    "heading_words": [("docs/parsing.md", "at most {} words and")],
    "heading_chars": [("docs/parsing.md", "words and {} characters")],
    "parse_bytes": [("README.md", "anything over {} with one documented error"), ("docs/parsing.md", "files over {}")],
    "extract_seconds": [("README.md", "HTML extraction gets {}, then"), ("docs/parsing.md", "takes over {} is read")],
    "extract_overdue": [("README.md", "while {} abandoned extractions are still running")],
    "html_depth": [("README.md", "nested deeper than {} levels")],
    "search_chars": [
        ("README.md", "at most {} characters; literal unless"),
        ("README.md", "patterns are cut at {} characters"),
        ("docs/parsing.md", "whole-word, at most {} characters"),
    ],
    "highlights": [("README.md", "highlights at {} and"), ("docs/parsing.md", "At most {} matches are highlighted")],
    "kwic_rows": [("README.md", "keyword-in-context rows at {};"), ("docs/parsing.md", "highlighted and {} keyword")],
    "terms_min": [("README.md", "terms and bigrams to show, {} to")],
    "terms_max": [("README.md", "to show, 5 to {} |")],
    "terms_default": [("README.md", "5 to 50 | `{}` |")],
    "stopwords_words": [("README.md", "extra stopwords (at most {} words,")],
    "stopwords_chars": [("README.md", "at most 50 words, {} characters)")],
    "compare_articles": [("README.md", "for the Compare view (at most {})")],
    "upload_default_mb": [("README.md", "(default {}; the uploader")],
    "fetch_redirects": [("README.md", "at most {} redirects")],
    "check_redirects": [("README.md", "a cited page may redirect at most {} times")],
    "check_read_seconds": [("README.md", "reading a page's text gets {} in a thread")],
    "check_pdf_pages": [("README.md", "PDFs are read up to {} pages")],
    "checks_at_once": [("README.md", "at most {} checks run at once in one server")],
    "link_fields": [("README.md", "(over {} parameters or"), ("README.md", "query string past {} fields")],
    "link_bytes": [("README.md", "parameters or {})"), ("README.md", "fields or {}, and")],
    "kept_value_chars": [("README.md", "each cut to {} characters")],
    "request_head_bytes": [("README.md", "raises the parser limit to {} (Chromium")],
}


def test_every_limit_is_documented():
    assert set(DOCUMENTED) == set(settings.LIMITS)


@pytest.mark.parametrize("name", sorted(settings.LIMITS))
def test_a_documented_limit_is_the_code_constant(name):
    limit = settings.LIMITS[name]
    value = limit.value
    assert isinstance(value, int | float) and value > 0
    shown = limit.shown
    for file, phrase in DOCUMENTED[name]:
        text = " ".join((ROOT / file).read_text(encoding="utf-8").split())
        expected = phrase.format(shown)
        assert expected in text, f"{file} should say “{expected}”, as {limit.constant} is {value!r}"


def test_the_limits_table_in_the_docs_is_the_code():
    assert settings.limits_table() in (ROOT / "docs" / "settings.md").read_text(encoding="utf-8"), (
        "docs/settings.md: paste `python -m dashboard.settings --limits`"
    )
