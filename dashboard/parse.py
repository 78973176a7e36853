"""Parse a scraped plain-text article into an :class:`Article`.

The parser works on lines. Every source line lands in exactly one block, so
``article.rebuild_bytes()`` gives back the source byte for byte. The rules are
general ones for scraped pages (see docs/parsing.md), not rules fitted to one file.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from syntok import segmenter

from . import citations as cit
from .model import Article, Block, Boilerplate, Citation, ParseError, Section, Source

MAX_BYTES = 20 * 1024 * 1024
HEADING_MAX_WORDS = 15
HEADING_MAX_CHARS = 120

WORD_RE = re.compile(r"(?:https?://|www\.)\S+|[^\W_]+(?:['’\-][^\W_]+)*")
_CLOSERS = "\"'”’)]*_ "
_SENTENCE_END = (".", "!", "?", "…", ":", ";", ",")
_BULLET = re.compile(r"^\s*[-*•·–—>]\s")
_CONCLUSION = re.compile(
    r"^(?:in conclusion|to conclude|in summary|to summari[sz]e|to sum up|in sum|all in all|in closing|overall,)\b",
    re.IGNORECASE,
)
_REFERENCES = re.compile(
    r"^\W{0,3}(?:citations?|sources?|references?|bibliography|works cited|further reading|footnotes|notes|resources)"
    r"\s*:?\s*$",
    re.IGNORECASE,
)
_REFERENCE_ENTRY = re.compile(r"(?i)https?://|www\.|\bdoi\b|^\s*(?:\[\d+\]|\d+[.)]|[-*•])\s|\b(?:19|20)\d\d\b")
_CHROME = re.compile(
    r"""(?ix)^(?:
        \d*\s*comments?(?:\s*\(\d+\))? | no\ comments:? | post\ a\ comment | leave\ a\ (?:reply|comment)
      | add\ (?:a\ )?comment | comments\ are\ closed\.? | reply | share(?:\ this(?:\ (?:post|article|page))?)?:?
      | share\ on\ \w+ | tweet | pin\ it | email\ this | blogthis!? | (?:labels?|tags?|categories|filed\ under):.*
      | posted\ (?:by|on|in)\ .* | newer\ posts? | older\ posts? | previous\ post | next\ post | home
      | subscribe(?:\ to)?:?.* | post\ comments\ \(atom\) | related\ (?:posts|articles):? | you\ may\ also\ like:?
      | read\ more | popular\ posts | powered\ by\ .* | (?:©|copyright|\(c\)).* | all\ rights\ reserved\.?
      | like\ this:? | loading\.\.\. | facebook | twitter | linkedin | pinterest | whatsapp | print | report\ abuse
    )$""",
)


@dataclass
class _Unit:
    """A paragraph (one or more wrapped lines) or a single line, by 0-based line index."""

    start: int
    end: int  # inclusive
    text: str  # the lines' content joined with single spaces


def slugify(text: str, max_len: int = 48) -> str:
    words = re.findall(r"[a-z0-9]+", text.lower())
    slug = ""
    for w in words:
        candidate = f"{slug}-{w}" if slug else w
        if len(candidate) > max_len and slug:
            break
        slug = candidate[:max_len]
    return slug or "article"


def decode(data: bytes) -> tuple[str, str, list[str]]:
    """Text, the codec that re-encodes it to the same bytes, and warnings."""
    if len(data) > MAX_BYTES:
        raise ParseError(f"the file is {len(data) / 1e6:.1f} MB; the limit is {MAX_BYTES / 1e6:.0f} MB")
    boms = (("utf-8-sig", b"\xef\xbb\xbf"), ("utf-16", b"\xff\xfe"), ("utf-16", b"\xfe\xff"))
    for codec, bom in boms:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as e:
                raise ParseError(f"the file starts with a {codec} byte-order mark but is not valid {codec}") from e
            if text.encode(codec) == data:
                return text, codec, []
    if b"\x00" in data:
        raise ParseError("the file looks binary (it contains NUL bytes), not text")
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError:
        pass
    for codec in ("cp1252", "latin-1"):
        try:
            return data.decode(codec), codec, [f"the file is not UTF-8; it was read as {codec}"]
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes any bytes")  # pragma: no cover


def _split_lines(text: str) -> list[str]:
    """Lines with their terminators; only \\n ends a line (a \\r stays with its line)."""
    parts = text.split("\n")
    lines = [p + "\n" for p in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def _content(line: str) -> str:
    return line.rstrip("\r\n").strip()


def _ends_sentence(text: str) -> bool:
    return text.rstrip(_CLOSERS).endswith(_SENTENCE_END)


def _words(text: str) -> list[str]:
    return WORD_RE.findall(text)


def _is_heading_like(text: str) -> bool:
    if not text or _ends_sentence(text) or _BULLET.match(text) or cit.find_urls(text):
        return False
    if len(text) > HEADING_MAX_CHARS or len(_words(text)) > HEADING_MAX_WORDS:
        return False
    first_letter = next((c for c in text if c.isalpha()), "")
    return first_letter.isupper() or text[0].isdigit()


def _is_prose(text: str) -> bool:
    return _ends_sentence(text) or len(_words(text)) > HEADING_MAX_WORDS


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _nonblank(contents: list[str], start: int, stop: int) -> Iterable[int]:
    return (i for i in range(start, stop) if contents[i])


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


def _units(lines: list[str], contents: list[str], start: int, stop: int) -> list[_Unit]:
    """Group lines into paragraphs: a hard-wrapped line continues the previous one."""
    units: list[_Unit] = []
    prev_blank = True
    for i in range(start, stop):
        text = contents[i]
        if not text:
            prev_blank = True
            continue
        if units and not prev_blank:
            last = units[-1]
            # A line that starts in lower case after one that ends mid-sentence continues it.
            ends = last.text.rstrip(_CLOSERS).endswith((".", "!", "?", "…", ":"))
            if (not ends and text[0].islower()) or last.text.endswith("-"):
                last.end, last.text = i, f"{last.text} {text}"
                prev_blank = False
                continue
        units.append(_Unit(i, i, text))
        prev_blank = False
    return units


def parse_text(
    text: str, *, path: str, sha256: str, encoding: str, size: int, warnings: list[str] | None = None
) -> Article:
    """Parse decoded plain text (see the module docstring)."""
    warnings = list(warnings or [])
    if not text.strip():
        raise ParseError("the article is empty (no text, only white space)")
    lines = _split_lines(text)
    contents = [_content(line) for line in lines]
    n = len(lines)
    kinds: list[str] = ["blank"] * n
    section_of: list[str | None] = [None] * n

    # 1. Title lines at the top: repeats collapse; a page title and an article title may both be there.
    title: str | None = None
    page_title: str | None = None
    body_start = 0
    top = list(_nonblank(contents, 0, n))
    if top and _is_heading_like(contents[top[0]]):
        first = top[0]
        kinds[first] = "title"
        title = contents[first]
        k = 1
        repeated = False
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
        body_start = top[k - 1] + 1
    else:
        warnings.append("no title line found at the top; the title is taken from the file name")
        title = Path(path).stem.replace("-", " ").replace("_", " ").strip().capitalize() or "Untitled"

    # 2. Page chrome at the end (comment widgets, share buttons): boilerplate.
    body_end = n
    while body_end > body_start and (not contents[body_end - 1] or _CHROME.match(contents[body_end - 1])):
        body_end -= 1
    for i in _nonblank(contents, body_end, n):
        kinds[i] = "boilerplate"

    # 3. The reference list: its heading line, then every entry up to the chrome.
    refs_start = body_end
    for i in reversed(range(body_start, body_end)):
        if _REFERENCES.match(contents[i]):
            entries = [contents[j] for j in _nonblank(contents, i + 1, body_end)]
            if entries and any(_REFERENCE_ENTRY.search(e) for e in entries):
                refs_start = i
            break
    found_refs = refs_start < body_end
    if found_refs:
        kinds[refs_start] = "references_heading"
        for i in _nonblank(contents, refs_start + 1, body_end):
            kinds[i] = "reference"

    # 4. Sections in the body: headings, an inferred Introduction and Conclusion.
    units = _units(lines, contents, body_start, refs_start)
    heading_idx = set()
    for u_i, unit in enumerate(units):
        prev_unit = units[u_i - 1] if u_i else None
        next_unit = units[u_i + 1] if u_i + 1 < len(units) else None
        if (
            unit.start == unit.end
            and _is_heading_like(unit.text)
            and next_unit is not None
            and _is_prose(next_unit.text)
            and (prev_unit is None or _BULLET.match(prev_unit.text) or _is_prose(prev_unit.text))
            and not (prev_unit and prev_unit.text.endswith(":"))
        ):
            heading_idx.add(u_i)
    last_heading = max(heading_idx, default=-1)

    raw_sections: list[dict] = []
    for u_i, unit in enumerate(units):
        if u_i in heading_idx:
            raw_sections.append({"heading": unit.text, "inferred": False, "units": [], "head": unit})
            continue
        if not raw_sections:
            raw_sections.append({"heading": "Introduction", "inferred": True, "units": [], "head": None})
            warnings.append("the text before the first heading has no heading; it is called 'Introduction'")
        current = raw_sections[-1]
        concluded = any(s["heading"] == "Conclusion" and s["inferred"] for s in raw_sections)
        if u_i > last_heading and current["units"] and not concluded and _CONCLUSION.match(unit.text):
            raw_sections.append({"heading": "Conclusion", "inferred": True, "units": [], "head": None})
            warnings.append(
                f"line {unit.start + 1} opens with a concluding phrase; a 'Conclusion' section starts there"
            )
        raw_sections[-1]["units"].append(unit)
    if not raw_sections:
        warnings.append("no article text found between the title and the reference list")
    elif not heading_idx:
        warnings.append("no headings found in the text")

    sections: list[Section] = []
    used_ids: set[str] = set()
    for s in raw_sections:
        sid = slugify(s["heading"])
        base, k = sid, 2
        while sid in used_ids:
            sid, k = f"{base}-{k}", k + 1
        used_ids.add(sid)
        parts = ([s["head"]] if s["head"] else []) + s["units"]
        start, end = parts[0].start, parts[-1].end
        sentences = [sent for u in s["units"] for sent in _sentences(u.text)]
        for u in parts:
            for i in range(u.start, u.end + 1):
                section_of[i] = sid
                kinds[i] = "paragraph"
        if s["head"]:
            kinds[s["head"].start] = "heading"
        sections.append(
            Section(
                id=sid,
                heading=s["heading"],
                inferred=s["inferred"],
                level=None,
                line_start=start + 1,
                line_end=end + 1,
                words=sum(len(_words(u.text)) for u in s["units"]),
                sentences=tuple(sentences),
            )
        )

    # 5. Citations: the reference list's entries, then URLs written in the body.
    cites: list[Citation] = []
    unlinked = 0
    for i in range(body_start, n):
        kind = kinds[i]
        if kind == "reference":
            urls = cit.find_urls(contents[i], any_scheme=True) or [None]
            unlinked += urls == [None]
        elif kind == "paragraph":
            urls = cit.find_urls(contents[i])
        else:
            continue
        for url in urls:
            info = cit.describe(url)
            cites.append(
                Citation(
                    url,
                    contents[i],
                    info.scheme,
                    info.host,
                    info.domain,
                    info.provider,
                    info.kind,
                    i + 1,
                    section_of[i],
                )
            )
    if not found_refs:
        warnings.append("no reference list found (a line such as 'Sources' or 'References:' followed by entries)")
    elif unlinked:
        warnings.append(f"the reference list has {unlinked} entr{'y' if unlinked == 1 else 'ies'} without a URL")

    group = list(range(n))  # lines of one wrapped paragraph share a block
    for u in units:
        for i in range(u.start, u.end + 1):
            group[i] = u.start
    blocks = _blocks(lines, kinds, section_of, group)
    boilerplate = tuple(
        Boilerplate(b.text.strip(), b.line_start, b.line_end) for b in blocks if b.kind == "boilerplate"
    )
    return Article(
        slug=slugify(Path(path).stem, max_len=80),
        source=Source(path=path, sha256=sha256, format="txt", encoding=encoding, bytes=size),
        title=title,
        page_title=page_title,
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


def parse_bytes(data: bytes, path: str) -> Article:
    """Decode and parse raw bytes; ``path`` names the source in the output."""
    text, encoding, warnings = decode(data)
    sha = hashlib.sha256(data).hexdigest()
    article = parse_text(text, path=path, sha256=sha, encoding=encoding, size=len(data), warnings=warnings)
    if article.rebuild_bytes() != data:  # pragma: no cover - guarded by tests; never ship a lossy parse
        raise ParseError("internal error: the parse does not rebuild the source exactly")
    return article


def parse_file(path: Path, display_path: str | None = None) -> Article:
    try:
        data = path.read_bytes()
    except OSError as e:
        raise ParseError(f"cannot read {path}: {e.strerror or e}") from e
    suffix = path.suffix.lower()
    if suffix not in (".txt", ".text", ""):
        raise ParseError(f"{path.name}: only plain-text articles (.txt) are supported so far")
    return parse_bytes(data, display_path or path.name)
