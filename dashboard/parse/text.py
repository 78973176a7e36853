"""The plain-text front end: a scraped or copied article, read line by line.

Every source line lands in exactly one block, so the article rebuilds byte for byte. The
rules are general ones for text copied or scraped from a web page (docs/parsing.md), not
rules fitted to one file.
"""

from __future__ import annotations

import re

from .. import citations as cit
from ..words import words as _words
from .draft import REFERENCES, Draft, Link, Unit, group_sections, split_lines

HEADING_MAX_WORDS = 15
HEADING_MAX_CHARS = 120
QUESTION_HEADING_MAX_WORDS = 12

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


def _content(line: str) -> str:
    return line.rstrip("\r\n").strip().lstrip("\ufeff").strip()


def _ends_sentence(text: str) -> bool:
    return text.rstrip(_CLOSERS).endswith(_SENTENCE_END)


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
        if not REFERENCES.match(contents[i]) or kinds[i] != "paragraph":
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


def draft(text: str, name: str, origin: str | None = None) -> Draft:
    """Title, sections, reference list and links of decoded plain text (``name`` and ``origin`` are unused:
    plain text names no site of its own)."""
    warnings: list[str] = []
    lines = split_lines(text)
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
    return Draft(lines, kinds, title, page_title, raw_sections, links, warnings, group)
