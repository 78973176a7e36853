"""The whole view as a small value, to and from the URL's query string.

Reading is forgiving: an unknown or malformed value falls back to its default, a number
out of range is clamped, a repeated key uses its last value, and each adds a note for the
user; it never raises.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from urllib.parse import urlencode, urlsplit, urlunsplit

from .search import MAX_QUERY_CHARS
from .terms import parse_word_list

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
MAX_COMPARE = 6
TOP_N_RANGE = (5, 50)
MAX_WORDS_IN_LIST = 50
MAX_WORD_LIST_CHARS = 1000


@dataclass(frozen=True)
class ViewState:
    article: str
    view: str = "sections"
    sections: tuple[str, ...] = ()  # empty = all sections
    q: str = ""
    word: bool = False  # whole-word search
    regex: bool = False  # the search is a regular expression (RE2)
    n: int = 15  # how many terms and bigrams to show
    stop_add: tuple[str, ...] = ()  # extra stopwords
    stop_keep: tuple[str, ...] = ()  # packaged stopwords to keep as terms
    compare: tuple[str, ...] = ()  # article ids side by side in the Compare view


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
    unknown_keys = [k for k in params if k not in {f.name for f in fields(ViewState)}]
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
        value = _one(params, key, notes)
        if value is None:
            continue
        if value.lower() in ("1", "true", "yes", "on"):
            state = replace(state, **{key: True})
        elif value.lower() not in ("0", "false", "no", "off", ""):
            notes.append(f"'{key}={value[:20]}' is not on or off; {what} is off")

    n = _one(params, "n", notes)
    if n is not None:
        lo, hi = TOP_N_RANGE
        try:
            value = int(n)
        except ValueError:
            notes.append(f"'n={n[:20]}' is not a number; showing {state.n} terms")
        else:
            if lo <= value <= hi:
                state = replace(state, n=value)
            else:
                notes.append(f"'n={value}' is outside {lo}-{hi}; showing {max(lo, min(hi, value))} terms")
                state = replace(state, n=max(lo, min(hi, value)))

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
