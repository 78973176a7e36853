"""What counts as a word, for the parser's counts and for key terms and the audit alike.

>>> words("Ketamine's effect lasts 2-3 days; see https://example.org/x.")
["Ketamine's", 'effect', 'lasts', '2-3', 'days', 'see', 'https://example.org/x.']
"""

from __future__ import annotations

import re

# A URL is one word; otherwise runs of letters and digits, with inner apostrophes and hyphens.
WORD_RE = re.compile(r"(?:https?://|www\.)\S+|[^\W_]+(?:['’\-][^\W_]+)*")


def words(text: str) -> list[str]:
    """The words of ``text`` in order."""
    return WORD_RE.findall(text)
