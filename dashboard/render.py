"""Article text as safe HTML: every character of user text is escaped; only our own tags remain."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

from .search import spans

MAX_MARKS = 2000  # highlights per render; past that, text shows unmarked


def escape(text: str) -> str:
    return html.escape(text, quote=True)


# Invisible and direction-changing characters (U+202E and friends, zero-width spaces): legitimate in
# prose, but in a URL or file name they can make it read as something it is not.
_INVISIBLE = re.compile(
    "[\u00ad\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]"
)


def visible(text: str) -> str:
    """``text`` with invisible and bidirectional control characters shown as <U+XXXX>."""
    return _INVISIBLE.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)


_MD_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")


def md_escape(text: str) -> str:
    """Text for Streamlit's Markdown elements shown literally: every ASCII punctuation
    mark is backslash-escaped (CommonMark), so no link, image, directive, math or HTML
    can come out of it; newlines become spaces.
    """
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def highlight(text: str, pattern: Any | None, budget: list[int] | None = None) -> str:
    """``text`` escaped, with matches of ``pattern`` wrapped in <mark>.

    ``budget`` is a one-item list holding how many marks may still be drawn; it is shared
    across calls so one render never draws more than MAX_MARKS.
    """
    budget = budget if budget is not None else [MAX_MARKS]
    out, pos = [], 0
    for a, b in spans(text, pattern):
        if budget[0] <= 0:
            break
        out.append(escape(text[pos:a]))
        out.append(f"<mark>{escape(text[a:b])}</mark>")
        budget[0] -= 1
        pos = b
    out.append(escape(text[pos:]))
    return "".join(out)


def section_html(heading: str, inferred: bool, sentences: Sequence[str], pattern: Any | None, budget: list[int]) -> str:
    """One section of the text view: heading (marked when inferred), match count, and its sentences."""
    notes = []
    if inferred:
        notes.append("heading inferred")
    if pattern is not None:
        n = sum(len(spans(s, pattern)) for s in sentences)
        notes.append(f"{n} match{'es' if n != 1 else ''}")
    note = f' <span class="al-inferred">({", ".join(notes)})</span>' if notes else ""
    body = " ".join(
        f'<span class="al-sent" data-n="{i}">{highlight(s, pattern, budget)}</span>'
        for i, s in enumerate(sentences, start=1)
    )
    return f'<section class="al-section"><h4>{escape(heading)}{note}</h4><p>{body}</p></section>'


TEXT_STYLE = """<style>
.al-section h4 { margin: 0.6rem 0 0.3rem 0; font-size: 1.05rem; }
.al-section p { line-height: 1.65; margin: 0 0 0.8rem 0; }
.al-section mark { background: #ffe066; padding: 0 1px; border-radius: 2px; }
.al-inferred { color: #6b7280; font-weight: normal; font-size: 0.85rem; }
</style>"""


def table_html(df: pd.DataFrame, css_class: str = "al-table") -> str:
    """A small table whose long text wraps (st.dataframe cuts it); every cell escaped."""
    head = "".join(f"<th>{escape(str(c))}</th>" for c in df.columns)
    rows = "".join(
        "<tr>" + "".join(f"<td>{escape('' if v is None else str(v))}</td>" for v in row) + "</tr>"
        for row in df.itertuples(index=False)
    )
    return f'<table class="{css_class}"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


TABLE_STYLE = """<style>
.al-table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
.al-table th { text-align: left; border-bottom: 2px solid #d0d7de; padding: 4px 8px; }
.al-table td { border-bottom: 1px solid #eaeef2; padding: 4px 8px; vertical-align: top; overflow-wrap: anywhere; }
</style>"""
