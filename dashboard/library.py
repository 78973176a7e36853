"""The article library: bundled articles plus every article users add, content-addressed.

An added article's id is the first 16 hex digits of its sha256, so the same bytes always get
the same id and a shared link (``?article=<id>``) reopens the same article after a restart or on
another replica. The store keeps the raw bytes beside the parse. Two backends share one SQL
schema: SQLite (one file, the default) and PostgreSQL (for hosts whose disk does not last, or
several replicas).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import settings, store
from .errors import BadInputError, NotFoundError, ParseError, StoreError
from .model import PARSER_VERSION, Article
from .parse import parse_bytes

ID_CHARS = 16
log = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    name TEXT NOT NULL,
    format TEXT NOT NULL,
    title TEXT NOT NULL,
    words INTEGER NOT NULL,
    citations INTEGER NOT NULL,
    size INTEGER NOT NULL,
    origin TEXT,
    added TEXT NOT NULL,
    raw {blob} NOT NULL,
    parsed TEXT NOT NULL
)
"""
_COLUMNS = "id, sha256, name, format, title, words, citations, size, origin, added"
# The latest check of an article's cited pages (dashboard.check), bundled articles included, so a
# shared link shows the same results after a restart. "Check again" replaces the row.
_CHECKS_SCHEMA = """
CREATE TABLE IF NOT EXISTS checks (
    article_id TEXT PRIMARY KEY,
    checked_at TEXT NOT NULL,
    report TEXT NOT NULL
)
"""


@dataclass(frozen=True)
class Entry:
    id: str
    name: str
    format: str
    title: str
    words: int
    citations: int
    size: int
    added: str  # ISO 8601, UTC; "" for bundled articles
    origin: str | None = None  # the URL it was loaded from
    bundled: bool = False


def article_id(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:ID_CHARS]


class SQLStore:
    """The SQL both backends share; subclasses say how to connect and how parameters look."""

    blob_type = "BLOB"
    placeholder = "?"

    @contextmanager
    def _connect(self) -> Iterator[Any]:  # pragma: no cover - overridden
        raise NotImplementedError
        yield

    def _sql(self, sql: str) -> str:
        return sql.replace("?", self.placeholder)

    def init(self) -> None:
        with self._connect() as con:
            con.execute(_SCHEMA.format(blob=self.blob_type))
            con.execute(_CHECKS_SCHEMA)

    def put(self, entry: Entry, raw: bytes, article: Article) -> Entry:
        """Store an article; the same bytes again keep the first entry (and its date)."""
        row = (
            entry.id,
            hashlib.sha256(raw).hexdigest(),
            entry.name,
            entry.format,
            entry.title,
            entry.words,
            entry.citations,
            entry.size,
            entry.origin,
            entry.added,
            raw,
            json.dumps(article.to_dict()),
        )
        with self._connect() as con:
            con.execute(
                self._sql(
                    f"INSERT INTO articles ({_COLUMNS}, raw, parsed) VALUES ({', '.join('?' * 12)}) "
                    "ON CONFLICT (id) DO NOTHING"
                ),
                row,
            )
        found = self.entry(entry.id)
        assert found is not None
        return found

    def entry(self, article_id: str) -> Entry | None:
        with self._connect() as con:
            row = con.execute(self._sql(f"SELECT {_COLUMNS} FROM articles WHERE id = ?"), (article_id,)).fetchone()
        return _entry(row) if row else None

    def entries(self) -> list[Entry]:
        with self._connect() as con:
            rows = con.execute(f"SELECT {_COLUMNS} FROM articles ORDER BY added DESC, id").fetchall()
        return [_entry(r) for r in rows]

    def load(self, article_id: str) -> tuple[bytes, dict[str, Any]] | None:
        with self._connect() as con:
            row = con.execute(self._sql("SELECT raw, parsed FROM articles WHERE id = ?"), (article_id,)).fetchone()
        return (bytes(row[0]), json.loads(row[1])) if row else None

    def update_parse(self, article_id: str, article: Article) -> None:
        with self._connect() as con:
            con.execute(
                self._sql("UPDATE articles SET parsed = ? WHERE id = ?"), (json.dumps(article.to_dict()), article_id)
            )

    def remove(self, article_id: str) -> bool:
        with self._connect() as con:
            cur = con.execute(self._sql("DELETE FROM articles WHERE id = ?"), (article_id,))
            con.execute(self._sql("DELETE FROM checks WHERE article_id = ?"), (article_id,))
            return cur.rowcount > 0

    def put_check(self, article_id: str, checked_at: str, report: dict[str, Any]) -> None:
        """Keep an article's latest check of its cited pages, replacing any earlier one."""
        with self._connect() as con:
            con.execute(
                self._sql(
                    "INSERT INTO checks (article_id, checked_at, report) VALUES (?, ?, ?) ON CONFLICT (article_id) "
                    "DO UPDATE SET checked_at = excluded.checked_at, report = excluded.report"
                ),
                (article_id, checked_at, json.dumps(report)),
            )

    def latest_check(self, article_id: str) -> dict[str, Any] | None:
        """The article's latest check as it was stored, or None if it was never checked."""
        with self._connect() as con:
            row = con.execute(self._sql("SELECT report FROM checks WHERE article_id = ?"), (article_id,)).fetchone()
        return dict(json.loads(row[0])) if row else None


def _entry(row: tuple) -> Entry:
    return Entry(
        id=row[0],
        name=row[2],
        format=row[3],
        title=row[4],
        words=row[5],
        citations=row[6],
        size=row[7],
        origin=row[8],
        added=row[9],
    )


def _sqlite_error(e: Exception, path: Path) -> StoreError:
    """A plain message for what went wrong with the SQLite file; the details go to the server log."""
    log.warning("SQLite library at %s: %s: %s", path, e.__class__.__name__, e)
    text = str(e).lower()
    if "locked" in text or "busy" in text:
        return StoreError("the article library is busy (another process is writing to it); try again in a moment")
    if "readonly" in text or "read-only" in text:
        return StoreError("the article library is read-only on this server, so nothing can be added or removed")
    if isinstance(e, OSError) or "unable to open" in text:
        return StoreError("the article library's file cannot be opened or created on this server")
    if "not a database" in text or "malformed" in text:
        return StoreError("the article library's file is damaged or is not a database")
    return StoreError(f"the article library cannot be used ({e.__class__.__name__})")


class SQLiteStore(SQLStore):
    def __init__(self, path: Path, timeout: float = 10.0):
        self.path = Path(path)
        self.timeout = timeout  # seconds to wait for another writer's lock
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise _sqlite_error(e, self.path) from e
        self.init()

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        # One short connection per call: Streamlit serves each session from its own thread.
        try:
            con = sqlite3.connect(self.path, timeout=self.timeout)
        except (sqlite3.Error, OSError) as e:
            raise _sqlite_error(e, self.path) from e
        try:
            with con:
                yield con
        except (sqlite3.Error, OSError) as e:
            raise _sqlite_error(e, self.path) from e
        finally:
            con.close()


class PostgresStore(SQLStore):
    blob_type = "BYTEA"
    placeholder = "%s"

    def __init__(self, url: str):
        import psycopg

        self._psycopg = psycopg
        self.url = url
        self.init()

    @contextmanager
    def _connect(self) -> Iterator[Any]:
        try:
            con = self._psycopg.connect(self.url, connect_timeout=10)
        except self._psycopg.OperationalError as e:
            raise StoreError(f"cannot reach the article database: {e}") from e
        try:
            with con:  # commits on success, rolls back on error
                yield con
        except self._psycopg.Error as e:
            log.warning("PostgreSQL library: %s: %s", e.__class__.__name__, e)
            raise StoreError(f"the article database failed ({e.__class__.__name__}); try again in a moment") from e
        finally:
            con.close()


Parser = Callable[[bytes, str, "str | None", "str | None"], Article]  # (data, name, format, origin)


class Library:
    """Bundled articles (read-only, from data/raw) and added ones (in the store).

    Added articles are parsed by ``parser``: in this process by default (the CLI, tests), in the
    server's bounded worker pool when the app passes :func:`dashboard.worker.parse`."""

    def __init__(
        self,
        backend: SQLStore,
        raw_dir: Path | None = None,
        parsed_dir: Path | None = None,
        parser: Parser = parse_bytes,
    ):
        self.backend = backend
        self.parser = parser
        self.raw_dir = raw_dir or settings.raw_dir()
        self.parsed_dir = parsed_dir or settings.parsed_dir()

    def bundled(self) -> dict[str, Path]:
        return store.raw_articles(self.raw_dir)

    def entries(self) -> list[Entry]:
        """Bundled articles first (file order), then added ones, newest first."""
        out = []
        for slug, path in self.bundled().items():
            try:
                art = self.get(slug)
            except (ParseError, OSError):
                continue
            out.append(
                Entry(
                    slug,
                    path.name,
                    art.source.format,
                    art.title,
                    art.words,
                    len(art.citations),
                    path.stat().st_size,
                    "",
                    bundled=True,
                )
            )
        return out + self.backend.entries()

    def get(self, article_id: str) -> Article:
        """The parsed article; NotFoundError if there is none with that id."""
        bundled = self.bundled()
        if article_id in bundled:
            return store.load(bundled[article_id], self.parsed_dir, article_id)[0]
        found = self.backend.load(article_id)
        if found is None:
            raise NotFoundError(f"no article with the id {article_id[:100]!r} in this library")
        raw, parsed = found
        try:
            article = Article.from_dict(parsed)
            if article.parser_version == PARSER_VERSION:
                return article
        except (ParseError, KeyError, TypeError):
            pass
        # stored by an older schema or an older parser: parse the kept bytes again
        entry = self.backend.entry(article_id)
        name, fmt, origin = (entry.name, entry.format, entry.origin) if entry else ("article.txt", None, None)
        article = dataclasses.replace(self.parser(raw, name, fmt, origin), slug=article_id)
        self.backend.update_parse(article_id, article)
        return article

    def raw(self, article_id: str) -> bytes | None:
        bundled = self.bundled()
        if article_id in bundled:
            return bundled[article_id].read_bytes()
        found = self.backend.load(article_id)
        return found[0] if found else None

    def add(
        self, data: bytes, name: str, fmt: str | None = None, origin: str | None = None, max_bytes: int | None = None
    ) -> Entry:
        """Parse and store an article; ParseError with a plain message when it cannot be used (or is
        too complex to parse within the worker's limits), BusyError when the parse workers are all
        taken. Nothing is stored on failure."""
        limit = settings.max_upload_bytes() if max_bytes is None else max_bytes
        if len(data) > limit:
            raise ParseError(f"the article is {len(data) / 2**20:.1f} MB; the limit is {limit / 2**20:g} MB")
        aid = article_id(data)
        existing = self.backend.entry(aid)
        if existing:
            return existing
        article = dataclasses.replace(self.parser(data, name, fmt, origin), slug=aid)
        entry = Entry(
            aid,
            name,
            article.source.format,
            article.title,
            article.words,
            len(article.citations),
            len(data),
            datetime.now(UTC).isoformat(timespec="seconds"),
            origin,
        )
        return self.backend.put(entry, data, article)

    def remove(self, article_id: str) -> bool:
        """Remove an added article (False if there was none); BadInputError for a bundled one."""
        if article_id in self.bundled():
            raise BadInputError("the bundled article cannot be removed")
        return self.backend.remove(article_id)

    def put_check(self, article_id: str, checked_at: str, report: dict[str, Any]) -> None:
        """Keep the latest check of an article's cited pages (``report`` as JSON-ready data)."""
        if not self.exists(article_id):
            raise NotFoundError(f"no article with the id {article_id[:100]!r} in this library")
        self.backend.put_check(article_id, checked_at, report)

    def latest_check(self, article_id: str) -> dict[str, Any] | None:
        return self.backend.latest_check(article_id)

    def exists(self, article_id: str) -> bool:
        return article_id in self.bundled() or self.backend.entry(article_id) is not None


def open_backend() -> SQLStore:
    """PostgreSQL when a database URL is set, else SQLite at the configured path."""
    url = settings.database_url()
    if url:
        return PostgresStore(url)
    return SQLiteStore(settings.sqlite_path())
