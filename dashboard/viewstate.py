"""The whole view as a small value, to and from the URL's query string.

Reading is forgiving: an unknown or malformed value falls back to its default, a number
out of range is clamped, a repeated key uses its last value, and each adds a note for the
user; it never raises.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from urllib.parse import unquote_plus, urlencode, urlsplit, urlunsplit

from .inputs import (
    MAX_COMPARE,
    MAX_QUERY_CHARS,
    MAX_WORD_LIST_CHARS,
    MAX_WORDS_IN_LIST,
    TERMS_DEFAULT,
    TERMS_MAX,
    TERMS_MIN,
    clamp_terms,
    parse_word_list,
)

VIEWS = ("sections", "terms", "citations", "audit", "text", "compare", "library")
VIEW_LABELS = {
    "sections": "Section lengths",
    "terms": "Key terms",
    "citations": "Citations",
    "audit": "Audit",
    "text": "Text & search",
    "compare": "Compare",
    "library": "Library",
}
TOP_N_RANGE = (TERMS_MIN, TERMS_MAX)  # the input bounds are declared in inputs.py

# Streamlit opens a link whose query string passes either limit as if it had no query at all
# (streamlit/runtime/state/query_params.py, 1.67), so the server shortens such a link first.
STREAMLIT_MAX_FIELDS = 1000
STREAMLIT_MAX_CHARS = 512 * 1024
SHORTENED = "shortened"  # the key a shortened link carries: "<fields>,<characters>" of the original
MAX_KEPT_VALUE_CHARS = 1000  # per parameter in a shortened link: no page limit is longer
# A character takes at most 12 characters percent-encoded (4 UTF-8 bytes), so values are cut to
# this before decoding: decoding work stays bounded however long the value.
_MAX_KEPT_ENCODED = 12 * MAX_KEPT_VALUE_CHARS
_LIST_KEYS = ("sections", "compare")
_MAX_EMBED_OPTIONS = 10  # Streamlit's own display options (?embed=true&embed_options=...) are kept too


@dataclass(frozen=True)
class ViewState:
    article: str
    view: str = "sections"
    sections: tuple[str, ...] = ()  # empty = all sections
    q: str = ""
    word: bool = False  # whole-word search
    regex: bool = False  # the search is a regular expression (RE2)
    n: int = TERMS_DEFAULT  # how many terms and bigrams to show
    stop_add: tuple[str, ...] = ()  # extra stopwords
    stop_keep: tuple[str, ...] = ()  # packaged stopwords to keep as terms
    compare: tuple[str, ...] = ()  # article ids side by side in the Compare view


LINK_KEYS = frozenset(f.name for f in fields(ViewState)) | {SHORTENED}
# The parameters a shortened link keeps, found by one scan (the link may hold two million fields);
# Streamlit reads its embed keys in any case, the page's own keys as written.
_KEPT = re.compile(
    r"(?:^|&)(" + "|".join(sorted(LINK_KEYS - {SHORTENED})) + r"|(?i:embed|embed_options))(?:=([^&]*))?(?=&|$)"
)


def too_long(query_string: str) -> bool:
    """Whether Streamlit would drop this query string whole (counted the way Streamlit counts)."""
    return len(query_string) > STREAMLIT_MAX_CHARS or query_string.count("&") + 1 > STREAMLIT_MAX_FIELDS


def shorten(query_string: str) -> str:
    """A link too long to open, cut to the parameters this page reads (the last value of each,
    list values joined) and Streamlit's embed options, each at most MAX_KEPT_VALUE_CHARS, with a
    marker so the page can say so. The result is always short enough to open."""
    last: dict[str, str] = {}
    lists: dict[str, list[str]] = {k: [] for k in _LIST_KEYS}
    list_chars = dict.fromkeys(_LIST_KEYS, 0)
    embed_options: dict[str, None] = {}
    for m in _KEPT.finditer(query_string):
        key, raw = m.group(1), m.group(2) or ""
        if key.lower() in ("embed", "embed_options"):
            key = key.lower()
        if key in _LIST_KEYS:
            if list_chars[key] <= MAX_KEPT_VALUE_CHARS:
                lists[key].append(unquote_plus(raw[:_MAX_KEPT_ENCODED]))
                list_chars[key] += len(lists[key][-1]) + 1
        elif key == "embed_options":
            if len(embed_options) < _MAX_EMBED_OPTIONS:
                embed_options[unquote_plus(raw[:200])[:40]] = None
        else:
            last[key] = raw
    pairs = [(k, unquote_plus(v[:_MAX_KEPT_ENCODED])[:MAX_KEPT_VALUE_CHARS]) for k, v in last.items()]
    pairs += [(k, ",".join(v)[:MAX_KEPT_VALUE_CHARS]) for k, v in lists.items() if v]
    pairs += [("embed_options", v) for v in embed_options]
    marker = (SHORTENED, f"{query_string.count('&') + 1},{len(query_string)}")
    short = urlencode([*pairs, marker])
    return short if not too_long(short) else urlencode([marker])


def _shortened_note(raw: str) -> str:
    fields_, _, chars = raw.partition(",")
    what = "too long to open as it was"
    if fields_.isdigit() and chars.isdigit() and len(raw) < 40:
        what = f"too long to open as it was ({int(fields_):,} parameters, {int(chars):,} characters)"
    return (
        f"the link was {what}, so only the parameters this page uses were kept, none longer than "
        f"{MAX_KEPT_VALUE_CHARS:,} characters. Links open whole up to {STREAMLIT_MAX_FIELDS:,} parameters "
        f"and {STREAMLIT_MAX_CHARS // 1024} KiB"
    )


def _values(params: Mapping[str, str | Sequence[str]], key: str) -> list[str]:
    v = params.get(key)
    if v is None:
        return []
    return [v] if isinstance(v, str) else [str(x) for x in v]


def _one(params: Mapping[str, str | Sequence[str]], key: str, notes: list[str]) -> str | None:
    vals = _values(params, key)
    if len(vals) > 1:
        notes.append(f"'{key}' was given {len(vals)} times in the link; the last one is used")
    return vals[-1] if vals else None


def _word_list(raw: str | None, key: str, notes: list[str]) -> tuple[str, ...]:
    if not raw:
        return ()
    if len(raw) > MAX_WORD_LIST_CHARS:
        notes.append(f"'{key}' in the link is too long; it was cut to {MAX_WORD_LIST_CHARS} characters")
        raw = raw[:MAX_WORD_LIST_CHARS]
    words = parse_word_list(raw)
    if len(words) > MAX_WORDS_IN_LIST:
        notes.append(f"'{key}' in the link lists {len(words)} words; the first {MAX_WORDS_IN_LIST} are used")
        words = words[:MAX_WORDS_IN_LIST]
    return words


def from_query(
    params: Mapping[str, str | Sequence[str]],
    *,
    articles: Sequence[str],
    default_article: str,
    sections_of: Callable[[str], Sequence[str]],
) -> tuple[ViewState, list[str]]:
    """The view a link asks for, and notes on whatever in it could not be used."""
    notes: list[str] = []
    shortened = _one(params, SHORTENED, [])
    if shortened is not None:
        notes.append(_shortened_note(shortened))
    unknown_keys = [k for k in params if k not in LINK_KEYS]
    if unknown_keys:
        shown = ", ".join(repr(k[:20]) for k in unknown_keys[:3]) + (", …" if len(unknown_keys) > 3 else "")
        notes.append(
            f"the link has {len(unknown_keys)} parameter{'s' if len(unknown_keys) != 1 else ''} this page "
            f"does not use ({shown}); ignored"
        )
    article = _one(params, "article", notes) or default_article
    if article not in articles:
        notes.append(f"article '{article[:80]}' is not available; showing the bundled article")
        article = default_article
    state = ViewState(article=article)

    view = _one(params, "view", notes)
    if view is not None:
        if view in VIEWS:
            state = replace(state, view=view)
        else:
            notes.append(f"unknown view '{view[:40]}'; showing {VIEW_LABELS[state.view]}")

    known = list(sections_of(article))
    asked = [s for raw in _values(params, "sections") for s in raw.split(",") if s.strip()]
    unknown = [s for s in asked if s not in known]
    if unknown:
        shown = ", ".join(f"'{s[:40]}'" for s in unknown[:5])
        notes.append(f"unknown section {shown} in the link was ignored")
    chosen = tuple(s for s in known if s in set(asked))
    state = replace(state, sections=chosen)

    q = _one(params, "q", notes)
    if q:
        if len(q) > MAX_QUERY_CHARS:
            notes.append(f"the search in the link was cut to {MAX_QUERY_CHARS} characters")
        state = replace(state, q=q[:MAX_QUERY_CHARS])

    for key, what in (("word", "whole-word search"), ("regex", "pattern search")):
        switch = _one(params, key, notes)
        if switch is None:
            continue
        if switch.lower() in ("1", "true", "yes", "on"):
            state = replace(state, word=True) if key == "word" else replace(state, regex=True)
        elif switch.lower() not in ("0", "false", "no", "off", ""):
            notes.append(f"'{key}={switch[:20]}' is not on or off; {what} is off")

    n = _one(params, "n", notes)
    if n is not None:
        try:
            asked_n = int(n)
        except ValueError:
            notes.append(f"'n={n[:20]}' is not a number; showing {state.n} terms")
        else:
            if asked_n != clamp_terms(asked_n):
                notes.append(f"'n={asked_n}' is outside {TERMS_MIN}-{TERMS_MAX}; showing {clamp_terms(asked_n)} terms")
            state = replace(state, n=clamp_terms(asked_n))

    state = replace(
        state,
        stop_add=_word_list(_one(params, "stop_add", notes), "stop_add", notes),
        stop_keep=_word_list(_one(params, "stop_keep", notes), "stop_keep", notes),
    )

    wanted = [a for raw in _values(params, "compare") for a in raw.split(",") if a.strip()]
    missing = [a for a in wanted if a not in articles]
    if missing:
        notes.append(f"article {', '.join(repr(a[:40]) for a in missing[:5])} to compare is not available")
    chosen_articles = tuple(dict.fromkeys(a for a in wanted if a in articles))
    if len(chosen_articles) > MAX_COMPARE:
        notes.append(f"at most {MAX_COMPARE} articles are compared; the first {MAX_COMPARE} are used")
        chosen_articles = chosen_articles[:MAX_COMPARE]
    return replace(state, compare=chosen_articles), notes


def to_query(state: ViewState, default_article: str) -> dict[str, str]:
    """Only what differs from the defaults, so links stay short and readable."""
    default = ViewState(article=default_article)
    out: dict[str, str] = {}
    for f in fields(ViewState):
        value = getattr(state, f.name)
        if value == getattr(default, f.name):
            continue
        if isinstance(value, bool):
            out[f.name] = "1" if value else "0"
        elif isinstance(value, tuple):
            out[f.name] = ",".join(value)
        else:
            out[f.name] = str(value)
    return out


def share_link(page_url: str | None, query: Mapping[str, str]) -> str:
    """The page's address with the view's query string; a relative link when the address is unknown."""
    parts = urlsplit(page_url or "")
    base = urlunsplit((parts.scheme, parts.netloc, parts.path or "/", "", ""))
    return base + ("?" + urlencode(query) if query else "")
