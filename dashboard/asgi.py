"""The dashboard as an ASGI app: Streamlit's server for ``app.py``, behind a guard for over-long links.

``python -m dashboard serve`` runs it under uvicorn with a larger request-head limit (see
``serve.py``); ``streamlit run dashboard/asgi.py`` runs it under Streamlit's own uvicorn set-up
(the guard, not the larger limit); ``streamlit run dashboard/app.py`` serves the page alone.
Both served ways also compress Streamlit's static files once and serve them from memory (see
``compress.py``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware
from starlette.responses import RedirectResponse
from starlette.types import ASGIApp, Receive, Scope, Send

if __package__ in (None, ""):  # `streamlit run dashboard/asgi.py` runs this file as a script
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dashboard import viewstate
from dashboard.compress import CompressMiddleware, element_modules


class LinkGuard:
    """Redirect a page request whose query string Streamlit would drop whole (over 1,000 fields or
    512 KiB) to the same page with the link shortened, so the viewer gets the view the link asked
    for, as far as it can be read, and a note, instead of a silent default view."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in ("GET", "HEAD"):
            query = scope.get("query_string", b"").decode("latin-1")
            if viewstate.too_long(query):
                # A query-only reference resolves against the page's own address, so it stays on this
                # host and keeps any path prefix a proxy added.
                response = RedirectResponse("?" + viewstate.shorten(query), status_code=303)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


# The dashboard's first view draws a plotly chart. Streamlit's frontend fetches plotly (4.7 MB,
# 1.2 MB as brotli) only when the chart's message arrives, after the page, its scripts, the
# websocket and the script run; named in the page, it downloads alongside the page's own modules
# instead (bench/FIRST_RENDER.md measures the gain). Only plotly: preloading every element the view
# uses queued some 80 more requests ahead of the websocket's and delayed the connection.
PRELOADED_ELEMENTS = ("PlotlyChart",)

app = st.App(
    Path(__file__).with_name("app.py"),
    middleware=[
        Middleware(LinkGuard),
        Middleware(CompressMiddleware, preload=element_modules(PRELOADED_ELEMENTS)),
    ],
)
