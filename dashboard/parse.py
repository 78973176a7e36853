"""Parse a scraped plain-text article into an :class:`Article`.

The parser works on lines. Every source line lands in exactly one block, so
``article.rebuild_bytes()`` gives back the source byte for byte. The rules are
general ones for scraped pages (see docs/parsing.md), not rules fitted to one file.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import charset_normalizer
from syntok import segmenter

from . import citations as cit
from .model import Article, Block, Boilerplate, Citation, ParseError, Section, Source

MAX_BYTES = 20 * 1024 * 1024
HEADING_MAX_WORDS = 15
HEADING_MAX_CHARS = 120
QUESTION_HEADING_MAX_WORDS = 12

WORD_RE = re.compile(r"(?:https?://|www\.)\S+|[^\W_]+(?:['’\-][^\W_]+)*")
_CLOSERS = "\"'”’)]*_ "
_SENTENCE_END = (".", "!", "?", "…", ":", ";", ",")
_BULLET = re.compile(r"^\s*(?:[-*•·–—>]|\d{1,3}[.)]|\(\d{1,3}\)|\[\d{1,3}\])\s")
_UNNUMBERED_BULLET = re.compile(r"^\s*[-*•·–—>]\s")
# Headings and titles do not end on a word that needs a continuation.
_DANGLING = frozenset(
    (
        "a an the and or but nor of to in on at by for with from as into onto than that which who whose "
        "is are was were be been has have had will would can could should may might must not its their our"
    ).split()
)
_CONCLUSION = re.compile(
    r"^(?:in conclusion|to conclude|in summary|to summari[sz]e|to sum up|in sum|all in all|in closing|overall,)\b",
    re.IGNORECASE,
)
_CONCLUDING_HEADING = re.compile(
    r"(?i)\b(?:conclusions?|summary|final thoughts|wrap(?:ping)?[- ]up|bottom line|takeaways?|in closing)\b"
)
_REFERENCES = re.compile(
    r"^\W{0,3}(?:citations?|sources?|references?|bibliography|works cited|further reading|footnotes|notes|resources)"
    r"\s*:?\s*$",
    re.IGNORECASE,
)
# Headings that announce a reference list even when its entries are bare names.
_UNAMBIGUOUS_REFERENCES = re.compile(r"(?i)^\W{0,3}(?:citations?|sources?|references?|bibliography|works cited)\b")
_REFERENCE_ENTRY = re.compile(r"(?i)https?://|www\.|\bdoi\b|^\s*(?:\[\d+\]|\d+[.)]|[-*•])\s|\b(?:19|20)\d\d\b")
_CHROME = re.compile(
    r"""(?ix)^(?:
        \d*\s*comments?(?:\s*\(\d+\))? | no\ comments:? | post\ a\ comment | leave\ a\ (?:reply|comment)
      | add\ (?:a\ )?comment | comments\ are\ closed\.? | reply | share(?:\ this(?:\ (?:post|article|page))?)?:?
      | share\ on\ \w+ | tweet | pin\ it | email\ this | blogthis!? | (?:labels?|tags?|categories|filed\ under):.*
      | posted\ (?:by|on|in)\ .* | newer\ posts? | older\ posts? | previous\ post | next\ post | home
      | subscribe(?:\ to)?:?.* | post\ comments\ \(atom\) | related(?:\ (?:posts|articles))?:? | you\ may\ also\ like:?
      | read\ more | popular\ posts | powered\ by\ .* | (?:©|copyright|\(c\)).* | all\ rights\ reserved\.?
      | (?:like\ )?loading\.\.\.|like\ this:? | facebook | twitter | linkedin | pinterest | whatsapp | print
      | report\ abuse | skip\ to\ (?:main\ )?content | (?:main\ |open\ |close\ )?menu | toggle\ navigation
      | search(?:\ for)?:? | navigation
    )$""",
)


@dataclass
class Unit:
    """A paragraph (one or more wrapped lines) or a single line, by 0-based line index."""

    start: int
    end: int  # inclusive
    text: str  # the lines' content joined with single spaces
    cited: bool = False  # carries a link or a footnote reference


def slugify(text: str, max_len: int = 48) -> str:
    """Lower-case words of any script joined by '-', cut at a word boundary: 'Café Résumé' -> 'café-résumé'."""
    words = re.findall(r"[^\W_]+", unicodedata.normalize("NFKC", text).casefold())
    slug = ""
    for w in words:
        candidate = f"{slug}-{w}" if slug else w
        if len(candidate) > max_len and slug:
            break
        slug = candidate[:max_len]
    return slug or "article"


def decode(data: bytes) -> tuple[str, str, list[str]]:
    """Text, the codec that re-encodes it to the same bytes, and warnings.

    A byte-order mark wins, then strict UTF-8; only then a guess. Charset detectors misread
    short Western text (cp1252 taken for cp1250), so cp1252 is tried before the detector
    unless the result would be mostly accented letters, the sign of another script.
    """
    if len(data) > MAX_BYTES:
        raise ParseError(f"the file is {len(data) / 2**20:.1f} MB; the limit is {MAX_BYTES / 2**20:.0f} MB")
    # The UTF-16 codecs named by byte order keep the mark as a U+FEFF character in the text, so
    # encoding the text again gives back the same bytes; _content() leaves it out of the words.
    boms = (("utf-8-sig", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"))
    for codec, bom in boms:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as e:
                raise ParseError(f"the file starts with a {codec} byte-order mark but is not valid {codec}") from e
            if text.encode(codec) == data:
                return text, codec, []
    if b"\x00" in data:
        # UTF-16 without a mark: text in a Latin script has a NUL in every other byte.
        for codec, parity in (("utf-16-le", 1), ("utf-16-be", 0)):
            half = data[parity::2]
            if len(data) % 2 == 0 and half and half.count(0) / len(half) >= 0.6:
                try:
                    text = data.decode(codec)
                except UnicodeDecodeError:
                    continue
                if "\x00" not in text:
                    return text, codec, [f"the file has no byte-order mark; it was read as {codec}"]
        raise ParseError("the file looks binary (it contains NUL bytes), not text")
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
        letters = [c for c in text if c.isalpha()]
        if not letters or sum(ord(c) > 127 for c in letters) / len(letters) <= 0.5:
            return text, "cp1252", ["the file is not UTF-8; it was read as cp1252 (Windows Western)"]
    except UnicodeDecodeError:
        pass
    guess = _detect(data)
    if guess:
        return guess[0], guess[1], [f"the file is not UTF-8; it was read as {guess[1]} (a guess)"]
    return data.decode("latin-1"), "latin-1", ["the file is not UTF-8; it was read as latin-1"]


def _detect(data: bytes) -> tuple[str, str] | None:
    """charset-normalizer's best guess, kept only if it gives back the same bytes."""
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        return None
    codec = codecs.lookup(best.encoding).name
    text = str(best)
    try:
        return (text, codec) if text.encode(codec) == data else None
    except (UnicodeEncodeError, LookupError):
        return None


def _split_lines(text: str) -> list[str]:
    """Lines with their terminators; only \\n ends a line (a \\r stays with its line)."""
    parts = text.split("\n")
    lines = [p + "\n" for p in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def _content(line: str) -> str:
    return line.rstrip("\r\n").strip().lstrip("\ufeff").strip()


def _ends_sentence(text: str) -> bool:
    return text.rstrip(_CLOSERS).endswith(_SENTENCE_END)


def _words(text: str) -> list[str]:
    return WORD_RE.findall(text)


def _last_word(text: str) -> str:
    words = _words(text)
    return words[-1].casefold() if words else ""


def _is_heading_like(text: str) -> bool:
    """Short, no closing punctuation (a short question is fine), capitalised, not a list item or URL."""
    if not text or _UNNUMBERED_BULLET.match(text) or cit.find_urls(text):
        return False
    n_words = len(_words(text))
    question = text.rstrip(_CLOSERS).endswith("?") and n_words <= QUESTION_HEADING_MAX_WORDS
    if (_ends_sentence(text) and not question) or _last_word(text) in _DANGLING:
        return False
    if len(text) > HEADING_MAX_CHARS or n_words > HEADING_MAX_WORDS or not n_words:
        return False
    first_letter = next((c for c in text if c.isalpha()), "")
    return first_letter.isupper() or text[0].isdigit()


def _is_prose(text: str) -> bool:
    return _ends_sentence(text) or len(_words(text)) > HEADING_MAX_WORDS


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _sentences(paragraph: str) -> list[str]:
    out = []
    for para in segmenter.process(paragraph):
        for sent in para:
            if sent:
                first, last = sent[0], sent[-1]
                s = paragraph[first.offset : last.offset + len(last.value)].strip()
                if s:
                    out.append(s)
    return out


def _continues(previous: str, line: str) -> bool:
    """Does ``line`` continue a hard-wrapped paragraph that ``previous`` ends?"""
    if cit.find_urls(line.split(" ", 1)[0]):
        return False
    if re.search(r"[^\W\d_]-$", previous):  # a word hyphenated across the line break
        return True
    if previous.rstrip(_CLOSERS).endswith((".", "!", "?", "…", ":")):
        return False
    return line[0].islower() or _last_word(previous) in _DANGLING


def _units(contents: list[str], kinds: list[str], start: int, stop: int) -> list[Unit]:
    """Group body lines into paragraphs. Blank lines, rules and chrome separate them."""
    units: list[Unit] = []
    joinable = False
    for i in range(start, stop):
        text = contents[i]
        if not text or kinds[i] != "paragraph":
            joinable = False
            continue
        if units and joinable and _continues(units[-1].text, text):
            units[-1].end, units[-1].text = i, f"{units[-1].text} {text}"
        else:
            units.append(Unit(i, i, text))
        joinable = True
    return units


def _find_titles(contents: list[str], kinds: list[str], start: int) -> tuple[str | None, str | None, int]:
    """Mark the title lines from ``start``; return (title, page_title, first body line)."""
    top = [i for i in range(start, len(contents)) if contents[i] and kinds[i] == "paragraph"]
    if not top or not _is_heading_like(contents[top[0]]):
        return None, None, start
    first = top[0]
    kinds[first] = "title"
    title, page_title = contents[first], None
    k, repeated = 1, False
    while k < len(top) and _same(contents[top[k]], title):
        kinds[top[k]] = "title_repeat"
        repeated, k = True, k + 1
    if k < len(top) and _is_heading_like(contents[top[k]]):
        second = contents[top[k]]
        first_words = {w.casefold() for w in _words(title)}
        if repeated or first_words <= {w.casefold() for w in _words(second)}:
            kinds[first], kinds[top[k]] = "page_title", "title"
            page_title, title = title, second
            k += 1
            while k < len(top) and _same(contents[top[k]], second):
                kinds[top[k]] = "title_repeat"
                k += 1
    return title, page_title, top[k - 1] + 1


def _find_references(contents: list[str], kinds: list[str], start: int, stop: int) -> tuple[int, int]:
    """The reference list as (heading line, end): the last list-like heading with entries after it.

    The list runs to the next chrome line, or to a heading-like line followed by prose (an
    "About the author" box, say); ``end`` is where it stops. (stop, stop) when there is none.
    """
    for i in reversed(range(start, stop)):
        if not _REFERENCES.match(contents[i]) or kinds[i] != "paragraph":
            continue
        end = i + 1
        while end < stop and kinds[end] != "boilerplate":
            text = contents[end]
            if text and _is_heading_like(text) and not _REFERENCE_ENTRY.search(text):
                after = next((contents[j] for j in range(end + 1, stop) if contents[j]), "")
                if _is_prose(after) and not _REFERENCE_ENTRY.search(after):
                    break
            end += 1
        entries = [contents[j] for j in range(i + 1, end) if contents[j] and kinds[j] == "paragraph"]
        if not entries:
            continue
        bare_names = _UNAMBIGUOUS_REFERENCES.match(contents[i]) and not _is_prose(entries[0])
        if bare_names or any(_REFERENCE_ENTRY.search(e) for e in entries):
            return i, end
    return stop, stop


def _find_headings(units: list[Unit]) -> dict[int, int | None]:
    """Units that are headings (index -> level, None in plain text): heading-like, between text lines."""
    found: dict[int, int | None] = {}
    for k, unit in enumerate(units):
        prev = units[k - 1].text if k else None
        nxt = units[k + 1].text if k + 1 < len(units) else None
        if (
            unit.start == unit.end
            and _is_heading_like(unit.text)
            and nxt is not None
            and _is_prose(nxt)
            and (prev is None or _is_prose(prev) or _BULLET.match(prev))
            and not (prev and prev.endswith(":"))
        ):
            found[k] = None
    return found


@dataclass
class RawSection:
    heading: str
    inferred: bool
    head: Unit | None
    units: list[Unit]
    level: int | None = None


def group_sections(units: list[Unit], headings: dict[int, int | None], warnings: list[str]) -> list[RawSection]:
    """Split the body at headings (unit index -> level); infer an Introduction and a Conclusion.

    The Conclusion starts at the first paragraph after the last heading that opens with a
    concluding phrase, unless the section's own heading already concludes.
    """
    last_heading = max(headings, default=-1)
    sections: list[RawSection] = []
    concluded = False
    for k, unit in enumerate(units):
        if k in headings:
            sections.append(RawSection(unit.text, False, unit, [], headings[k]))
            continue
        if not sections:
            sections.append(RawSection("Introduction", True, None, []))
            warnings.append("the text before the first heading has no heading; it is called 'Introduction'")
        current = sections[-1]
        if (
            k > last_heading
            and current.units
            and not concluded
            and not _CONCLUDING_HEADING.search(current.heading)
            and _CONCLUSION.match(unit.text)
        ):
            sections.append(RawSection("Conclusion", True, None, []))
            concluded = True
            warnings.append(
                f"line {unit.start + 1} opens with a concluding phrase; a 'Conclusion' section starts there"
            )
        sections[-1].units.append(unit)
    return sections


def parse_text(
    text: str, *, path: str, sha256: str, encoding: str, size: int, warnings: list[str] | None = None
) -> Article:
    """Parse decoded plain text (see the module docstring and docs/parsing.md)."""
    warnings = list(warnings or [])
    lines = _split_lines(text)
    contents = [_content(line) for line in lines]
    n = len(lines)
    # Every line gets one kind; "paragraph" is the default for text until a rule claims it.
    kinds = ["blank" if not c else "rule" if not any(ch.isalnum() for ch in c) else "paragraph" for c in contents]

    # 1. Site chrome above the title ("Skip to content", "Menu"), then the title lines.
    first = 0
    while first < n and (kinds[first] != "paragraph" or _CHROME.match(contents[first])):
        if kinds[first] == "paragraph":
            kinds[first] = "boilerplate"
        first += 1
    title, page_title, body_start = _find_titles(contents, kinds, first)
    if title is None:
        warnings.append("no title line found at the top; the title is taken from the file name")
        title = Path(path).stem.replace("-", " ").replace("_", " ").strip().capitalize() or "Untitled"

    # 2. Page chrome (comment widgets, share buttons, navigation) anywhere below the title.
    for i in range(body_start, n):
        if kinds[i] == "paragraph" and _CHROME.match(contents[i]):
            kinds[i] = "boilerplate"

    # 3. The reference list; whatever follows it (author box, comment thread) is page chrome.
    refs_start, refs_end = _find_references(contents, kinds, body_start, n)
    found_refs = refs_start < n
    if found_refs:
        kinds[refs_start] = "references_heading"
        for i in range(refs_start + 1, refs_end):
            if kinds[i] == "paragraph":
                kinds[i] = "reference"
        trailing = [i for i in range(refs_end, n) if kinds[i] == "paragraph"]
        for i in trailing:
            kinds[i] = "boilerplate"
        if trailing:
            warnings.append(
                f"lines {trailing[0] + 1}-{trailing[-1] + 1} after the reference list are treated as page chrome"
            )

    # 4. Sections in the body.
    units = _units(contents, kinds, body_start, refs_start)
    headings = _find_headings(units)
    raw_sections = group_sections(units, headings, warnings)
    if not raw_sections:
        warnings.append("no article text found between the title and the reference list")
    elif not headings:
        warnings.append("no headings found: the article is one section")

    for raw in raw_sections:
        if raw.head:
            kinds[raw.head.start] = "heading"

    # 5. Citations: the reference list's entries, and URLs written in the body.
    links: list[Link] = []
    for i in range(body_start, n):
        if kinds[i] == "reference":
            urls: list[str | None] = list(cit.find_urls(contents[i], any_scheme=True)) or [None]
            links.extend(Link(i, url, contents[i], True) for url in urls)
        elif kinds[i] == "paragraph":
            links.extend(Link(i, url, contents[i], False) for url in cit.find_urls(contents[i]))
    if not found_refs:
        warnings.append("no reference list found (a line such as 'Sources' or 'References:' followed by entries)")

    group = list(range(n))  # lines of one wrapped paragraph share a block
    for u in units:
        for i in range(u.start, u.end + 1):
            group[i] = u.start
    draft = Draft(lines, kinds, title, page_title, raw_sections, links, warnings, group)
    return assemble(draft, Source(path=path, sha256=sha256, format="txt", encoding=encoding, bytes=size))


@dataclass
class Link:
    """A URL (or a reference entry without one) found while parsing, by 0-based line."""

    line: int
    url: str | None
    text: str  # the entry or line as written, in plain text
    in_list: bool  # part of the reference list or footnotes, not of a section's text


@dataclass
class Draft:
    """What a format's parser finds; :func:`assemble` turns it into an Article."""

    lines: list[str]  # source lines with terminators (for HTML: lines of the extracted text)
    kinds: list[str]  # one block kind per line
    title: str
    page_title: str | None
    sections: list[RawSection]
    links: list[Link]
    warnings: list[str]
    group: list[int]  # lines with the same kind, section and group number form one block


def assemble(d: Draft, source: Source) -> Article:
    """Section ids, line spans, counts, sentences, described citations and blocks."""
    n = len(d.lines)
    section_of: list[str | None] = [None] * n
    sections: list[Section] = []
    used_ids: set[str] = set()
    for raw in d.sections:
        sid = slugify(raw.heading)
        base, k = sid, 2
        while sid in used_ids:
            sid, k = f"{base}-{k}", k + 1
        used_ids.add(sid)
        parts = ([raw.head] if raw.head else []) + raw.units
        if not parts:
            continue
        start, end = parts[0].start, parts[-1].end
        for i in range(start, end + 1):  # blank lines and rules inside a section belong to it too
            section_of[i] = sid
        sentences: list[str] = []
        sentence_lines: list[int] = []
        for u in raw.units:
            found = _sentences(u.text)
            sentences += found
            sentence_lines += [u.start + 1] * len(found)
        sections.append(
            Section(
                id=sid,
                heading=raw.heading,
                inferred=raw.inferred,
                level=raw.level,
                line_start=start + 1,
                line_end=end + 1,
                words=sum(len(_words(u.text)) for u in raw.units),
                sentences=tuple(sentences),
                sentence_lines=tuple(sentence_lines),
                cited_lines=tuple(
                    u.start + 1
                    for u in raw.units
                    if u.cited
                    or any(not link.in_list and link.url and u.start <= link.line <= u.end for link in d.links)
                ),
            )
        )

    cites = []
    for link in d.links:
        url = cit.normalize_doi(link.url) if link.url else None
        info = cit.describe(url)
        section = None if link.in_list else section_of[link.line]
        cites.append(
            Citation(
                url, link.text, info.scheme, info.host, info.domain, info.provider, info.kind, link.line + 1, section
            )
        )
    unlinked = sum(1 for link in d.links if link.in_list and link.url is None)
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


FORMATS = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}
FORMAT_NAMES = {"txt": "plain text", "md": "Markdown", "html": "HTML"}
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
    from .htmlparse import draft_html
    from .mdparse import draft_markdown

    fmt = fmt or detect_format(path, data)
    if fmt not in FORMAT_NAMES:
        raise ParseError(f"unknown format {fmt!r}; use one of {', '.join(FORMAT_NAMES)}")
    text, encoding, warnings = decode(data)
    if not text.strip():
        raise ParseError("the article is empty (no text, only white space)")
    sha = hashlib.sha256(data).hexdigest()
    stem = Path(path).stem
    if fmt == "txt":
        article = parse_text(text, path=path, sha256=sha, encoding=encoding, size=len(data), warnings=warnings)
    elif fmt == "md":
        draft = draft_markdown(text, stem)
        draft.warnings[:0] = warnings
        article = assemble(draft, Source(path, sha, "md", encoding, len(data)))
    else:
        draft, extracted = draft_html(text, stem, origin)
        draft.warnings[:0] = warnings
        article = assemble(draft, Source(path, sha, "html", "utf-8", len(data), text_of="extracted"))
        if article.rebuild_text() != extracted:  # pragma: no cover - never ship a lossy parse
            raise ParseError("internal error: the parse does not rebuild the extracted text exactly")
        return article
    if article.rebuild_bytes() != data:  # pragma: no cover - guarded by tests; never ship a lossy parse
        raise ParseError("internal error: the parse does not rebuild the source exactly")
    return article


def parse_file(path: Path, display_path: str | None = None) -> Article:
    try:
        data = path.read_bytes()
    except OSError as e:
        raise ParseError(f"cannot read {path}: {e.strerror or e}") from e
    suffix = path.suffix.lower()
    if suffix and suffix not in FORMATS:
        raise ParseError(f"{path.name}: not a supported article file; use {', '.join(sorted(FORMATS))}")
    return parse_bytes(data, display_path or path.name)
