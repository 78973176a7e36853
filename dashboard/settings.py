"""Deployment settings, from environment variables (Streamlit secrets at the root level become
environment variables too, so the same names work in `.streamlit/secrets.toml`)."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

DATABASE_URL = "ARTICLE_LENS_DATABASE_URL"  # postgresql://user:password@host:5432/db -> PostgreSQL store
SQLITE_PATH = "ARTICLE_LENS_SQLITE_PATH"  # default: data/library.sqlite3
MAX_UPLOAD_MB = "ARTICLE_LENS_MAX_UPLOAD_MB"  # default: 5
ALLOW_LOOPBACK_URLS = "ARTICLE_LENS_ALLOW_LOOPBACK_URLS"  # "1" lets URL loading reach 127.0.0.1 (tests only)
FETCH_TIMEOUT = "ARTICLE_LENS_FETCH_TIMEOUT"  # seconds, default: 10

DEFAULT_MAX_UPLOAD_MB = 5.0


def database_url() -> str | None:
    return os.environ.get(DATABASE_URL) or None


def sqlite_path() -> Path:
    return Path(os.environ.get(SQLITE_PATH) or ROOT / "data" / "library.sqlite3")


def _float(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name, default))
    except ValueError:
        return default
    return value if value > 0 else default


def max_upload_bytes() -> int:
    return int(_float(MAX_UPLOAD_MB, DEFAULT_MAX_UPLOAD_MB) * 1024 * 1024)


def fetch_timeout() -> float:
    return _float(FETCH_TIMEOUT, 10.0)


def allow_loopback_urls() -> bool:
    return os.environ.get(ALLOW_LOOPBACK_URLS, "").lower() in ("1", "true", "yes")
