"""``python -m dashboard serve``: the dashboard under uvicorn, set up for links from strangers."""

from __future__ import annotations

import logging
import os

import uvicorn

# uvicorn's HTTP parser (h11) refuses a request whose head arrives in pieces larger than 16 KiB
# by default, so a long shared link got a bare "400 Invalid HTTP request" before the app could
# say anything. Chromium sends URLs up to 2 MB; this leaves room for headers on top.
MAX_REQUEST_HEAD = 4 * 1024 * 1024


def serve(address: str, port: int) -> None:
    # A log line per request would copy every shared link, however long, into the log; uvicorn's
    # access_log=False is not enough once Streamlit has put a handler on the root logger.
    logging.getLogger("uvicorn.access").disabled = True
    # A served dashboard does not watch its own source files for changes (a `streamlit run` habit).
    os.environ.setdefault("STREAMLIT_SERVER_FILE_WATCHER_TYPE", "none")
    uvicorn.run(
        "dashboard.asgi:app",
        host=address,
        port=port,
        http="h11",
        h11_max_incomplete_event_size=MAX_REQUEST_HEAD,
        ws="websockets-sansio",
        ws_per_message_deflate=False,  # as Streamlit's server.enableWebsocketCompression = false
        access_log=False,
        log_config=None,  # keep Streamlit's logging set-up
    )
