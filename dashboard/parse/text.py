"""The plain-text front end: a scraped, dumped or copied article, read line by line.

Every source line lands in exactly one block, so the article rebuilds byte for byte. The
rules come from how common tools lay text out (html2text and lynx dumps, pandoc plain output,
PDF-to-text, copy-paste from a browser, Wikipedia text dumps) and from general typography,
never from one file's particulars (docs/parsing.md lists them).

Every step is one or two passes over the lines, so time and memory grow linearly with the
input: no rule rescans the text for each candidate line.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from functools import lru_cache

from .. import citations as cit
from ..words import words as _words
from .draft import Draft, Link, Unit, group_sections, is_image_file, is_references_heading, is_share_link, split_lines

HEADING_MAX_WORDS = 15
HEADING_MAX_CHARS = 120
QUESTION_HEADING_MAX_WORDS = 12
MARKED_HEADING_MAX_CHARS = 200
NEAR = 12  # lines around a breadcrumb trail where the headline it names is looked for
CLUMP_MAX_WORDS = 6  # a line in a clump of headings is short
OUTLINED = 3  # an article with this many headings is organised by them
RUN_MAX = 4  # at most this many heading lines in a row (a parent and its sub-headings)

_CLOSERS = "\"'”’)]*_ "
_SENTENCE_END = (".", "!", "?", "…", ":", ";", ",")
_BULLET = re.compile(r"^\s*(?:[-*•·–—>]|\d{1,3}[.)]|\(\d{1,3}\)|\[\d{1,3}\])\s")
_UNNUMBERED_BULLET = re.compile(r"^\s*[-*•·–—>o#+]\s")
# A list number at the start of a line: "12. ", "12) ", "[12] ".
_NUMBER_MARKER = re.compile(r"^\s*(?:(\d{1,3})[.)]|\[(\d{1,3})\])(?:\s|$)")
_NUMBER_ANY = re.compile(r"^\s*(?:(\d{1,6})[.)]|\[(\d{1,6})\])(?:\s|$)")  # inside a numbered list
_ENTRY_MARKER = re.compile(r"^\s*(?:\^|[-*•·–o#+]\s)")
# Footnote markers left at the end of a line by copied text: "...in 1968.[1][2]".
_TRAILING_NOTES = re.compile(r"(?:\s*\[(?:\d{1,3}|[a-z]{1,2}|note \d{1,3}|citation needed)\])+$", re.IGNORECASE)
_LEADING_NOTE = re.compile(r"^\[(?:\d{1,3}|[a-z])\]\s*[^\W\d_]")
_NOTES_ONLY = re.compile(r"^(?:\[(?:\d{1,3}|[a-z])\])+[.,;:]?$")
# Headings and titles do not end on a word that needs a continuation.
_DANGLING = frozenset(
    (
        "a an the and or but nor of to in on at by for with from as into onto than that which who whose "
        "is are was were be been has have had will would can could should may might must not its their our"
    ).split()
)
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
# More page furniture: image credits and placeholders, gallery counters, datelines, share and
# follow prompts, skip links, widget toggles, category and tag lines, a wiki's "Retrieved from".
_FURNITURE = re.compile(
    r"""(?ix)^(?:
        (?:photo|image|picture|illustration|graphic|bild|foto|credits?|(?:photo|image)\ credits?)\s*:\s*.{0,100}
      | \(\s*(?:photo|image|picture|illustration|graphic|bild|foto|credit)s?\b[^()]{0,100}\)
      | (?:photos?|images?|illustrations?)\ (?:by|courtesy\ of)\ .{1,80}
      | .{0,80}\bview\ full[\ -]size\ image
      | (?:photo|image|picture|slide|bild|foto)\ \d{1,3}\ (?:of|von|de|/)\ \d{1,3}
      | .{1,100}\(\d{1,3}\ (?:photos?|images?|pictures?|slides?|bilder|fotos?)\)
      | \[[^\]]{0,200}\.(?:jpe?g|png|gif|svg|webp)\] | \[(?:img|image|inline|bild)\]
      | (?:(?:last\ )?updated|published|first\ published|posted|last\ modified)(?:\ on|\ at)?:?\s+
        (?=[^a-z]*\d|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))[^!?]{0,60}
      | follow(?:\ us)?(?:\ on\ [\w+]+)?:? | \d{1,3}\ min(?:ute)?s?\ read
      | share\ (?:on|via|to|with)\ [\w+ ]{1,30} | share\ this\ (?:story|article):?
      | (?:email|print|save)\ (?:this\ )?(?:article|story|page)
      | (?:jump|skip)[\ _]to[\ _]\w+(?:\s+(?:jump|skip)[\ _]to[\ _]\w+)*
      | toggle\ [\w\ ]{1,40}
      | categor(?:y|ies)\s*:.* | (?:hidden\ )?categories\ *:.*
      | retrieved\ from\s+["“]?(?:https?://|www\.)\S*
    )$""",
)
_BYLINE = re.compile(
    r"^By\s+(?!(?:The|A|An|This|That|Our|Your|Its|Their|Using|Way|Far|Then|Now)\b)"
    r"[A-Z][\w.'’-]+(?:\s+(?:[A-Z][\w.'’-]+|and|&|de|van|von|der|da))*(?:\s*[,|•·–—-]\s*.{0,60})?$"
)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-zäéû]*\.?"
_DATELINE = re.compile(
    rf"(?ix)^(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
    rf"(?:\d{{1,2}}\.\s?\d{{1,2}}\.\s?\d{{2,4}} | \d{{4}}-\d{{2}}-\d{{2}} | \d{{1,2}}/\d{{1,2}}/\d{{2,4}}"
    rf" | {_MONTH}\s+\d{{1,2}},?\s+\d{{4}} | \d{{1,2}}\.?\s+{_MONTH}\s+\d{{4}}) (?=[\s,]|$)"
)
# Lines that end the article when they come after its text: a wiki's category or print footer,
# a post's tag line, a pager to the next and previous article, the opening of a comment thread.
_END = re.compile(
    r"""(?ix)^(?:
        categor(?:y|ies)\s*:.* | (?:tags?|labels?|filed\ under)\s*:.* | retrieved\ from\s+["“]?(?:https?://|www\.)\S*
      | \d*\s*comments?(?:\s*\(\d+\))? | no\ comments:? | post\ a\ comment | leave\ a\ (?:reply|comment)
      | comments\ are\ closed\.? | add\ (?:a\ )?comment
      | (?:next|previous|prev)\ (?:next|previous|prev)
    )$""",
)
_PAGER = re.compile(r"^[«‹←]?[^|«»‹›←→]{1,30}\|[^|«»‹›←→]{1,30}[»›→]?$")
_PAGER_ARROWS = re.compile(r"[«»‹›←→]")
# A text browser's link index: "References" (lynx), "Visible links", then "  12. http://…" lines.
_INDEX_HEAD = re.compile(r"(?i)^(?:references|visible links|links)\s*:?$")
_INDEX_SUBHEAD = re.compile(r"(?i)^(?:visible|hidden) links\s*:?$")
_INDEX_ENTRY = re.compile(r"^(\d{1,6})\.\s+((?:[a-z][a-z0-9+.-]{1,15}:|www\.)\S*)$", re.IGNORECASE)
_LINK_MARK = re.compile(r"\[(\d{1,6})\]")
_ADMONITION = re.compile(r"(?i)^(?:note|notes|warning|tip|hint|caution|important|danger|attention|example)\s*:?$")
_TOC = re.compile(r"(?i)^(?:table of contents|contents|on this page|in this (?:article|page))\s*:?$")
_CODE = re.compile(r"^(?:>>>\s|In \[\d+\]:|\$ [a-z])")
# Heading markup of text tools: html2text frames (****** Title ******), wiki markup (== Title ==),
# Markdown hashes, Sphinx/MkDocs permalinks (Title ¶) and a wiki's edit links (Title[edit]).
_FRAMED = re.compile(r"^(\*{2,6})\s+(\S.*?)\s+\1$|^(={1,6})\s*([^=\s].*?)\s*\3$")
_HASHES = re.compile(r"^(#{1,6})\s+(\S.*?)(?:\s+#+)?$")
_ANCHOR = re.compile(r"^(.*?\S)\s*(?:¶|\[\s*edit(?:\s+source)?\s*\])$", re.IGNORECASE)
_UNDERLINE = re.compile(r"^(?:=+|-+|~+|\^+)$")
_SITE_SEP = re.compile(r"\s[|–—·:-]\s")
_BREADCRUMB_SEP = re.compile(r"\s+(?:>|»|›|→)\s+|\s+(?:>|»|›|→)$|^(?:>|»|›|→)\s+")
# Where a URL may continue on the next line (text wrapped inside it), and what may continue it.
_SCHEME_PART_AT_END = re.compile(r"(?i)(?:^|[\s(\[<\"“'])(h(?:t(?:t(?:ps?(?::/?)?)?)?)?)$")
_URL_PIECE = re.compile(r"[\w\-.~/%?#=&+:;,@!$'*()\[\]]+")
_URL_PIECE_SIGN = re.compile(r"[/._\-=?&%~#]|\d")
_URL_START = re.compile(r"(?i)^(?:https?://|ftp://|www\.)")
_URL_START_IN = re.compile(r"(?i)https?://|ftp://|www\.")
_OPENERS = {"(": ")", "<": ">", "[": "]", '"': '"', "“": "”", "'": "'"}
_UNSAFE_SCHEMES = ("javascript", "data", "vbscript")


# ---------------------------------------------------------------- line shapes


def _content(line: str) -> str:
    return line.rstrip("\r\n").strip().lstrip("\ufeff").strip()


def _indent(line: str) -> int:
    body = line.lstrip("\ufeff")
    return len(body) - len(body.lstrip(" \t"))


def _bare(text: str) -> str:
    """The end of the text without footnote markers and closing quotes or brackets (only its end
    is looked at, so a long line costs no more than a short one)."""
    return _TRAILING_NOTES.sub("", text[-300:]).rstrip(_CLOSERS)


def _ends_sentence(text: str) -> bool:
    return _bare(text).endswith(_SENTENCE_END)


def _last_word(text: str) -> str:
    found = _words(text[-200:])
    return found[-1].casefold() if found else ""


def _tabular(text: str, n_words: int) -> bool:
    """A table row: several numbers make up much of the line ('Total 647 (202)')."""
    numbers = len(re.findall(r"(?<![\w.])[\d.,–—-]*\d[\d.,–—-]*(?![\w])", text))
    return numbers >= 2 and numbers * 3 >= n_words


@lru_cache(maxsize=16384)
def _is_heading_like(text: str) -> bool:
    """Short, no closing punctuation (a short question or a trailing ellipsis is fine),
    capitalised, not a list item, a table row or a URL."""
    if not text or len(text) > HEADING_MAX_CHARS or _UNNUMBERED_BULLET.match(text) or cit.find_urls(text):
        return False
    if _LEADING_NOTE.match(text):  # '[24] There they lost': a footnote marker ends a sentence, never opens a heading
        return False
    n_words = len(_words(text))
    if n_words > HEADING_MAX_WORDS or not n_words:
        return False
    bare = text.rstrip(_CLOSERS)
    question = bare.endswith("?") and n_words <= QUESTION_HEADING_MAX_WORDS
    ellipsis = bare.endswith(("...", "…")) and n_words >= 2 and not bare.endswith("....")
    if (_ends_sentence(text) and not question and not ellipsis) or _last_word(text) in _DANGLING:
        return False
    if _tabular(text, n_words):
        return False
    first_letter = next((c for c in text if c.isalpha()), "")
    return first_letter.isupper() or text[0].isdigit()


@lru_cache(maxsize=16384)
def _is_prose(text: str) -> bool:
    return _ends_sentence(text) or len(_words(text)) > HEADING_MAX_WORDS


def _is_sentence(text: str) -> bool:
    """A line of running text: it ends a sentence and has a few words (menus and labels do not)."""
    return _bare(text).endswith((".", "!", "?", "…")) and len(_words(text)) >= 3 and not _is_heading_like(text)


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _is_chrome(text: str, carried_on: bool = False) -> bool:
    """A widget or navigation label, or (unless the line carries on the one above) a credit,
    byline, dateline, pager or other page furniture."""
    if _CHROME.match(text):
        return True
    if carried_on or len(text) > 300:
        return False
    return bool(
        _FURNITURE.match(text)
        or (_BYLINE.match(text) and len(text.split()) <= 10)
        or _is_dateline(text)
        or _is_pager(text)
    )


def _is_code(text: str) -> bool:
    """A line typed at a console prompt (>>>, In [1]:, $): code, whose URLs are arguments."""
    return bool(_CODE.match(text))


def _is_dateline(text: str) -> bool:
    """A date (and time, author or place) alone on a line: '14.12.2015 14:01 Uhr Jane Doe'."""
    m = _DATELINE.match(text)
    return bool(m) and len(text.split()) <= 8 and not _bare(text).endswith((".", "!", "?"))


def _is_pager(text: str) -> bool:
    """'« Previous | Next »': links to the neighbouring articles."""
    return bool(_PAGER.match(text) and _PAGER_ARROWS.search(text)) and len(text.split()) <= 8


def _is_end(text: str) -> bool:
    return bool(_END.match(text)) or _is_pager(text)


def _marked(contents: list[str], i: int, indent: int) -> str | None:
    """The heading text of a line that heading markup sets apart, else None."""
    text = contents[i]
    if len(text) > MARKED_HEADING_MAX_CHARS + 20:
        return None
    found = None
    m = _FRAMED.match(text)
    if m:
        found = m.group(2) or m.group(4)
    elif indent <= 3 and (m := _HASHES.match(text)):  # deeper, '#' is a list bullet (html2text)
        found = m.group(2)
    elif (
        i + 1 < len(contents)
        and _UNDERLINE.match(contents[i + 1])
        and len(contents[i + 1]) >= 3
        and len(text) // 2 <= len(contents[i + 1]) <= 2 * len(text) + 2
        and _is_heading_like(text)
    ):
        return text
    if found is not None:
        text = found
    a = _ANCHOR.match(text)
    if a:
        text, found = a.group(1), a.group(1)
    if found is None or len(text) > MARKED_HEADING_MAX_CHARS or not any(c.isalnum() for c in text):
        return None
    if _bare(text).endswith(".") and len(_words(text)) > HEADING_MAX_WORDS:
        return None  # a sentence inside asterisks is emphasis, not a heading
    return text.strip()


# ---------------------------------------------------------------- URLs wrapped over lines


def _url_glue(contents: list[str], kinds: list[str]) -> list[bool]:
    """glue[i]: line i carries on a URL that line i-1 breaks off at its end (PDF text, narrow dumps).

    A URL continues when the line above ends inside it: in the middle of its scheme ('(h' +
    'ttps://'), while a bracket or quote opened before it is still open, right after the scheme,
    or on a character no URL ends with; the next line must then start with a run of URL characters.
    One pass: the open URL is carried from line to line.
    """
    n = len(contents)
    glue = [False] * n
    open_url = ""  # the URL text running to the end of the previous line, if any
    closer = ""  # the bracket or quote that closes it, when one opened before it
    for i in range(n):
        text = contents[i]
        if kinds[i] not in ("paragraph", "boilerplate") or not text:
            open_url, closer = "", ""
            continue
        head = text.split(None, 1)[0]
        if i and open_url and _continues_url(open_url, closer, head, text):
            glue[i] = True
            closer = closer[len("scheme") :] if closer.startswith("scheme") else closer
            if len(head) < len(text) or (closer and closer in head):
                found = _open_url_at_end(text[len(head) :]) if len(head) < len(text) else None
                open_url, closer = found if found else ("", "")
            else:
                open_url = (open_url + head)[-16:]
            continue
        found = _open_url_at_end(text)
        open_url, closer = found if found else ("", "")
    return glue


def _open_url_at_end(text: str) -> tuple[str, str] | None:
    """The URL (or the start of a scheme) that runs to the end of ``text``, with the bracket or
    quote that must still close it ("" for none, "scheme…" for a scheme cut short); None if none.
    Only the last word of the line is looked at."""
    token = text.rsplit(None, 1)[-1] if text.strip() else ""
    m = _URL_START_IN.search(token)
    if m:
        url = token[m.start() :]
        closer = _OPENERS.get(token[m.start() - 1], "") if m.start() else ""
        if closer and closer in url:
            return None  # closed on this line: the URL is complete
        return url[-16:], closer  # its end is all that matters later
    tail = text[-12:]
    p = _SCHEME_PART_AT_END.search(tail)
    if p:
        opener = tail[-len(p.group(1)) - 1 : -len(p.group(1))]
        if opener in _OPENERS or p.group(1) != "h":
            return p.group(1), "scheme" + _OPENERS.get(opener, "")
    return None


def _continues_url(open_url: str, closer: str, head: str, text: str) -> bool:
    """Does a line starting with ``head`` carry on the URL ``open_url`` broken off above it?"""
    if closer.startswith("scheme"):
        return (open_url + head).lower().startswith(("http://", "https://"))
    if not _URL_PIECE.fullmatch(head):
        return False
    if closer:  # still inside brackets or quotes: even 'http://…' goes on (an archived copy's URL)
        return closer in head or not (_NUMBER_MARKER.match(text) or _ENTRY_MARKER.match(text))
    if _NUMBER_MARKER.match(text) or _ENTRY_MARKER.match(text) or _URL_START.match(head):
        return False
    if re.fullmatch(r"(?i)(?:https?://|ftp://|www\.)", open_url):
        return True
    last = open_url[-1]
    if last in "-_=?&%~/#+":  # no URL ends on these
        return bool(_URL_PIECE_SIGN.search(head))
    if last in ".,:":  # sentence punctuation, unless the line goes on in URL characters
        return (head[0].islower() or head[0].isdigit()) and bool(_URL_PIECE_SIGN.search(head))
    return False


# ---------------------------------------------------------------- paragraphs


def _continues(previous: str, line: str) -> bool:
    """Does ``line`` continue a hard-wrapped paragraph whose last line is ``previous``?"""
    if _NOTES_ONLY.match(line):  # footnote markers pushed onto a line of their own
        return True
    if cit.find_urls(line.split(" ", 1)[0]):
        return False
    if re.search(r"[^\W\d_]-$", previous[-3:]):  # a word hyphenated across the line break
        return True
    if previous.rstrip(_CLOSERS).endswith((".", "!", "?", "…", ":")):
        return False
    if _last_word(previous) in _DANGLING:
        return True
    # A wrapped sentence goes on in lower case, or with a parenthesis: "(19 goals in 49 games) and".
    return line[0].islower() or bool(re.match(r"\((?:[^\W_]*[a-z\d])", line))


def _carries_on(contents: list[str], glue: list[bool], indent: list[int]) -> list[bool]:
    """cont[i]: line i continues the paragraph of line i-1 (both non-blank), decided once per line.

    Two or more short heading-like lines in a row are a clump of headings (PDF text prints them between
    the lines of a sentence that runs on past them): no line of the clump carries on the text
    above it, and the line after the clump does not carry on the clump."""
    n = len(contents)
    like = [bool(c) and len(c.split()) <= CLUMP_MAX_WORDS and _is_heading_like(c) for c in contents]
    clump = [like[i] and ((i > 0 and like[i - 1]) or (i + 1 < n and like[i + 1])) for i in range(n)]
    cont = [False] * n
    for i in range(1, n):
        if contents[i] and contents[i - 1]:
            if glue[i]:
                cont[i] = True
            elif clump[i] or clump[i - 1]:
                cont[i] = False
            else:
                cont[i] = _continues(contents[i - 1], contents[i]) or _hangs(contents, indent, i)
    return cont


def _hangs(contents: list[str], indent: list[int], i: int) -> bool:
    """A list item's wrapped lines hang indented under its text ('1. Fredholm …' / '   Reviews …')."""
    if indent[i] < indent[i - 1] or _BULLET.match(contents[i]) or _ENTRY_MARKER.match(contents[i]):
        return False
    k = i - 1  # the item's first line: the nearest line above at a shallower indent, if it is a list item
    while k > 0 and contents[k - 1] and indent[k] >= indent[i] and i - k < 64:
        k -= 1
    return indent[k] < indent[i] and bool(_BULLET.match(contents[k]) or _ENTRY_MARKER.match(contents[k]))


def _units(
    contents: list[str],
    kinds: list[str],
    glue: list[bool],
    cont: list[bool],
    solo: dict[int, str],
    start: int,
    stop: int,
) -> list[Unit]:
    """Group body lines into paragraphs. Blank lines, rules and chrome separate them; a line in
    ``solo`` (a marked heading, with its text) is a unit of its own."""
    units: list[Unit] = []
    parts: list[str] = []
    joinable = False

    def close() -> None:
        if units and parts:
            units[-1].text = "".join(parts)

    for i in range(start, stop):
        text = contents[i]
        if not text or kinds[i] != "paragraph":
            joinable = False
            continue
        if i in solo:
            close()
            parts = []
            units.append(Unit(i, i, solo[i]))
            joinable = False
            continue
        if units and joinable and cont[i]:
            units[-1].end = i
            parts.append(text if glue[i] else " " + text)
        else:
            close()
            parts = [text]
            units.append(Unit(i, i, text))
        joinable = True
    close()
    return units


# ---------------------------------------------------------------- titles


def _default_title(contents: list[str], kinds: list[str], start: int) -> tuple[str | None, str | None, int]:
    """The first line when heading-like; with a page title above it when one prefixes the other."""
    top = []
    for i in range(start, len(contents)):
        if contents[i] and kinds[i] == "paragraph":
            top.append(i)
            if len(top) > 64:
                break
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
        second_words = {w.casefold() for w in _words(second)}
        # 'Site | Page' above 'Page', or 'Headline | Site' above 'Headline': a browser's page title
        page_shaped = _SITE_SEP.search(title) and second_words < first_words
        if repeated or first_words <= second_words or page_shaped:
            kinds[first], kinds[top[k]] = "page_title", "title"
            page_title, title = title, second
            k += 1
            while k < len(top) and _same(contents[top[k]], second):
                kinds[top[k]] = "title_repeat"
                k += 1
    return title, page_title, top[k - 1] + 1


def _title_line(
    contents: list[str], kinds: list[str], marked: dict[int, str], flush: list[int] | None, first_text: int
) -> int | None:
    """The headline's line when the layout states it: the top heading of the markup, the page
    named at the end of a breadcrumb trail, a dump's first flush-left line, or the fullest line
    under a masthead. None: no such line."""
    heads = sorted(marked)
    if heads and heads[0] < first_text and _level(contents[heads[0]]) == min(_level(contents[i]) for i in heads):
        return heads[0]  # the first marked heading, of the top level, before any running text
    trail = next((i for i in range(first_text) if kinds[i] == "paragraph" and _is_breadcrumb(contents[i])), None)
    if trail is not None:
        crumbs = [c.strip() for c in _BREADCRUMB_SEP.split(contents[trail])]
        near = range(max(0, trail - NEAR), min(first_text, trail + NEAR + 1))
        if crumbs[-1]:  # the trail ends on the page's own name: the headline is the line saying it
            same = [j for j in near if j != trail and kinds[j] == "paragraph" and _same(contents[j], crumbs[-1])]
            if same:
                return min(same, key=lambda j: abs(j - trail))
        else:  # the trail ends on a separator: the headline follows it
            for j in range(trail + 1, min(first_text + 1, trail + NEAR, len(kinds))):
                if kinds[j] == "paragraph":
                    if _is_heading_like(contents[j]) or j in marked:
                        return j
                    break
    if flush:
        for i in flush:
            if kinds[i] == "paragraph" and _is_heading_like(contents[i]):
                return i
    # Below a masthead (menus, skip links, a sign-up prompt) the headline is the fullest
    # heading-like line of the block it sits in; shorter ones there are kickers ('Health'). The
    # block is the one just above the byline or dateline, else the last one before the text.
    chrome = [i for i in range(first_text) if kinds[i] == "boilerplate"]
    if chrome:
        credit = next((i for i in chrome if _BYLINE.match(contents[i]) or _is_dateline(contents[i])), None)
        end = credit if credit is not None else first_text
        begin = max((i for i in chrome if i < end), default=-1) + 1
        cands = [i for i in range(begin, end) if kinds[i] == "paragraph" and _is_heading_like(contents[i])][:NEAR]
        words = {i: {w.casefold() for w in _words(contents[i])} for i in cands}
        # 'Headline | Site' next to 'Headline' is the browser's page title, not the headline
        cands = [i for i in cands if not (_SITE_SEP.search(contents[i]) and any(words[j] < words[i] for j in cands))]
        if cands:
            return max(cands, key=lambda i: (len(words[i]), -i))
    return None


def _is_breadcrumb(text: str) -> bool:
    """'Home > News > Health > Title' or 'Docs »': a trail of short crumbs."""
    if len(text) > 300 or not _BREADCRUMB_SEP.search(text):
        return False
    crumbs = [c.strip() for c in _BREADCRUMB_SEP.split(text)]
    return len(crumbs) >= 2 and all(len(c.split()) <= 12 for c in crumbs)


def _toc_key(text: str) -> str:
    """A contents entry without its marker, number and underscores: '* 1.2_Light_sleep' -> 'light sleep'."""
    text = re.sub(r"^(?:[-*•·o#+]\s+)?(?:\d+(?:[._]\d+)*[._)]?\s*)?", "", text[:300]).replace("_", " ")
    return " ".join(text.split()).casefold()


def _level(text: str) -> int:
    m = _FRAMED.match(text)
    if m:
        return 7 - len(m.group(1)) if m.group(1) else len(m.group(3))
    m = _HASHES.match(text)
    return len(m.group(1)) if m else 9


# ---------------------------------------------------------------- reference lists


def _reference_list(
    contents: list[str],
    kinds: list[str],
    heading_text: dict[int, str],
    layout_heads: list[int],
    start: int,
    stop: int,
    strict_layout: bool,
) -> tuple[int, int, int, dict[int, int]]:
    """The reference list as (heading line, first entry line, end, every list found: heading -> end),
    or (stop, stop, stop, {}) when there is none.

    A list runs from a heading that names one (References, Notes, Sources, …) to the next
    such heading, the next heading of the layout, page chrome or the article's end; in a plain
    scrape also to a heading-like line followed by prose (an "About the author" box) once its
    numbered entries are over. Of several lists, the last numbered one (an article's own notes)
    wins over bulleted reading lists, else the last. Each line is looked at a fixed number of times.
    """
    n = stop
    # A numbered line names a list only as a heading of the layout: '1. Sources' in a list is an item.
    cands = [
        i
        for i in range(start, stop)
        if kinds[i] == "paragraph"
        and (i in heading_text or not _NUMBER_MARKER.match(contents[i]))
        and is_references_heading(heading_text.get(i, contents[i]))
    ]
    if not cands:
        return stop, stop, stop, {}
    # Arrays over [start, stop], each filled in one pass.
    nxt_nonempty = [n] * (n + 1)  # the next line with content after k
    for k in range(n - 2, start - 1, -1):
        nxt_nonempty[k] = k + 1 if contents[k + 1] else nxt_nonempty[k + 1]
    entry_like = [False] * (n + 1)
    is_entry_line = [False] * (n + 1)
    numbered = [False] * (n + 1)
    for k in range(start, n):
        if contents[k] and kinds[k] == "paragraph":
            is_entry_line[k] = True
            entry_like[k] = bool(_REFERENCE_ENTRY.search(contents[k][:2000]))
            numbered[k] = bool(_NUMBER_MARKER.match(contents[k]) or contents[k].startswith("^"))
    stop_at = [n] * (n + 1)
    nxt_break = [n] * (n + 1)  # next chrome line or heading of the layout
    heads = set(layout_heads)
    for k in range(n - 1, start - 1, -1):
        nxt_break[k] = k if kinds[k] == "boilerplate" or k in heads else nxt_break[k + 1]
        text = contents[k]
        halt = kinds[k] == "boilerplate"
        if not halt and text and not strict_layout and not entry_like[k] and _is_heading_like(text):
            j = nxt_nonempty[k]
            halt = j < n and _is_prose(contents[j]) and not _REFERENCE_ENTRY.search(contents[j][:2000])
        stop_at[k] = k if halt else stop_at[k + 1]
    pre_entries = [0] * (n + 2)
    pre_like = [0] * (n + 2)
    pre_num = [0] * (n + 2)
    last_num = [-1] * (n + 1)
    for k in range(start, n):
        pre_entries[k + 1] = pre_entries[k] + is_entry_line[k]
        pre_like[k + 1] = pre_like[k] + entry_like[k]
        pre_num[k + 1] = pre_num[k] + numbered[k]
        last_num[k + 1] = k if numbered[k] else last_num[k]
    for k in range(start):
        pre_entries[k + 1] = pre_entries[k]
        pre_like[k + 1] = pre_like[k]
        pre_num[k + 1] = pre_num[k]

    lists: dict[int, int] = {}
    best: tuple[int, int] | None = None
    best_numbered: tuple[int, int] | None = None
    for c, i in enumerate(cands):
        hard_end = min(cands[c + 1] if c + 1 < len(cands) else n, nxt_break[i + 1] if i + 1 < n else n)
        if pre_num[hard_end] - pre_num[i + 1] >= 2:
            end = min(hard_end, stop_at[last_num[hard_end] + 1])
        else:
            end = min(hard_end, stop_at[i + 1] if i + 1 <= n else n)
        if pre_entries[end] - pre_entries[i + 1] == 0:
            continue
        first = next(k for k in range(i + 1, end) if is_entry_line[k])
        bare_names = is_references_heading(heading_text.get(i, contents[i]), unambiguous=True) and not _is_prose(
            contents[first]
        )
        if not (bare_names or pre_like[end] - pre_like[i + 1] > 0):
            continue
        best = (i, end)
        lists[i] = end
        if pre_num[end] - pre_num[i + 1] >= 2:
            best_numbered = (i, end)
    chosen = best_numbered or best
    if chosen is None:
        return stop, stop, stop, {}
    i, end = chosen
    return i, _numbered_run_start(contents, kinds, i, end, start), end, lists


def _numbered_run_start(contents: list[str], kinds: list[str], head: int, end: int, start: int) -> int:
    """Where the entries begin. When the list's first entry after its heading is numbered n > 1
    and entries n-1 … 1 come right before the heading (a PDF prints headings after their text),
    the list starts at entry 1."""
    first = next((k for k in range(head + 1, end) if _NUMBER_MARKER.match(contents[k])), None)
    if first is None:
        return head + 1
    m = _NUMBER_MARKER.match(contents[first])
    assert m is not None  # first was chosen because it matches
    want = int(m.group(1) or m.group(2)) - 1
    k = head - 1
    found = head + 1
    while want >= 1 and k >= start:
        if kinds[k] not in ("paragraph", "blank"):
            return head + 1
        m = _NUMBER_ANY.match(contents[k])
        if m and int(m.group(1) or m.group(2)) == want:
            found, want = k, want - 1
        k -= 1
    return found if want == 0 else head + 1


def _entries(contents: list[str], kinds: list[str], indent: list[int], lines: list[int]) -> list[list[int]]:
    """The entries of a reference list as runs of lines: a numbered list starts an entry at each
    next number; a bulleted one at each bullet; otherwise each line is an entry. A line indented
    deeper than its entry's first line, or following a numbered entry, carries it on."""
    numbered = any(_NUMBER_MARKER.match(contents[k]) for k in lines)
    bulleted = not numbered and any(_ENTRY_MARKER.match(contents[k]) for k in lines)
    entries: list[list[int]] = []
    expect = None
    prev = None
    for k in lines:
        m = (_NUMBER_MARKER if expect is None else _NUMBER_ANY).match(contents[k]) if numbered else None
        value = int(m.group(1) or m.group(2)) if m else None
        gap = prev is not None and any(not contents[j] for j in range(prev + 1, k))
        if numbered and value is not None and (expect is None or value == expect):
            entries.append([k])
            expect = value + 1
        elif bulleted and _ENTRY_MARKER.match(contents[k]):
            entries.append([k])
        elif entries and not gap and (numbered or indent[k] > indent[entries[-1][0]]):
            entries[-1].append(k)
        else:
            entries.append([k])
        prev = k
    return entries


def _link_index(contents: list[str], kinds: list[str], start: int, stop: int) -> tuple[int, dict[int, str]] | None:
    """A text browser's list of every link on the page ('References' then '1. http://…', as lynx
    and links print it), found by walking back from the end: (its heading line, number -> URL)."""
    index: dict[int, str] = {}
    k = stop - 1
    while k >= start:
        text = contents[k]
        m = _INDEX_ENTRY.match(text)
        if m:
            index[int(m.group(1))] = m.group(2)
        elif text and not _INDEX_SUBHEAD.match(text):
            break
        k -= 1
    if k < start or len(index) < 2 or not _INDEX_HEAD.match(contents[k]):
        return None
    return k, index


def _own_site(urls: list[str]) -> str | None:
    """The page's own site in its link index: the site that most links go to (menus, logo,
    related articles), when it takes a third of them."""
    sites = Counter(d for u in urls if (d := cit.site(u)))
    if not sites:
        return None
    site, count = sites.most_common(1)[0]
    return site if count >= 3 and count * 3 >= len(urls) else None


# ---------------------------------------------------------------- headings


def _gap_norm(units: list[Unit], blank_before: list[int]) -> int:
    """How many blank lines usually come before a paragraph of running text."""
    gaps = Counter(blank_before[u.start] for u in units[1:] if _is_prose(u.text))
    if not gaps:
        return 0
    top = max(gaps.values())
    return min(g for g, c in gaps.items() if c == top)


def _spaced_heads(units: list[Unit], blank_before: list[int], blank_after: list[int], norm: int) -> set[int]:
    """Lines set off by more blank lines than paragraphs are (two before a section, say), and
    no further from the text after them than from what comes before."""
    found = set()
    for k, u in enumerate(units):
        before = blank_before[u.start]
        if u.start != u.end or before <= norm or before < 1 or blank_after[u.end] > before or k + 1 >= len(units):
            continue
        if _BULLET.match(u.text) or not _is_heading_like(u.text):
            continue
        nxt = units[k + 1]
        if _is_prose(nxt.text) or (nxt.start == nxt.end and _is_heading_like(nxt.text)):
            found.add(u.start)
    return found


def _standalone_heads(units: list[Unit], contents: list[str], blank_before: list[int]) -> set[int]:
    """One-line paragraphs that read as headings, with blank lines around them and text after them
    (not an admonition label such as 'Note')."""
    found = set()
    for k, u in enumerate(units[:-1]):
        after = u.end + 1 < len(contents) and not contents[u.end + 1]
        if (
            u.start == u.end
            and blank_before[u.start] >= 1
            and after
            and _is_heading_like(u.text)
            and not _ADMONITION.match(u.text)
            and _is_prose(units[k + 1].text)
        ):
            found.add(u.start)
    return found


def _context_heads(
    units: list[Unit], known: set[int], never: set[int], blank_before: list[int], blank_after: list[int]
) -> dict[int, int | None]:
    """Headings of a plain scrape: heading-like lines between text.

    A heading-like line is a heading when running text follows it and what comes before it is
    text, a list item or nothing (not a lead-in ending with ':'). A run of two to RUN_MAX such
    lines (a heading and its sub-headings, or headings a PDF prints together) must follow text.
    Lines the layout already sets apart (``known``) are headings and count as heading-like.
    """
    found: dict[int, int | None] = {}
    like = [
        u.start in known
        or (
            u.start not in never
            and u.start == u.end
            and blank_after[u.end] <= blank_before[u.start]  # not set apart from the text it would head
            and _is_heading_like(u.text)
        )
        for u in units
    ]
    numbered = [bool(_BULLET.match(u.text)) for u in units]
    k = 0
    while k < len(units):
        if not like[k]:
            k += 1
            continue
        j = k  # a run; a numbered line stands alone (numbered lines in a row are a list)
        while j + 1 < len(units) and like[j + 1] and not numbered[j] and not numbered[j + 1]:
            j += 1
        prev = units[k - 1].text if k else None
        nxt = units[j + 1].text if j + 1 < len(units) else None
        prev_ok = (prev is None or _is_prose(prev) or bool(_BULLET.match(prev))) and not (prev and prev.endswith(":"))
        if nxt is not None and _is_prose(nxt) and prev_ok and (j == k or (j - k < RUN_MAX and prev is not None)):
            found.update((m, None) for m in range(k, j + 1))
        found.update((m, None) for m in range(k, j + 1) if units[m].start in known)
        k = j + 1
    return found


# ---------------------------------------------------------------- citations


def _urls_of(contents: list[str], glue: list[bool], run: list[int], in_list: bool) -> list[tuple[int, str]]:
    """(line, URL) for each web address written in a run of lines, URLs wrapped over lines rejoined.

    Only web addresses (http, https, ftp, www.) count; a reference entry also keeps a written
    javascript:/data: URL, so that a hostile entry is shown (never linked) rather than hidden."""
    starts: list[int] = []
    pieces: list[str] = []
    size = 0
    for k in run:
        sep = "" if not pieces or glue[k] else " "
        starts.append(size + len(sep))
        pieces.append(sep + contents[k])
        size += len(sep) + len(contents[k])
    text = "".join(pieces)
    found = cit.find_urls(text)
    if in_list:
        odd = [u for u in cit.find_urls(text, any_scheme=True) if u.split(":", 1)[0].lower() in _UNSAFE_SCHEMES]
        if odd:
            found = _in_order(text, found, odd)
    out = []
    pos = 0
    for url in found:
        at = text.find(url, pos)
        if at < 0:
            at = pos
        else:
            pos = at + len(url)
        out.append((run[bisect_right(starts, at) - 1], url))
    return out


def _in_order(text: str, *found: list[str]) -> list[str]:
    """Lists of URLs, each in text order, merged into one list in text order."""
    placed = []
    for urls in found:
        pos = 0
        for url in urls:
            at = text.find(url, pos)
            pos = at + len(url) if at >= 0 else pos
            placed.append((at if at >= 0 else pos, url))
    return [u for _, u in sorted(placed, key=lambda p: p[0])]


def _one_per_entry(links: list[Link]) -> list[Link]:
    """A reference entry's links without empty ones, or one link without a URL when it has none."""
    out: list[Link] = []
    for link in links:
        last = out[-1] if out else None
        if last is not None and link.in_list and last.in_list and last.line == link.line:  # the same entry
            if link.url is None:
                continue
            if last.url is None:
                out.pop()
        out.append(link)
    return out


def _join(contents: list[str], glue: list[bool], run: list[int]) -> str:
    return "".join((c if glue[k] or j == 0 else " " + c) for j, (k, c) in enumerate((k, contents[k]) for k in run))


# ---------------------------------------------------------------- the front end


def draft(text: str, name: str, origin: str | None = None) -> Draft:
    """Title, sections, reference list and links of decoded plain text (``name`` is unused).

    ``origin`` is the address the article was published at, if known: links to its site are not
    citations."""
    warnings: list[str] = []
    lines = split_lines(text)
    contents = [_content(line) for line in lines]
    indent = [_indent(line) for line in lines]
    n = len(lines)
    # Every line gets one kind; "paragraph" is the default for text until a rule claims it.
    kinds = ["blank" if not c else "rule" if not any(ch.isalnum() for ch in c) else "paragraph" for c in contents]
    blank_before = [0] * n
    for i in range(1, n):
        blank_before[i] = blank_before[i - 1] + 1 if not contents[i - 1] else 0
    blank_after = [0] * n
    for i in range(n - 2, -1, -1):
        blank_after[i] = blank_after[i + 1] + 1 if not contents[i + 1] else 0

    # 1. Code (console prompts) and page chrome, wherever they are.
    for i in range(n):
        if kinds[i] == "paragraph":
            if _is_code(contents[i]):
                kinds[i] = "code"
            elif _is_chrome(
                _LINK_MARK.sub("", contents[i]).strip() or contents[i],  # '[5]Share on Twitter': lynx numbers links
                i > 0 and kinds[i - 1] == "paragraph" and indent[i] > indent[i - 1],
            ):
                kinds[i] = "boilerplate"
    glue = _url_glue(contents, kinds)
    cont = _carries_on(contents, glue, indent)

    # 2. The layout: heading markup; or a dump that indents its text and sets headings flush left.
    marked = {i: h for i in range(n) if kinds[i] == "paragraph" and (h := _marked(contents, i, indent[i])) is not None}
    first_text = next((i for i in range(n) if kinds[i] == "paragraph" and _is_sentence(contents[i])), n)
    flush: list[int] | None = None
    if len(marked) < 2:
        long_lines = [i for i in range(n) if kinds[i] == "paragraph" and len(contents[i].split()) >= 8]
        indented = sum(1 for i in long_lines if indent[i] >= 2)
        left = [i for i in range(n) if kinds[i] == "paragraph" and indent[i] == 0]
        paragraphs = sum(1 for k in kinds if k == "paragraph")
        if len(long_lines) >= 3 and indented >= 0.8 * len(long_lines) and left and len(left) <= 0.2 * paragraphs:
            flush = left

    # 3. The title: stated by the layout, else the first line when it reads as one.
    t = _title_line(contents, kinds, marked, flush, first_text)
    title: str | None
    page_title: str | None
    if t is not None:
        title = marked.get(t, contents[t])
        page_title = None
        for i in range(t):
            if kinds[i] == "paragraph":
                kinds[i] = "boilerplate"
        title_words = {w.casefold() for w in _words(title)}
        above = next(  # a browser's page title above it: 'Headline | Site'
            (
                i
                for i in range(t)
                if len(title) < len(contents[i]) <= HEADING_MAX_CHARS
                and not cit.find_urls(contents[i])
                and title_words <= {w.casefold() for w in _words(contents[i])}
            ),
            None,
        )
        if above is not None:
            kinds[above], page_title = "page_title", contents[above]
        kinds[t] = "title"
        body_start = t + 1
    else:
        first = next((i for i in range(n) if kinds[i] == "paragraph"), n)
        title, page_title, body_start = _default_title(contents, kinds, first)
    if title is not None:  # later copies of the headline before the text starts are the title again
        for i in range(body_start, n):
            if kinds[i] == "paragraph" and _is_sentence(contents[i]):
                break
            if kinds[i] == "paragraph" and (_same(marked.get(i, contents[i]), title)):
                kinds[i] = "title_repeat"
    body_text = next((i for i in range(body_start, n) if kinds[i] == "paragraph" and _is_sentence(contents[i])), n)

    # 4. The article's end: a category or tag line, a pager or a comment thread after its text.
    body_end = next(
        (i for i in range(body_text + 1, n) if kinds[i] in ("paragraph", "boilerplate") and _is_end(contents[i])), n
    )
    trailing = [i for i in range(body_end, n) if kinds[i] in ("paragraph", "code")]
    for i in range(body_end, n):
        if kinds[i] in ("paragraph", "code"):
            kinds[i] = "boilerplate"

    # 5. A table of contents is chrome: its label and the entries under it, up to the first
    # heading it lists (or running text, or two blank lines).
    i = body_start
    while i < body_end:
        if kinds[i] == "paragraph" and _TOC.match(marked.get(i, contents[i])):
            kinds[i] = "boilerplate"
            listed: set[str] = set()
            j = i + 1
            while j < body_end and j not in marked and (kinds[j] != "paragraph" or not _is_sentence(contents[j])):
                if not contents[j] and j + 1 < body_end and not contents[j + 1]:
                    break
                if kinds[j] == "paragraph":
                    key = _toc_key(contents[j])
                    if key in listed:
                        break
                    listed.add(key)
                    kinds[j] = "boilerplate"
                j += 1
            i = j
        else:
            i += 1

    # 6. Headings the layout states: marked lines, flush-left lines of an indented dump, lines set off by blank lines.
    strict = len(marked) >= 2 or flush is not None
    if len(marked) >= 2:
        layout = {i for i in marked if body_start <= i < body_end and kinds[i] == "paragraph"}
        # Markup may stop at some level (pandoc's plain text underlines two levels only): below
        # it, a heading is a one-line paragraph between blank lines, where paragraphs are so spaced.
        prelim = _units(contents, kinds, glue, cont, {i: marked[i] for i in layout}, body_start, body_end)
        if _gap_norm(prelim, blank_before) >= 1:
            layout |= _standalone_heads(prelim, contents, blank_before)
    elif flush is not None:
        layout = {
            i for i in flush if body_start <= i < body_end and kinds[i] == "paragraph" and _is_heading_like(contents[i])
        }
    else:
        prelim = _units(contents, kinds, glue, cont, {}, body_start, body_end)
        norm = _gap_norm(prelim, blank_before)
        layout = _spaced_heads(prelim, blank_before, blank_after, norm) | {
            i for i in marked if body_start <= i < body_end
        }
    outlined = strict or len(_context_heads(prelim, layout, set(), blank_before, blank_after)) >= OUTLINED
    heading_text = {i: marked.get(i, contents[i]) for i in layout}

    # 7. A text browser's link index is not a reference list: its numbers resolve the [n] marks
    # in the text, and the links of the article's text that leave the site are citations.
    index: dict[int, str] = {}
    found_index = _link_index(contents, kinds, body_start, n)
    if found_index is not None:
        head, numbered_links = found_index
        if any(
            kinds[i] == "paragraph" and _LINK_MARK.search(contents[i]) for i in range(body_start, min(head, body_end))
        ):
            index = numbered_links
            for i in range(head, n):
                if kinds[i] in ("paragraph", "code"):
                    kinds[i] = "boilerplate"
            body_end = min(body_end, head)
    # The article's own site: the address it was published at, else the one its link index shows.
    own_site = cit.site(origin) or (_own_site(list(index.values())) if index else None)

    # 8. The reference list.
    refs_head, refs_first, refs_end, lists = _reference_list(
        contents, kinds, heading_text, sorted(layout), body_start, body_end, strict
    )
    found_refs = refs_head < body_end
    entries: list[list[int]] = []
    # The list's heading is a section when the layout sets it apart, and the article goes on
    # after it. A bare name ('Sources', not the label 'Sources:') is one too in an article with
    # headings, or set off by blank lines as a heading is (a label sits on its entries).
    refs_goes_on = found_refs and refs_head in layout
    set_off = found_refs and blank_before[refs_head] >= 1 and blank_after[refs_head] >= 1
    refs_is_section = refs_goes_on or (
        found_refs
        and (outlined or set_off)
        and not contents[refs_head].endswith(":")
        and _is_heading_like(contents[refs_head])
    )
    if refs_is_section:
        heading_text.setdefault(refs_head, contents[refs_head])
    if found_refs:
        kinds[refs_head] = "references_heading"
        span = [k for k in range(refs_first, refs_end) if k != refs_head and kinds[k] == "paragraph" and contents[k]]
        for k in span:
            kinds[k] = "reference"
        entries = _entries(contents, kinds, indent, span)
        if not refs_goes_on:
            # Reading lists right after it (Bibliography, Further reading) are back matter; the rest is chrome.
            back = refs_end
            while back in lists and back > refs_head:
                layout.add(back)
                heading_text[back] = contents[back]
                back = lists[back]
            after = [k for k in range(back, body_end) if kinds[k] in ("paragraph", "code")]
            for k in after:
                kinds[k] = "boilerplate"
            trailing = after + trailing
    if trailing:
        where = "the reference list" if found_refs and trailing[0] < body_end else "the end of the article"
        warnings.append(f"lines {trailing[0] + 1}-{trailing[-1] + 1} after {where} are treated as page chrome")

    # 9. Sections in the body.
    solo = {i: heading_text[i] for i in layout if kinds[i] in ("paragraph", "references_heading")}
    if refs_is_section:
        solo[refs_head] = heading_text[refs_head]
    if refs_is_section:
        kinds_for_units = kinds[:]
        kinds_for_units[refs_head] = "paragraph"
    else:
        kinds_for_units = kinds
    units = _units(contents, kinds_for_units, glue, cont, solo, body_start, body_end)
    entry_starts: set[int] = set()
    if refs_is_section:  # the list's entries are that section's entries (words, not sentences)
        entry_starts = {e[0] for e in entries}
        entry_units = [Unit(e[0], e[-1], _join(contents, glue, e)) for e in entries if e[0] > refs_head]
        units = sorted(units + entry_units, key=lambda u: u.start)
    headings: dict[int, int | None]
    if strict:
        headings = {k: None for k, u in enumerate(units) if u.start in solo}
    else:
        headings = _context_heads(units, set(solo), entry_starts, blank_before, blank_after)
    in_list = {k for k, u in enumerate(units) if u.start in entry_starts and k not in headings}
    raw_sections = group_sections(units, headings, warnings, in_list)
    if not raw_sections:
        warnings.append("no article text found between the title and the reference list")
    elif not headings:
        warnings.append("no headings found: the article is one section")
    for raw in raw_sections:
        if raw.head and kinds[raw.head.start] != "references_heading":
            kinds[raw.head.start] = "heading"

    # 10. Citations: the reference list's entries, web addresses written in the body, and the
    # body's links that a link index resolves.
    links: list[Link] = []
    for entry in entries:
        urls: list[str | None] = [u for _, u in _urls_of(contents, glue, entry, True)] or [None]
        entry_text = _join(contents, glue, entry)
        links.extend(Link(entry[0], url, entry_text, True) for url in urls)
    head_lines = {u.start for k, u in enumerate(units) if k in headings}
    for u in units:
        if u.start in head_lines:
            continue
        run = [k for k in range(u.start, u.end + 1) if kinds[k] == "paragraph"]
        links.extend(
            Link(k, url, contents[k], False)
            for k, url in _urls_of(contents, glue, run, False)
            if not is_share_link(url)
        )
        for k in run if index else ():
            for mark in _LINK_MARK.finditer(contents[k]):
                url = index.get(int(mark.group(1)))
                if url and cit.find_urls(url) and not is_image_file(url) and not is_share_link(url):
                    links.append(Link(k, url, contents[k], False))
    links.sort(key=lambda link: link.line)
    if own_site:  # links to the article's own site are not citations; an entry keeps its place
        kept: list[Link] = []
        internal = 0
        for link in links:
            if link.url and cit.site(link.url) == own_site:
                internal += 1
                if not link.in_list:
                    continue
                link = Link(link.line, None, link.text, True)
            kept.append(link)
        links = _one_per_entry(kept)
        if internal and origin:
            warnings.append(f"{internal} link(s) to the article's own site ({own_site}) are not counted as citations")
    if not found_refs:
        warnings.append("no reference list found (a line such as 'Sources' or 'References:' followed by entries)")

    group = list(range(n))  # lines of one wrapped paragraph or one reference entry share a block
    for u in units:
        for i in range(u.start, u.end + 1):
            group[i] = u.start
    for entry in entries:
        for k in range(entry[0], entry[-1] + 1):
            group[k] = entry[0]
    return Draft(lines, kinds, title, page_title, raw_sections, links, warnings, group)
