"""Bytes to an :class:`~dashboard.model.Article`: decode, pick the format's front end, assemble.

The one entry point for every format. Each front end (``text``, ``markdown``, ``html``) has the
same shape, ``draft(text, name, origin) -> Draft``; :func:`~dashboard.parse.draft.assemble`
finishes the job the same way for all three. Nothing inside this package imports this module.

>>> article = parse_bytes(b"My Title\\n\\nSome text. More text.\\n", "notes.txt")
>>> article.title, [s.heading for s in article.sections], article.words
('My Title', ['Introduction'], 4)
>>> article.rebuild_bytes() == b"My Title\\n\\nSome text. More text.\\n"
True
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from ..errors import ParseError
from ..model import Article, Source
from . import html, markdown, text
from .decoding import MAX_BYTES, decode
from .draft import Draft, assemble, slugify, title_from_name

__all__ = ["FORMATS", "FORMAT_NAMES", "MAX_BYTES", "decode", "detect_format", "parse_bytes", "parse_file", "slugify"]

FORMATS = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}
FORMAT_NAMES = {"txt": "plain text", "md": "Markdown", "html": "HTML"}
_FRONT_ENDS = {"txt": text.draft, "md": markdown.draft, "html": html.draft}
_HTML_SNIFF = re.compile(rb"(?i)<!doctype html|<html[\s>]|<body[\s>]|<article[\s>]|<p[\s>]")
_MD_SNIFF = re.compile(r"(?m)^#{1,6} \S|^\S.*\n(?:=+|-+)[ \t]*$|\[[^\]\n]+\]\([^)\s]+\)|^---\s*$")


def detect_format(name: str, data: bytes) -> str:
    """txt, md or html: from the file name's extension, else from the content."""
    suffix = Path(name).suffix.lower()
    if suffix in FORMATS:
        return FORMATS[suffix]
    head = data[:4096]
    if _HTML_SNIFF.search(head):
        return "html"
    if _MD_SNIFF.search(head.decode("utf-8", "replace")):
        return "md"
    return "txt"


def parse_bytes(data: bytes, path: str, fmt: str | None = None, origin: str | None = None) -> Article:
    """Decode and parse raw bytes; ``path`` names the source, ``fmt`` overrides the detected format,
    ``origin`` is the URL a page was loaded from (it tells internal links from outbound ones)."""
    fmt = fmt or detect_format(path, data)
    if fmt not in FORMAT_NAMES:
        raise ParseError(f"unknown format {fmt!r}; use one of {', '.join(FORMAT_NAMES)}")
    decoded, encoding, warnings = decode(data)
    if not decoded.strip():
        raise ParseError("the article is empty (no text, only white space)")
    found: Draft = _FRONT_ENDS[fmt](decoded, path, origin)
    found.warnings[:0] = warnings
    if found.title is None:
        found.title = title_from_name(path)
        found.warnings.insert(len(warnings), "no title found in the text; the title is taken from the file name")
    sha = hashlib.sha256(data).hexdigest()
    if found.text_of == "extracted":
        source = Source(path, sha, fmt, "utf-8", len(data), text_of="extracted")
    else:
        source = Source(path, sha, fmt, encoding, len(data))
    article = assemble(found, source)
    rebuilt_ok = (
        article.rebuild_text() == found.text if found.text_of == "extracted" else article.rebuild_bytes() == data
    )
    if not rebuilt_ok:  # pragma: no cover - guarded by tests; never ship a lossy parse
        raise ParseError("internal error: the parse does not rebuild the source exactly")
    return article


def parse_file(path: Path, display_path: str | None = None) -> Article:
    """Read and parse one article file; ``display_path`` is the name recorded in the parse."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise ParseError(f"cannot read {path}: {e.strerror or e}") from e
    suffix = path.suffix.lower()
    if suffix and suffix not in FORMATS:
        raise ParseError(f"{path.name}: not a supported article file; use {', '.join(sorted(FORMATS))}")
    return parse_bytes(data, display_path or path.name)
