"""What every format's front end produces, and the one step that turns it into an Article.

A front end (``text``, ``markdown``, ``html``) reads its format and fills a :class:`Draft`:
the lines the blocks tile, a role for each line, the title, the sections as runs of
:class:`Unit` s, and the links it found. :func:`assemble` does the rest the same way for
every format: section ids, spans, word counts, sentences, described citations and blocks.

Reference lists, the same in every format: a heading that names one (:func:`is_references_heading`)
and is written as a heading (Markdown or HTML heading, a plain-text heading by markup or layout)
heads a section like any other, with its level. The entries of the list under it are that
section's ``entries``: their lines are in its span and their words in its word count, but they
are never its sentences (so no claim is looked for in a reference), and their links stay
reference-list citations (``Link.in_list``: the list belongs to the whole article). Entries that
no such heading heads (after a label such as "Sources:", footnotes, a list marked up without a
heading) belong to no section.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from syntok import segmenter

from .. import citations as cit
from ..model import Article, Block, Boilerplate, Citation, Section, Source
from ..words import words

# Names of a reference list, in every format; the first five name one for sure, the others
# ("Notes", "Further reading", "Resources", "Footnotes") may head remarks or a reading list.
_UNAMBIGUOUS_NAMES = r"citations?|sources?|references?|bibliography|works cited"
_REFERENCES = re.compile(
    rf"^\W{{0,3}}(?:{_UNAMBIGUOUS_NAMES}|further reading|footnotes|notes|resources)\s*:?\s*$", re.IGNORECASE
)
_UNAMBIGUOUS = re.compile(rf"^\W{{0,3}}(?:{_UNAMBIGUOUS_NAMES})\s*:?\s*$", re.IGNORECASE)
# Section numbering ("4 ", "2.1 ", "IV. ", "A. ") and the marks a page prints after a heading
# (a wiki's "[edit]", a permalink's "¶", "#", "§").
_NUMBERING = re.compile(r"^(?:\d+(?:\.\d+)*\.?|[IVXLC]+\.|[A-Z]\.)\s+")
_HEADING_MARKS = re.compile(r"\s*(?:\[\s*edit(?:\s+source)?\s*\]|[¶§#🔗])\s*$", re.IGNORECASE)
_NOTE_MARKER = re.compile(r"\[(\d{1,4})\]")
_IMAGE_FILE = re.compile(r"(?i)\.(?:jpe?g|png|gif|webp|svg|bmp|tiff?|ico|avif|heic|heif)$")
# Share buttons: the share-intent endpoints of the big networks (a link there posts the page).
_SHARE_URL = re.compile(
    r"(?i)^https?://(?:[a-z0-9-]+\.)*(?:"
    r"facebook\.com/(?:sharer|share\.php|dialog/(?:share|feed))|(?:twitter|x)\.com/(?:intent/|share\b|home\?status)"
    r"|pinterest\.[a-z.]+/pin/create|linkedin\.com/(?:sharearticle|sharing/|cws/share)|reddit\.com/submit"
    r"|tumblr\.com/(?:share|widgets/share)|whatsapp\.com/send|wa\.me/\?|t(?:elegram)?\.me/share"
    r"|vk\.com/share|news\.ycombinator\.com/submitlink|getpocket\.com/(?:save|edit)|plus\.google\.com/share"
    r"|buffer\.com/add|flipboard\.com/bookmarklet|digg\.com/submit|addtoany\.com/share|xing\.com/spi/shares"
    r"|threads\.net/intent|bsky\.app/intent|mastodon\.social/share|service\.weibo\.com/share)"
    r"|^\S*/(?:intent/(?:tweet|post)|sharer\.php|shareArticle)(?:[/?#]|$)"
)
_AFTER_NOTE_MARKERS = re.compile(r"[.!?][\"”’)]?(?:\[\d{1,4}\])+(\s+)(?=[\"“‘(]?[A-Z])")
_CONCLUSION = re.compile(
    r"^(?:in conclusion|to conclude|in summary|to summari[sz]e|to sum up|in sum|all in all|in closing|overall,)\b",
    re.IGNORECASE,
)
_CONCLUDING_HEADING = re.compile(
    r"(?i)\b(?:conclusions?|summary|final thoughts|wrap(?:ping)?[- ]up|bottom line|takeaways?|in closing)\b"
)


def is_references_heading(text: str, *, unambiguous: bool = False) -> bool:
    """Does a heading (or a label) name a reference list? 'References', 'Notes:', '4 References',
    'IV. Sources', '2.1 Notes', 'References[edit]', 'References ¶'. With ``unambiguous``, only the
    names that cannot mean anything else: References, Sources, Bibliography, Works cited, Citations."""
    if len(text) > 80:  # no name of a list is longer: a long line costs nothing
        return False
    core = _NUMBERING.sub("", _HEADING_MARKS.sub("", text.strip()))
    return bool((_UNAMBIGUOUS if unambiguous else _REFERENCES).match(core))


@dataclass
class Unit:
    """A paragraph (one or more wrapped lines) or a single line, by 0-based line index."""

    start: int
    end: int  # inclusive
    text: str  # the lines' content joined with single spaces
    cited: bool = False  # carries a link or a footnote reference


@dataclass
class RawSection:
    heading: str
    inferred: bool
    head: Unit | None
    units: list[Unit]  # its text: paragraphs, list items, ...
    level: int | None = None
    entries: list[Unit] = field(default_factory=list)  # reference-list entries under its heading: words, not text


@dataclass
class Link:
    """A URL (or a reference entry without one) found while parsing, by 0-based line."""

    line: int
    url: str | None
    text: str  # the entry or line as written, in plain text
    in_list: bool  # part of the reference list or footnotes, not of a section's text
    derived: bool = False  # built from an identifier written in the text, not written as a URL


@dataclass
class Draft:
    """What a format's front end finds; :func:`assemble` turns it into an Article."""

    lines: list[str]  # source lines with terminators (for HTML: lines of the extracted text)
    kinds: list[str]  # one block kind per line
    title: str | None  # None when the text states none: the caller falls back on the file name
    page_title: str | None
    sections: list[RawSection]
    links: list[Link]
    warnings: list[str]
    group: list[int]  # lines with the same kind, section and group number form one block
    text_of: str = "source"  # what the lines are: the source itself, or text "extracted" from it

    @property
    def text(self) -> str:
        """The text the blocks tile."""
        return "".join(self.lines)


def slugify(text: str, max_len: int = 48) -> str:
    """Lower-case words of any script joined by '-', cut at a word boundary: 'Café Résumé' -> 'café-résumé'."""
    found = re.findall(r"[^\W_]+", unicodedata.normalize("NFKC", text).casefold())
    slug = ""
    for w in found:
        candidate = f"{slug}-{w}" if slug else w
        if len(candidate) > max_len and slug:
            break
        slug = candidate[:max_len]
    return slug or "article"


def fold(text: str | None) -> str:
    """Text as a reader compares it: NFKC, case and spacing ignored ('Why  we Sleep' == 'why we sleep')."""
    return " ".join(unicodedata.normalize("NFKC", text or "").casefold().split())


def split_lines(text: str) -> list[str]:
    """Lines with their terminators; only \\n ends a line (a \\r stays with its line)."""
    parts = text.split("\n")
    lines = [p + "\n" for p in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def sentences(paragraph: str) -> list[str]:
    """The sentences of a paragraph (syntok), each cut from it exactly as written."""
    out = []
    for para in segmenter.process(paragraph):
        for sent in para:
            if sent:
                first, last = sent[0], sent[-1]
                s = paragraph[first.offset : last.offset + len(last.value)].strip()
                if s:
                    out.extend(_split_after_note_markers(s))
    return out


def _split_after_note_markers(sentence: str) -> list[str]:
    """syntok keeps "It helps.[2] Another one." as one sentence; split it after the note calls."""
    parts, start = [], 0
    for m in _AFTER_NOTE_MARKERS.finditer(sentence):
        parts.append(sentence[start : m.start(1)])
        start = m.end(1)
    parts.append(sentence[start:])
    return parts


def is_image_file(url: str) -> bool:
    """A link to an image file ('…/chart.png?w=600'): an illustration, not a citation."""
    return bool(_IMAGE_FILE.search(url.split("#", 1)[0].split("?", 1)[0]))


def is_share_link(url: str) -> bool:
    """A share button written as a link (a social network's share-intent URL): not a citation."""
    return bool(_SHARE_URL.search(url))


def title_from_name(name: str) -> str:
    """A title made from a file name: 'my-first_post.md' -> 'My first post'."""
    return Path(name).stem.replace("-", " ").replace("_", " ").strip().capitalize() or "Untitled"


def group_sections(
    units: list[Unit], headings: dict[int, int | None], warnings: list[str], entries: Collection[int] = ()
) -> list[RawSection]:
    """Split the body at headings (unit index -> level); infer an Introduction and a Conclusion.

    Units whose index is in ``entries`` are the entries of a reference list under a heading that
    names it: they join their section as its ``entries``, never as its text. The Conclusion starts
    at the first paragraph after the last heading that opens with a concluding phrase, unless the
    section's own heading already concludes.
    """
    last_heading = max(headings, default=-1)
    raw_sections: list[RawSection] = []
    concluded = False
    for k, unit in enumerate(units):
        if k in headings:
            raw_sections.append(RawSection(unit.text, False, unit, [], headings[k]))
            continue
        if not raw_sections:
            raw_sections.append(RawSection("Introduction", True, None, []))
            warnings.append("the text before the first heading has no heading; it is called 'Introduction'")
        current = raw_sections[-1]
        if k in entries:
            current.entries.append(unit)
            continue
        if (
            k > last_heading
            and current.units
            and not concluded
            and not _CONCLUDING_HEADING.search(current.heading)
            and _CONCLUSION.match(unit.text)
        ):
            raw_sections.append(RawSection("Conclusion", True, None, []))
            concluded = True
            warnings.append(
                f"line {unit.start + 1} opens with a concluding phrase; a 'Conclusion' section starts there"
            )
        raw_sections[-1].units.append(unit)
    return raw_sections


def assemble(d: Draft, source: Source) -> Article:
    """Section ids, line spans, counts, sentences, described citations and blocks."""
    if d.title is None:
        raise ValueError("assemble needs a title: apply the file-name fallback first")
    n = len(d.lines)
    section_of: list[str | None] = [None] * n
    sections: list[Section] = []
    used_ids: set[str] = set()
    # Lines that carry a link of a section's text, so a paragraph knows it is cited in one pass.
    linked_lines = {link.line for link in d.links if not link.in_list and link.url}
    # A numbered marker ("[12]", as Wikipedia, html2text and many CMSs print note calls) cites the
    # reference list's entry of that number: a paragraph carrying one is tied to a source.
    entries = len({link.line for link in d.links if link.in_list})

    def cites_an_entry(text: str) -> bool:
        return bool(entries) and any(1 <= int(m) <= entries for m in _NOTE_MARKER.findall(text))

    for raw in d.sections:
        sid = slugify(raw.heading)
        base, k = sid, 2
        while sid in used_ids:
            sid, k = f"{base}-{k}", k + 1
        used_ids.add(sid)
        parts = ([raw.head] if raw.head else []) + raw.units + raw.entries
        if not parts:
            continue
        start, end = min(u.start for u in parts), max(u.end for u in parts)
        for i in range(start, end + 1):  # blank lines and rules inside a section belong to it too
            section_of[i] = sid
        found_sentences: list[str] = []
        sentence_lines: list[int] = []
        for u in raw.units:
            found = sentences(u.text)
            found_sentences += found
            sentence_lines += [u.start + 1] * len(found)
        sections.append(
            Section(
                id=sid,
                heading=raw.heading,
                inferred=raw.inferred,
                level=raw.level,
                line_start=start + 1,
                line_end=end + 1,
                words=sum(len(words(u.text)) for u in raw.units + raw.entries),
                sentences=tuple(found_sentences),
                sentence_lines=tuple(sentence_lines),
                cited_lines=tuple(
                    u.start + 1
                    for u in raw.units
                    if u.cited or any(i in linked_lines for i in range(u.start, u.end + 1)) or cites_an_entry(u.text)
                ),
            )
        )

    links = with_identifiers(d.links, d.sections, d.lines)
    cites = []
    for link in links:
        url = cit.normalize_doi(link.url) if link.url else None
        info = cit.describe(url)
        section = None if link.in_list else section_of[link.line]
        cites.append(
            Citation(
                url,
                link.text,
                info.scheme,
                info.host,
                info.domain,
                info.provider,
                info.kind,
                link.line + 1,
                section,
                kind_reason=info.reason,
                derived=link.derived,
            )
        )
    unlinked = sum(1 for link in links if link.in_list and link.url is None)
    warnings = list(d.warnings)
    if unlinked:
        warnings.append(f"the reference list has {unlinked} entr{'y' if unlinked == 1 else 'ies'} without a URL")

    blocks = _blocks(d.lines, d.kinds, section_of, d.group)
    boilerplate = tuple(
        Boilerplate(b.text.strip(), b.line_start, b.line_end) for b in blocks if b.kind == "boilerplate"
    )
    return Article(
        slug=slugify(Path(source.path).stem, max_len=80),
        source=source,
        title=d.title,
        page_title=d.page_title,
        sections=tuple(sections),
        citations=tuple(cites),
        boilerplate=boilerplate,
        warnings=tuple(warnings),
        blocks=blocks,
    )


def with_identifiers(links: list[Link], raw_sections: list[RawSection], lines: list[str]) -> list[Link]:
    """The links plus a derived link for each scholarly identifier (DOI, PMID, PMCID, arXiv id)
    written in a reference entry or a paragraph, unless the article already links to that work.

    An entry whose only "link" was a missing URL gets the derived ones instead. In source order.
    """
    seen = {key for link in links if link.url and (key := cit.work_key(link.url))}

    def derive(text: str, first: int, last: int, in_list: bool) -> list[Link]:
        found: list[Link] = []
        i, pos = first, 0  # one cursor over the lines: each identifier is sought after the last one
        for written, url in cit.find_identifiers(text):
            key = cit.work_key(url)
            if key is None or key in seen:
                continue
            seen.add(key)
            while i < last and lines[i].find(written, pos) < 0:
                i, pos = i + 1, 0
            if i <= last and (at := lines[i].find(written, pos)) >= 0:
                pos = at + len(written)
            found.append(Link(min(i, last), url, text, in_list, derived=True))
        return found

    out: list[Link] = []
    k = 0
    while k < len(links):  # reference entries: the links of one entry share its line and text
        link = links[k]
        if not link.in_list:
            out.append(link)
            k += 1
            continue
        entry = [link]
        while k + len(entry) < len(links) and _same_entry(links[k + len(entry)], link):
            entry.append(links[k + len(entry)])
        k += len(entry)
        derived = derive(link.text, link.line, link.line, True)
        written = [e for e in entry if e.url]
        out.extend(written if written or not derived else [])
        out.extend(e for e in entry if not e.url and not derived)
        out.extend(derived)
    for raw in raw_sections:
        for unit in raw.units:
            out.extend(derive(unit.text, unit.start, unit.end, False))
    out.sort(key=lambda link: link.line)  # stable: order within a line is kept
    return out


def _same_entry(a: Link, b: Link) -> bool:
    return a.in_list and b.in_list and a.line == b.line and a.text == b.text


def _blocks(lines: list[str], kinds: list[str], section_of: list[str | None], group: list[int]) -> tuple[Block, ...]:
    """Runs of lines sharing a role: a wrapped paragraph, a run of blank lines, else one line."""
    blocks: list[Block] = []
    start = 0
    for i in range(1, len(lines) + 1):
        same_role = i < len(lines) and kinds[i] == kinds[start] and section_of[i] == section_of[start]
        if same_role and (kinds[i] == "blank" or group[i] == group[start]):
            continue
        blocks.append(Block(kinds[start], start + 1, i, "".join(lines[start:i]), section_of[start]))
        start = i
    return tuple(blocks)
