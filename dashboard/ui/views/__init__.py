"""One module per tab, each with one ``render(page)``; :data:`RENDERERS` maps the ``?view=`` values to them."""

from __future__ import annotations

from collections.abc import Callable

from dashboard.ui.page import Page
from dashboard.ui.views import audit, citations, compare, library, sections, terms, text

RENDERERS: dict[str, Callable[[Page], None]] = {
    "sections": sections.render,
    "terms": terms.render,
    "citations": citations.render,
    "audit": audit.render,
    "text": text.render,
    "compare": compare.render,
    "library": library.render,
}
