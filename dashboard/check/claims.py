"""Which sentences of an article are tied to which cited URL: the claims a cited page can be checked against.

A sentence is tied to a URL three ways, one row per (sentence, URL):

- ``link``: an inline link in the sentence's paragraph (a citation of the section whose line lies
  in the paragraph's lines). The link goes to the sentence that holds it: the sentence where the
  URL is written (plain text), where the scholarly identifier it was built from is written (a
  derived DOI/PMID link), or where its anchor text is (Markdown ``[anchor](url)``, reference-style
  ``[anchor][ref]``, raw ``<a href>``; HTML pages are read as Markdown, so theirs too). When the
  sentence cannot be told (an anchor that is not in the text as parsed), the link is tied to every
  sentence of its paragraph.
- ``footnote``: a Markdown footnote call ``[^label]`` goes to its definition's URL(s); the call
  belongs to the sentence whose words come just before it.
- ``marker``: a numbered note call ``[n]`` (as Wikipedia and many CMSs print them) cites the n-th
  entry of the reference list, the same rule the parser uses to call a paragraph cited: the
  entries are the distinct lines of the reference-list citations, in order, and every http(s)
  URL of that entry, derived DOI/PMID URLs included, is a target.

Sentences of a reference-list section are never claims. Only http(s) URLs are targets. The work
is linear in the article's size plus the rows produced, except that a link whose anchor is sought
and not found costs one scan of its paragraph.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from collections import defaultdict, deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import unquote

from .. import citations as cit
from ..model import Article, Block, Citation, Section
from ..words import WORD_RE

HOWS = ("link", "footnote", "marker")
# A numbered note call, as the parser reads one when it calls a paragraph cited (parse/draft.py;
# the parser is entered through its public names only, and a test keeps the two the same).
NOTE_MARKER = re.compile(r"\[(\d{1,4})\]")

# Markdown as the parser reads it (CommonMark, footnotes, raw HTML), only as far as needed to
# find each link's anchor text and each footnote call's place.
_INLINE_LINK = re.compile(
    r"(?<!!)\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]\(\s*<?([^)\s>]+)>?(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)"
)
_REF_LINK = re.compile(r"(?<!!)\[((?:[^\[\]\n]|\[[^\[\]\n]*\])+)\]\[([^\[\]\n]*)\]")
_HTML_LINK = re.compile(r"(?is)<a\s[^>]*?href\s*=\s*[\"']?([^\"'\s>]+)[^>]*>(.{0,500}?)</a\s*>")
_REF_DEFINITION = re.compile(r"^ {0,3}\[([^\]\n^][^\]\n]*)\]:\s*<?(\S+?)>?(?:\s|$)", re.MULTILINE)
_FOOTNOTE_DEFINITION = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:", re.MULTILINE)
_FOOTNOTE_CALL = re.compile(r"\[\^([^\]\s]+)\](?!:)")
_IMAGE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")
_LINK_TARGET = re.compile(r"\]\([^)\n]*\)|<[^>\n]*>")
_WRITTEN_URL = re.compile(r"https?://\S+")
_BEFORE_CALL_WORDS = 4  # words before a footnote call that say which sentence it ends


@dataclass(frozen=True)
class TiedClaim:
    sentence: str  # as the article's section holds it
    section: str  # section id
    section_heading: str
    line: int  # first source line of the sentence's paragraph (Section.sentence_lines)
    url: str  # an http(s) URL the sentence is tied to
    how: str  # "link", "footnote" or "marker"


@dataclass(frozen=True)
class _Paragraph:
    section: Section
    line_start: int
    line_end: int
    source: str  # the paragraph's source text (Markdown for HTML pages)
    sentences: tuple[tuple[int, str], ...]  # (index within the section, sentence)


def tied_claims(article: Article) -> tuple[TiedClaim, ...]:
    """Every sentence tied to a cited http(s) URL, one row per (sentence, URL), in reading order."""
    reference_sections = {b.section for b in article.blocks if b.kind == "references_heading" and b.section}
    by_line: dict[int, list[Citation]] = defaultdict(list)  # citations of the sections' text, by line
    for c in article.citations:
        if c.section is not None and cit.is_safe_link(c.url):
            by_line[c.line].append(c)
    entries = _entries(article.citations)
    footnotes = _footnotes(article)
    references = _reference_definitions(article.blocks)
    rows: list[TiedClaim] = []
    for para in _paragraphs(article, reference_sections):
        found: dict[int, dict[str, str]] = defaultdict(dict)  # sentence index -> url -> how (first wins)
        links = [c for line in range(para.line_start, para.line_end + 1) for c in by_line.get(line, ())]
        for index, url in _link_ties(para, links, references):
            found[index].setdefault(url, "link")
        if footnotes and "[^" in para.source:
            for index, url in _footnote_ties(para, footnotes):
                found[index].setdefault(url, "footnote")
        if entries:
            for index, sentence in para.sentences:
                for m in NOTE_MARKER.finditer(sentence):
                    n = int(m.group(1))
                    for url in entries[n - 1] if 1 <= n <= len(entries) else ():
                        found[index].setdefault(url, "marker")
        s = para.section
        for index, sentence in para.sentences:
            for url, how in found.get(index, {}).items():
                rows.append(TiedClaim(sentence, s.id, s.heading, para.line_start, url, how))
    return tuple(rows)


def _paragraphs(article: Article, skip: set[str]) -> Iterator[_Paragraph]:
    """The paragraphs of every section's text with their sentences; each sentence line starts a block."""
    blocks = {b.line_start: b for b in article.blocks}
    for s in article.sections:
        if s.id in skip or not s.sentence_lines:
            continue
        grouped: dict[int, list[tuple[int, str]]] = defaultdict(list)
        for index, (sentence, line) in enumerate(zip(s.sentences, s.sentence_lines, strict=False)):
            grouped[line].append((index, sentence))
        for line, sentences in grouped.items():
            block = blocks.get(line)
            end, source = (block.line_end, block.text) if block is not None else (line, "")
            yield _Paragraph(s, line, end, source, tuple(sentences))


def _entries(citations: Sequence[Citation]) -> list[list[str]]:
    """The reference list's entries in order (the distinct lines of its citations), each with its http(s) URLs."""
    urls: dict[int, list[str]] = {}
    for c in citations:
        if c.section is None:
            entry = urls.setdefault(c.line, [])
            if c.url and cit.is_safe_link(c.url) and c.url not in entry:
                entry.append(c.url)
    return [urls[line] for line in sorted(urls)]


def _footnotes(article: Article) -> dict[str, list[str]]:
    """Footnote label -> the http(s) URLs cited in its definition (the lines of the block it opens)."""
    by_line: dict[int, list[str]] = defaultdict(list)
    for c in article.citations:
        if c.url and cit.is_safe_link(c.url):
            by_line[c.line].append(c.url)
    out: dict[str, list[str]] = {}
    for b in article.blocks:
        if "[^" not in b.text:
            continue
        found = list(_FOOTNOTE_DEFINITION.finditer(b.text))
        line, at = b.line_start, 0
        starts = []
        for m in found:  # the line each definition opens, counted on from the last one
            line += b.text.count("\n", at, m.start())
            at = m.start()
            starts.append(line)
        for k, m in enumerate(found):  # a definition runs to the next one, or to the block's end
            last = starts[k + 1] - 1 if k + 1 < len(found) else b.line_end
            urls = [u for n in range(starts[k], last + 1) for u in by_line.get(n, ())]
            out.setdefault(m.group(1), list(dict.fromkeys(urls)))
    return out


def _reference_definitions(blocks: Sequence[Block]) -> dict[str, str]:
    """Markdown link reference definitions ``[label]: url``, by folded label."""
    out: dict[str, str] = {}
    for b in blocks:
        if "]:" in b.text:
            for m in _REF_DEFINITION.finditer(b.text):
                out.setdefault(_fold(m.group(1)), m.group(2))
    return out


def _link_ties(para: _Paragraph, links: list[Citation], references: dict[str, str]) -> Iterator[tuple[int, str]]:
    """(sentence index, url) for each link of the paragraph: its own sentence, else every sentence."""
    if not links:
        return
    written = _written(para.sentences, any(c.derived for c in links))
    anchors = _Anchors(para.source, references)
    located = _Locator(para.sentences)
    for c in links:
        url = c.url
        assert url is not None  # only http(s) citations reach here
        index = written.get(url)
        if index is None and c.derived:
            index = written.get(f"id:{cit.work_key(url)}")
        if index is None:
            text = anchors.take(url)
            if text is not None:
                index = located.find(_LINK_TARGET.sub(" ", _IMAGE.sub(" ", text)))
        if index is not None:
            yield index, url
        else:
            yield from ((i, url) for i, _ in para.sentences)


def _written(sentences: Sequence[tuple[int, str]], identifiers: bool) -> dict[str, int]:
    """URLs written in the sentences (and, with ``identifiers``, "id:<work key>" of the scholarly
    identifiers written there) -> the first sentence that writes it."""
    out: dict[str, int] = {}
    for index, sentence in sentences:
        if "://" in sentence:
            for m in _WRITTEN_URL.finditer(sentence):
                out.setdefault(m.group(0).rstrip(".,;:!?)]}>'\"”’"), index)
        if identifiers:
            for _, url in cit.find_identifiers(sentence):
                out.setdefault(f"id:{cit.work_key(url)}", index)
    return out


class _Anchors:
    """The paragraph's links (inline, reference-style, raw HTML) in source order, taken one at a
    time by target: the k-th link to a URL gets the k-th anchor that points there."""

    def __init__(self, source: str, references: dict[str, str]) -> None:
        found: list[tuple[int, str, str]] = []
        for m in _INLINE_LINK.finditer(source):
            found.append((m.start(), m.group(2), m.group(1)))
        if "][" in source:
            for m in _REF_LINK.finditer(source):
                target = references.get(_fold(m.group(2) or m.group(1)))
                if target:
                    found.append((m.start(), target, m.group(1)))
        if "<a" in source.lower():
            for m in _HTML_LINK.finditer(source):
                found.append((m.start(), html.unescape(m.group(1)), re.sub(r"<[^>]*>", "", m.group(2))))
        found.sort(key=lambda f: f[0])
        self._texts = [text for _, _, text in found]
        self._by_target: dict[str, deque[int]] = {}
        for k, (_, target, _) in enumerate(found):
            target = target.strip()
            for key in dict.fromkeys((target, cit.normalize_doi(target), unquote(target))):
                self._by_target.setdefault(key, deque()).append(k)
        self._used: set[int] = set()

    def take(self, url: str) -> str | None:
        """The anchor text of the first link to ``url`` not taken yet, or None."""
        best: int | None = None
        for key in dict.fromkeys((url, unquote(url))):
            queue = self._by_target.get(key)
            while queue and queue[0] in self._used:  # each index leaves a queue once: linear overall
                queue.popleft()
            if queue and (best is None or queue[0] < best):
                best = queue[0]
        if best is None:
            return None
        self._used.add(best)
        return self._texts[best]


def _footnote_ties(para: _Paragraph, footnotes: dict[str, list[str]]) -> Iterator[tuple[int, str]]:
    """(sentence index, url) for each footnote call: the sentence whose words come just before it."""
    located = _Locator(para.sentences)
    tail: list[str] = []  # the last words before the current call, read segment by segment
    done = 0
    for m in _FOOTNOTE_CALL.finditer(para.source):
        segment = _LINK_TARGET.sub(" ", _IMAGE.sub(" ", para.source[done : m.start()]))
        tail = (tail + WORD_RE.findall(segment))[-_BEFORE_CALL_WORDS:]
        done = m.end()
        urls = footnotes.get(m.group(1))
        if not urls:
            continue
        index = para.sentences[0][0] if not tail else None
        words = tail
        while words and index is None:  # the last words may straddle two sentences: fewer, then
            index = located.find(" ".join(words))
            words = words[1:]
        targets = [index] if index is not None else [i for i, _ in para.sentences]
        yield from ((i, url) for i in targets for url in urls)


class _Locator:
    """Finds text in a paragraph's sentences, each search going on from where the last one ended."""

    def __init__(self, sentences: Sequence[tuple[int, str]]) -> None:
        parts: list[str] = []
        self._starts: list[int] = []
        self._indexes = [i for i, _ in sentences]
        at = 0
        for _, sentence in sentences:
            self._starts.append(at)
            text = f" {_words(sentence)} "  # a needle starts at a word ("CDC" not in "ACDC"; "RCT" in "RCTs")
            parts.append(text)
            at += len(text) + 1
        self._text = "\n".join(parts)  # a newline: no needle spans two sentences
        self._cursor = 0

    def find(self, text: str) -> int | None:
        """The index of the sentence holding ``text``'s words in a row (case and punctuation ignored)."""
        needle = _words(text)
        if not needle:
            return None
        needle = f" {needle}"
        at = self._text.find(needle, self._cursor)
        if at < 0:
            at = self._text.find(needle)
        if at < 0:
            return None
        self._cursor = at + len(needle)
        return self._indexes[bisect_right(self._starts, at) - 1]


def _words(text: str) -> str:
    return " ".join(WORD_RE.findall(html.unescape(text).replace("’", "'").lower()))


def _fold(text: str) -> str:
    return " ".join(html.unescape(text).replace("’", "'").lower().split())
