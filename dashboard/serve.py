"""``python -m dashboard serve``: ``streamlit run dashboard/asgi.py``, with room for long shared links.

Streamlit's own runner does the rest (config files, ``STREAMLIT_*`` environment variables, websocket
settings, logging), so the served app behaves as under ``streamlit run``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import uvicorn

ROOT = Path(__file__).resolve().parent.parent
ASGI = Path(__file__).with_name("asgi.py")

# uvicorn's HTTP parser (h11) refuses a request whose head arrives in pieces larger than 16 KiB
# by default, so a long shared link got a bare "400 Invalid HTTP request" before the app could
# say anything. Chromium sends URLs up to 2 MiB; this leaves 64 KiB for the request line and headers.
MAX_REQUEST_HEAD = 2 * 1024 * 1024 + 64 * 1024


class _Config(uvicorn.Config):
    """uvicorn's Config with h11 and the larger head limit as defaults. Streamlit 1.67 builds its
    server's Config as ``uvicorn.Config(...)`` with no say over this limit, hence the swap below."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("http", "h11")
        kwargs.setdefault("h11_max_incomplete_event_size", MAX_REQUEST_HEAD)
        super().__init__(*args, **kwargs)


def serve(address: str, port: int) -> int:
    config = Path.cwd() / ".streamlit" / "config.toml"
    if not (config.is_file() and config.samefile(ROOT / ".streamlit" / "config.toml")):
        print(f"error: run this from the project root ({ROOT}), where .streamlit/config.toml is", file=sys.stderr)
        return 2
    from streamlit.web import cli

    uvicorn.Config = _Config  # type: ignore[misc]  # Streamlit's server builds uvicorn.Config by that name
    args = ["run", str(ASGI), "--server.address", address, "--server.port", str(port)]
    # A served dashboard does not watch its own source for changes, as `streamlit run` does by default.
    args += ["--server.fileWatcherType", "none", "--server.headless", "true"]
    return cli.main(args, prog_name="streamlit", standalone_mode=False) or 0
