"""What a viewer may ask for: the bounds of the view's inputs and how a word list is written.

One place for the URL reader (:mod:`.viewstate`), the widgets and the analysis (:mod:`.search`,
:mod:`.terms`) alike, with no imports, so the link guard in front of the page stays light.

>>> parse_word_list("Foo, bar;BAR  baz")
('bar', 'baz', 'foo')
>>> clamp_terms(80)
50
"""

from __future__ import annotations

import re

MAX_QUERY_CHARS = 200  # a search or pattern is cut to this many characters
TERMS_MIN, TERMS_MAX, TERMS_DEFAULT = 5, 50, 15  # terms and bigrams to show
MAX_COMPARE = 6  # articles side by side in the Compare view
MAX_WORDS_IN_LIST = 50  # extra or kept stopwords
MAX_WORD_LIST_CHARS = 1000  # a stopword list as written in a link

_SEPARATORS = re.compile(r"[\s,;]+")


def parse_word_list(text: str) -> tuple[str, ...]:
    """'foo, Bar  baz' -> ('bar', 'baz', 'foo'): sorted, de-duplicated, lower-cased."""
    return tuple(sorted({w for w in _SEPARATORS.split(text.lower()) if w}))


def clamp_terms(n: int) -> int:
    """``n`` brought into TERMS_MIN..TERMS_MAX."""
    return max(TERMS_MIN, min(TERMS_MAX, n))
