"""The article store, run against both backends: SQLite and a real PostgreSQL."""

from __future__ import annotations

import json

import pytest

from dashboard import library, settings
from dashboard.errors import BadInputError, NotFoundError, ParseError, StoreError
from dashboard.model import PARSER_VERSION

from .conftest import FIXTURES, SEED, postgres_url


def make_backend(kind: str, tmp_path):
    if kind == "sqlite":
        return library.SQLiteStore(tmp_path / "lib.sqlite3")
    backend = library.PostgresStore(postgres_url())
    with backend._connect() as con:
        con.execute("TRUNCATE articles, checks")
    return backend


@pytest.fixture(params=["sqlite", "postgres"])
def backend_kind(request):
    return request.param


@pytest.fixture
def lib(backend_kind, tmp_path):
    return library.Library(make_backend(backend_kind, tmp_path), parsed_dir=tmp_path / "parsed")


def test_add_get_list_remove(lib):
    data = (FIXTURES / "saved-page.html").read_bytes()
    entry = lib.add(data, "saved-page.html", origin="https://example.org/sleep")
    assert entry.id == library.article_id(data) and len(entry.id) == 16
    assert (entry.format, entry.title, entry.origin) == (
        "html",
        "Sleep Tips For Busy Parents",
        "https://example.org/sleep",
    )
    assert entry.words > 0 and entry.citations == 5 and entry.added
    again = lib.add(data, "renamed.html")
    assert again == entry  # content-addressed: same bytes, same entry
    art = lib.get(entry.id)
    assert art.slug == entry.id and art.title == entry.title
    assert lib.raw(entry.id) == data
    ids = [e.id for e in lib.entries()]
    assert ids[0] == "ketamine-for-depression" and ids[-1] == entry.id
    assert lib.remove(entry.id) is True
    assert not lib.exists(entry.id)
    with pytest.raises(NotFoundError, match="no article with the id"):
        lib.get(entry.id)


def test_each_format_and_pasted_text(lib):
    for path in (FIXTURES / "sleep-and-memory.md", FIXTURES / "wrapped-health-guide.txt"):
        e = lib.add(path.read_bytes(), path.name)
        assert lib.get(e.id).source.format == {".md": "md", ".txt": "txt"}[path.suffix]
    pasted = lib.add(b"# Pasted Title\n\nSome pasted text here. More.\n", "pasted text", fmt=None)
    assert pasted.format == "md" and pasted.title == "Pasted Title"


def test_bundled_article_is_always_there_and_cannot_be_removed(lib):
    assert lib.exists("ketamine-for-depression")
    assert lib.get("ketamine-for-depression").title.startswith("Exploring The Potential")
    with pytest.raises(BadInputError, match="cannot be removed"):
        lib.remove("ketamine-for-depression")
    assert lib.raw("ketamine-for-depression") == SEED.read_bytes()


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"", "empty"), (b"\x00\x01\x02\x03", "binary"), (b"x" * 2000, "limit")],
)
def test_bad_input_is_refused_and_nothing_is_stored(lib, data, message):
    with pytest.raises(ParseError, match=message):
        lib.add(data, "bad.txt", max_bytes=1000)
    assert [e for e in lib.entries() if not e.bundled] == []


def test_survives_a_restart(backend_kind, tmp_path):
    data = (FIXTURES / "sleep-and-memory.md").read_bytes()
    first = library.Library(make_backend(backend_kind, tmp_path), parsed_dir=tmp_path / "parsed")
    entry = first.add(data, "sleep-and-memory.md")
    # a new process: a new backend object on the same file or database
    second = library.Library(
        library.SQLiteStore(tmp_path / "lib.sqlite3")
        if backend_kind == "sqlite"
        else library.PostgresStore(postgres_url()),
        parsed_dir=tmp_path / "parsed",
    )
    assert second.get(entry.id).title == "Sleep and Memory: What We Know"


def test_an_old_parse_is_redone_from_the_kept_bytes(lib):
    data = (FIXTURES / "wrapped-health-guide.txt").read_bytes()
    entry = lib.add(data, "guide.txt")
    stale = json.dumps({"schema_version": 0})
    with lib.backend._connect() as con:
        con.execute(lib.backend._sql("UPDATE articles SET parsed = ? WHERE id = ?"), (stale, entry.id))
    assert lib.get(entry.id).title == "Sleep and Memory: What the Evidence Says"
    assert lib.backend.load(entry.id)[1]["schema_version"] == 1


def test_a_parse_by_an_older_parser_is_redone(lib):
    data = (FIXTURES / "wrapped-health-guide.txt").read_bytes()
    entry = lib.add(data, "guide.txt")
    old = {**lib.backend.load(entry.id)[1], "parser_version": PARSER_VERSION - 1, "title": "stale"}
    with lib.backend._connect() as con:
        con.execute(lib.backend._sql("UPDATE articles SET parsed = ? WHERE id = ?"), (json.dumps(old), entry.id))
    assert lib.get(entry.id).title == "Sleep and Memory: What the Evidence Says"
    assert lib.backend.load(entry.id)[1]["parser_version"] == PARSER_VERSION


def test_unreachable_postgres_gives_a_clear_error():
    pytest.importorskip("psycopg")
    with pytest.raises(library.StoreError, match="cannot reach the article database"):
        library.PostgresStore("postgresql://nobody:x@127.0.0.1:1/none")


def test_a_sqlite_path_that_cannot_be_created_is_a_store_error(tmp_path):
    """The tests run as root, where file modes do not stop writes: a path under a regular file does."""
    (tmp_path / "a-file").write_text("not a folder")
    with pytest.raises(StoreError, match="cannot be opened or created"):
        library.SQLiteStore(tmp_path / "a-file" / "lib.sqlite3")
    with pytest.raises(StoreError, match="cannot be opened or created"):
        library.SQLiteStore(tmp_path)  # a folder where the file should be


def test_an_unwritable_sqlite_path_from_the_settings_is_a_store_error(tmp_path, monkeypatch):
    (tmp_path / "a-file").write_text("not a folder")
    monkeypatch.setenv(settings.SQLITE_PATH, str(tmp_path / "a-file" / "lib.sqlite3"))
    monkeypatch.delenv(settings.DATABASE_URL, raising=False)
    with pytest.raises(StoreError):
        library.open_backend()


def test_a_damaged_sqlite_file_is_a_store_error(tmp_path):
    (tmp_path / "lib.sqlite3").write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="damaged or is not a database"):
        library.SQLiteStore(tmp_path / "lib.sqlite3")


def test_a_locked_sqlite_database_is_a_store_error(tmp_path):
    import sqlite3

    backend = library.SQLiteStore(tmp_path / "lib.sqlite3", timeout=0.1)
    lib = library.Library(backend, parsed_dir=tmp_path / "parsed")
    data = (FIXTURES / "sleep-and-memory.md").read_bytes()
    other = sqlite3.connect(tmp_path / "lib.sqlite3", isolation_level=None)
    try:
        other.execute("BEGIN EXCLUSIVE")  # another process writing, for longer than we wait
        with pytest.raises(StoreError, match="busy"):
            lib.add(data, "sleep-and-memory.md")
        with pytest.raises(StoreError, match="busy"):
            lib.entries()
    finally:
        other.rollback()
        other.close()
    assert lib.add(data, "sleep-and-memory.md").id == library.article_id(data)  # usable again


@pytest.mark.parametrize(
    ("error", "message"),
    [
        ("attempt to write a readonly database", "read-only on this server"),
        ("database is locked", "busy"),
        ("unable to open database file", "cannot be opened or created"),
        ("file is not a database", "damaged"),
        ("disk I/O error", "cannot be used"),
    ],
)
def test_each_sqlite_failure_has_a_plain_message(tmp_path, error, message):
    import sqlite3

    assert message in str(library._sqlite_error(sqlite3.OperationalError(error), tmp_path / "lib.sqlite3"))


def test_store_errors_are_user_errors_with_one_plain_line(tmp_path):
    from dashboard.errors import UserError

    (tmp_path / "a-file").write_text("x")
    with pytest.raises(UserError) as caught:
        library.SQLiteStore(tmp_path / "a-file" / "lib.sqlite3")
    message = str(caught.value)
    assert "\n" not in message and "Traceback" not in message and str(tmp_path) not in message


def test_an_unknown_id_is_not_found(lib):
    with pytest.raises(NotFoundError):
        lib.get("0123456789abcdef")
    assert lib.raw("0123456789abcdef") is None and lib.remove("0123456789abcdef") is False


def test_a_failing_query_is_a_store_error_on_both_backends(lib):
    with lib.backend._connect() as con:
        con.execute("DROP TABLE articles")
    try:
        with pytest.raises(StoreError, match=r"cannot be used|failed"):
            lib.entries()
    finally:
        lib.backend.init()


def test_the_latest_check_is_kept_replaced_and_survives_a_restart(backend_kind, tmp_path):
    lib = library.Library(make_backend(backend_kind, tmp_path), parsed_dir=tmp_path / "parsed")
    entry = lib.add((FIXTURES / "sleep-and-memory.md").read_bytes(), "sleep-and-memory.md")
    assert lib.latest_check(entry.id) is None
    lib.put_check(entry.id, "2026-12-01T10:00:00+00:00", {"checked_at": "2026-12-01T10:00:00+00:00", "n": 1})
    lib.put_check(entry.id, "2026-12-01T11:00:00+00:00", {"checked_at": "2026-12-01T11:00:00+00:00", "n": 2})
    lib.put_check("ketamine-for-depression", "2026-12-01T12:00:00+00:00", {"bundled": True})
    again = library.Library(
        library.SQLiteStore(tmp_path / "lib.sqlite3")
        if backend_kind == "sqlite"
        else library.PostgresStore(postgres_url()),
        parsed_dir=tmp_path / "parsed",
    )
    assert again.latest_check(entry.id) == {"checked_at": "2026-12-01T11:00:00+00:00", "n": 2}
    assert again.latest_check("ketamine-for-depression") == {"bundled": True}
    with pytest.raises(NotFoundError):
        again.put_check("0123456789abcdef", "2026-12-01T12:00:00+00:00", {})
    assert again.remove(entry.id)
    assert again.latest_check(entry.id) is None
