"""The parsed article: frozen dataclasses and their JSON form."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from .errors import ParseError as ParseError  # re-exported: the app, the CLI and the tests import it from here

SCHEMA_VERSION = 1
# Raised whenever the parser gives a different Article for the same bytes, so that parses kept in
# the library or in data/parsed are made again from their kept bytes when next opened.
PARSER_VERSION = 2


@dataclass(frozen=True)
class Source:
    path: str
    sha256: str
    format: str  # "txt", "md" or "html"
    encoding: str  # codec that rebuilds the exact bytes, e.g. "utf-8" or "utf-8-sig"
    bytes: int
    # What the blocks tile: "source" (txt, md: the file itself) or "extracted" (html: the main text)
    text_of: str = "source"


@dataclass(frozen=True)
class Block:
    """A run of source lines with one role; the blocks tile the source exactly."""

    # page_title | title | title_repeat | heading | paragraph | blank | references_heading | reference | boilerplate
    kind: str
    line_start: int  # 1-based, inclusive
    line_end: int
    text: str  # the exact source text, line terminators included
    section: str | None = None


@dataclass(frozen=True)
class Section:
    id: str
    heading: str
    inferred: bool  # True when the heading is not in the text
    level: int | None
    line_start: int
    line_end: int
    words: int
    sentences: tuple[str, ...]
    # First source line of the paragraph each sentence comes from (same order as sentences)
    sentence_lines: tuple[int, ...] = ()
    # First lines of the paragraphs that carry a link or a footnote reference
    cited_lines: tuple[int, ...] = ()


@dataclass(frozen=True)
class Citation:
    url: str | None  # None for a reference entry without a URL
    text: str  # the entry as written
    scheme: str | None
    host: str | None
    domain: str | None  # registered domain under the ICANN public suffix list
    provider: str | None  # shared platform a tenant host sits on
    kind: str
    line: int
    section: str | None  # None when it sits in the reference list
    kind_reason: str = ""  # why it has that kind, in plain words
    derived: bool = False  # a URL built from an identifier written in the text (DOI, PMID, PMCID, arXiv)


@dataclass(frozen=True)
class Boilerplate:
    text: str
    line_start: int
    line_end: int


@dataclass(frozen=True)
class Article:
    slug: str
    source: Source
    title: str
    page_title: str | None
    sections: tuple[Section, ...]
    citations: tuple[Citation, ...]
    boilerplate: tuple[Boilerplate, ...]
    warnings: tuple[str, ...]
    blocks: tuple[Block, ...]
    schema_version: int = field(default=SCHEMA_VERSION)
    parser_version: int = field(default=PARSER_VERSION)

    def rebuild_text(self) -> str:
        """The source text, rebuilt from the blocks alone."""
        return "".join(b.text for b in self.blocks)

    def rebuild_bytes(self) -> bytes:
        return self.rebuild_text().encode(self.source.encoding)

    @property
    def words(self) -> int:
        return sum(s.words for s in self.sections)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        ordered = {"schema_version": d.pop("schema_version"), "parser_version": d.pop("parser_version")}
        ordered.update(d)
        for s in ordered["sections"]:
            for key in ("sentences", "sentence_lines", "cited_lines"):
                s[key] = list(s[key])
        return ordered

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Article:
        if d.get("schema_version") != SCHEMA_VERSION:
            raise ParseError(f"unsupported schema_version {d.get('schema_version')!r}")
        return cls(
            schema_version=d["schema_version"],
            parser_version=d.get("parser_version", 1),
            slug=d["slug"],
            source=Source(**d["source"]),
            title=d["title"],
            page_title=d["page_title"],
            sections=tuple(
                Section(**{**s, **{k: tuple(s.get(k, ())) for k in ("sentences", "sentence_lines", "cited_lines")}})
                for s in d["sections"]
            ),
            citations=tuple(Citation(**c) for c in d["citations"]),
            boilerplate=tuple(Boilerplate(**b) for b in d["boilerplate"]),
            warnings=tuple(d["warnings"]),
            blocks=tuple(Block(**b) for b in d["blocks"]),
        )
