"""The bundled articles on disk: sources in the raw folder, parses in the parsed folder
(``<slug>.json`` plus CSV tables beside it). Both folders come from the settings
(``ARTICLE_LENS_RAW_DIR``, ``ARTICLE_LENS_PARSED_DIR``); added articles live in :mod:`.library`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import settings
from .model import PARSER_VERSION, Article
from .parse import parse_file, slugify

if TYPE_CHECKING:
    import pandas as pd

ROOT = settings.ROOT
# The folders' environment variables, under the names callers used before the settings registry.
RAW_DIR_ENV, PARSED_DIR_ENV = settings.RAW_DIR, settings.PARSED_DIR
DEFAULT_ARTICLE = "ketamine-for-depression"
ARTICLE_SUFFIXES = (".txt", ".text", ".md", ".markdown", ".html", ".htm")


@dataclass(frozen=True)
class Written:
    json: Path
    csvs: tuple[Path, ...]


def display_path(path: Path) -> str:
    """The source path as stored in the JSON: relative to the repository when inside it."""
    resolved = path.resolve()
    try:
        return resolved.relative_to(ROOT).as_posix()
    except ValueError:
        return path.name


def to_json(article: Article) -> str:
    return json.dumps(article.to_dict(), ensure_ascii=False, indent=1) + "\n"


TablesOf = Callable[[Article], "dict[str, pd.DataFrame]"]


def article_tables(article: Article) -> dict[str, pd.DataFrame]:
    """The sections, sentences and citations tables written beside the JSON. The table code
    (pandas) is imported here, when tables are written, not by everything that imports the store."""
    from . import tables

    return {
        "sections": tables.sections_table(article),
        "sentences": tables.sentences_table(article),
        "citations": tables.citations_table(article),
    }


def write(article: Article, out_dir: Path, tables_of: TablesOf = article_tables) -> Written:
    """Write the JSON and the CSV tables ``tables_of`` makes (by default the sections, sentences
    and citations tables); return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    json_path = out_dir / f"{article.slug}.json"
    json_path.write_text(to_json(article), encoding="utf-8")
    csvs = []
    for name, df in tables_of(article).items():
        p = out_dir / f"{article.slug}.{name}.csv"
        df.to_csv(p, index=False, lineterminator="\n")
        csvs.append(p)
    return Written(json_path, tuple(csvs))


def parse_and_write(source: Path, out_dir: Path | None = None) -> Written:
    """Parse ``source`` and write it to ``out_dir`` (default: the parsed folder of the settings)."""
    return write(parse_file(source, display_path(source)), out_dir or settings.parsed_dir())


def raw_dir() -> Path:
    """The bundled articles' folder (``ARTICLE_LENS_RAW_DIR``)."""
    return settings.raw_dir()


def parsed_dir() -> Path:
    """Their parses' folder (``ARTICLE_LENS_PARSED_DIR``)."""
    return settings.parsed_dir()


def raw_articles(raw_dir: Path | None = None) -> dict[str, Path]:
    """Slug -> source file for every article in the folder (default: the settings' raw folder);
    a clashing slug gets -2, -3, …"""
    raw_dir = raw_dir or settings.raw_dir()
    found: dict[str, Path] = {}
    for p in sorted(raw_dir.iterdir()) if raw_dir.is_dir() else []:
        if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES:
            slug = base = slugify(p.stem, max_len=80)
            k = 2
            while slug in found:
                slug, k = f"{base}-{k}", k + 1
            found[slug] = p
    return found


def load(source: Path, parsed_dir: Path | None = None, slug: str | None = None) -> tuple[Article, bool]:
    """The parsed article for ``source``: from its JSON in ``parsed_dir`` (default: the settings'
    parsed folder) when that matches the source's sha256, else parsed afresh (and written back
    when the folder is writable). Returns (article, reparsed).
    """
    parsed_dir = parsed_dir or settings.parsed_dir()
    data = source.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    slug = slug or slugify(source.stem, max_len=80)
    json_path = parsed_dir / f"{slug}.json"
    try:
        article = Article.from_dict(json.loads(json_path.read_text(encoding="utf-8")))
        if article.source.sha256 == sha and article.parser_version == PARSER_VERSION:
            return article, False
    except (OSError, ValueError, KeyError, TypeError):
        pass  # missing, stale or damaged: parse again below
    article = dataclasses.replace(parse_file(source, display_path(source)), slug=slug)
    with contextlib.suppress(OSError):  # a read-only deployment still works; it parses on each cold start
        write(article, parsed_dir)
    return article, True
