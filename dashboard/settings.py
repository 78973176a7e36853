"""Every deployment setting, declared once, and the only module that reads the environment.

A setting is an environment variable (Streamlit secrets at the root level become environment
variables too, so the same names work in `.streamlit/secrets.toml`). Each is declared once in
:data:`SETTINGS` with its name, default, type, meaning and bounds; the rest of the package asks
this module for values (``settings.sqlite_path()``, ``settings.value(settings.FETCH_TIMEOUT)``)
and never reads ``os.environ`` itself. README's *Settings* table is this registry (a test holds
them together; ``python -m dashboard.settings`` prints the table).

>>> setting(FETCH_TIMEOUT).default, setting(FETCH_TIMEOUT).shown_default
(10.0, '10')
>>> setting(MAX_UPLOAD_MB).read({MAX_UPLOAD_MB: "2.5"})
2.5
>>> setting(MAX_UPLOAD_MB).read({MAX_UPLOAD_MB: "lots"})  # unreadable or out of bounds: the default
5.0

The fixed limits (heading length, search length, term counts, the parse cap, the extraction time,
...) are not settings: each is a named constant in the module that enforces it, and
:data:`LIMITS` lists where, so the documentation can be checked against the code.

To add a setting: declare it in ``SETTINGS`` (and, if callers want one, an accessor below), then
run ``python -m dashboard.settings`` and paste the table into README's *Settings* section.
"""

from __future__ import annotations

import importlib
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
log = logging.getLogger(__name__)

# The environment variables' names (tests and deployment scripts set them by these constants).
DATABASE_URL = "ARTICLE_LENS_DATABASE_URL"
SQLITE_PATH = "ARTICLE_LENS_SQLITE_PATH"
MAX_UPLOAD_MB = "ARTICLE_LENS_MAX_UPLOAD_MB"
FETCH_TIMEOUT = "ARTICLE_LENS_FETCH_TIMEOUT"
ALLOW_LOOPBACK_URLS = "ARTICLE_LENS_ALLOW_LOOPBACK_URLS"
RAW_DIR = "ARTICLE_LENS_RAW_DIR"
PARSED_DIR = "ARTICLE_LENS_PARSED_DIR"
PARSE_WORKERS = "ARTICLE_LENS_PARSE_WORKERS"
PARSE_QUEUE = "ARTICLE_LENS_PARSE_QUEUE"
PARSE_SECONDS = "ARTICLE_LENS_PARSE_SECONDS"
PARSE_MEMORY_MB = "ARTICLE_LENS_PARSE_MEMORY_MB"
CHECK_SECONDS = "ARTICLE_LENS_CHECK_SECONDS"
CHECK_AT_ONCE = "ARTICLE_LENS_CHECK_AT_ONCE"

_warned: set[tuple[str, str]] = set()
_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off", "")


@dataclass(frozen=True)
class Setting:
    """One environment variable: what it is called, what it holds when unset, and what it means."""

    name: str
    type: type  # str, Path, float or bool
    default: Any  # the value when the variable is unset, empty or unusable (None: unset)
    help: str  # what it means, as README's Settings table says it
    above: float | None = None  # numbers: the value must be greater than this, else the default applies

    def read(self, environ: Mapping[str, str] | None = None) -> Any:
        """The value in ``environ`` (the process environment by default); the default when the
        variable is unset or empty, or a number cannot be read or is outside its bounds."""
        raw = (os.environ if environ is None else environ).get(self.name, "").strip()
        if not raw:
            return self.default
        if self.type is bool:
            if raw.lower() in _TRUE or raw.lower() in _FALSE:
                return raw.lower() in _TRUE
            return self._unusable(raw, "is not on or off")
        if self.type is float:
            try:
                number = float(raw)
            except ValueError:
                return self._unusable(raw, "is not a number")
            if number != number or number == float("inf"):
                return self._unusable(raw, "is not a finite number")
            if self.above is not None and number <= self.above:
                return self._unusable(raw, f"must be more than {self.above:g}")
            return number
        if self.type is Path:
            return Path(raw)
        return raw

    def _unusable(self, raw: str, why: str) -> Any:
        if (self.name, raw) not in _warned:  # once per value, not on every read
            _warned.add((self.name, raw))
            log.warning("%s=%r %s; using the default, %s", self.name, raw[:40], why, self.shown_default)
        return self.default

    @property
    def shown_default(self) -> str:
        """The default as the documentation writes it."""
        if self.default is None:
            return "unset"
        if self.type is bool:
            return "on" if self.default else "off"
        if isinstance(self.default, Path):
            try:
                return self.default.relative_to(ROOT).as_posix()
            except ValueError:
                return str(self.default)
        if isinstance(self.default, float):
            return f"{self.default:g}"
        return str(self.default)


SETTINGS: tuple[Setting, ...] = (
    Setting(DATABASE_URL, str, None, "PostgreSQL URL; when set, the library lives there"),
    Setting(SQLITE_PATH, Path, ROOT / "data" / "library.sqlite3", "SQLite file otherwise"),
    Setting(
        MAX_UPLOAD_MB,
        float,
        5.0,
        "size cap in MiB for pasted, uploaded and loaded articles (more than 0)",
        above=0,
    ),
    Setting(
        FETCH_TIMEOUT,
        float,
        10.0,
        "seconds a URL load may take, redirects included (more than 0)",
        above=0,
    ),
    Setting(ALLOW_LOOPBACK_URLS, bool, False, "`1` lets URL loading reach 127.0.0.1 (tests only)"),
    Setting(RAW_DIR, Path, ROOT / "data" / "raw", "folder of the bundled articles' sources"),
    Setting(
        PARSED_DIR,
        Path,
        ROOT / "data" / "parsed",
        "folder of their parses, and where `python -m dashboard parse` writes by default",
    ),
    Setting(
        PARSE_WORKERS,
        float,
        2.0,
        "worker processes of the served app that parse added articles at once (a whole number, 1 or more)",
        above=0,
    ),
    Setting(
        PARSE_QUEUE,
        float,
        4.0,
        "added articles that may wait for a parse worker; one more is told to try again (0 or more)",
        above=-1,
    ),
    Setting(
        PARSE_SECONDS,
        float,
        30.0,
        "seconds of wall clock, and of CPU, a parse worker may spend on one added article (more than 0)",
        above=0,
    ),
    Setting(
        PARSE_MEMORY_MB,
        float,
        1024.0,
        "address space in MiB of one parse worker; an article that needs more is refused (more than 0)",
        above=0,
    ),
    Setting(
        CHECK_SECONDS,
        float,
        120.0,
        "seconds a check of an article's cited pages may take in all; pages not reached by then are "
        "marked `timeout` (more than 0; each page also has `ARTICLE_LENS_FETCH_TIMEOUT`)",
        above=0,
    ),
    Setting(
        CHECK_AT_ONCE,
        float,
        4.0,
        "cited pages fetched at once by a check (a whole number, 1 or more)",
        above=0,
    ),
)
_BY_NAME = {s.name: s for s in SETTINGS}


def setting(name: str) -> Setting:
    """The declaration of the setting called ``name`` (KeyError for a name never declared)."""
    return _BY_NAME[name]


def value(name: str) -> Any:
    """The setting's current value, read from the environment now (tests change it as they go)."""
    return _BY_NAME[name].read()


# Accessors, typed, for the settings the package reads.
def database_url() -> str | None:
    url: str | None = value(DATABASE_URL)
    return url


def sqlite_path() -> Path:
    return Path(value(SQLITE_PATH))


def max_upload_bytes() -> int:
    return int(float(value(MAX_UPLOAD_MB)) * 1024 * 1024)


def fetch_timeout() -> float:
    return float(value(FETCH_TIMEOUT))


def allow_loopback_urls() -> bool:
    return bool(value(ALLOW_LOOPBACK_URLS))


def parse_workers() -> int:
    return max(1, round(float(value(PARSE_WORKERS))))


def parse_queue() -> int:
    return max(0, round(float(value(PARSE_QUEUE))))


def parse_seconds() -> float:
    return float(value(PARSE_SECONDS))


def parse_memory_bytes() -> int:
    return int(float(value(PARSE_MEMORY_MB)) * 1024 * 1024)


def check_seconds() -> float:
    return float(value(CHECK_SECONDS))


def check_at_once() -> int:
    return max(1, round(float(value(CHECK_AT_ONCE))))


def raw_dir() -> Path:
    return Path(value(RAW_DIR))


def parsed_dir() -> Path:
    return Path(value(PARSED_DIR))


DEFAULT_MAX_UPLOAD_MB: float = setting(MAX_UPLOAD_MB).default
DEFAULT_FETCH_TIMEOUT: float = setting(FETCH_TIMEOUT).default


def markdown_table() -> str:
    """README's Settings table, made from the registry."""
    rows = ["| variable | default | meaning |", "|---|---|---|"]
    for s in SETTINGS:
        default = s.shown_default if s.default is None or s.type is bool else f"`{s.shown_default}`"
        rows.append(f"| `{s.name}` | {default} | {s.help} |")
    return "\n".join(rows) + "\n"


# ------------------------------------------------------------------------------------------------
# The fixed limits: each a named constant where it is enforced, listed here for the docs and tests.


@dataclass(frozen=True)
class Limit:
    """A fixed bound of the app, declared once as ``constant`` (``module:NAME``) in the module
    that enforces it; ``value`` imports that module when asked."""

    constant: str
    unit: str
    help: str

    @property
    def value(self) -> Any:
        module, _, name = self.constant.partition(":")
        return getattr(importlib.import_module(module), name)

    @property
    def shown(self) -> str:
        """The value as the documentation writes it: 2,000 / 20 MiB / 2 MiB + 64 KiB / 15 s."""
        value = self.value
        if self.unit == "bytes":
            mib, rest = divmod(int(value), 2**20)
            if not rest:
                return f"{mib} MiB"
            return f"{mib} MiB + {rest // 1024} KiB" if mib else f"{rest // 1024} KiB"
        if self.unit == "seconds":
            return f"{value:g} s"
        if self.unit == "MiB":
            return f"{value:g} MiB"
        return f"{value:,}"


def limits_table() -> str:
    """The limits as a Markdown table (docs/settings.md); imports the modules that declare them."""
    rows = ["| limit | value | declared in |", "|---|---|---|"]
    for limit in LIMITS.values():
        module, _, name = limit.constant.partition(":")
        path = module.replace(".", "/") + ".py"
        unit = "" if limit.unit in ("bytes", "seconds", "MiB") else f" {limit.unit}"
        rows.append(f"| {limit.help} | {limit.shown}{unit} | `{path}` `{name}` |")
    return "\n".join(rows) + "\n"


LIMITS: dict[str, Limit] = {
    "heading_words": Limit("dashboard.parse.text:HEADING_MAX_WORDS", "words", "a plain-text heading"),
    "heading_chars": Limit("dashboard.parse.text:HEADING_MAX_CHARS", "characters", "a plain-text heading"),
    "parse_bytes": Limit("dashboard.parse.decoding:MAX_BYTES", "bytes", "input the parser reads"),
    "extract_seconds": Limit("dashboard.parse.html:EXTRACT_SECONDS", "seconds", "main-content extraction of a page"),
    "extract_overdue": Limit(
        "dashboard.parse.html:MAX_OVERDUE", "extractions", "abandoned extractions running before pages get plain text"
    ),
    "html_depth": Limit("dashboard.parse.html:MAX_DEPTH", "levels", "markup nesting before containers are flattened"),
    "search_chars": Limit("dashboard.inputs:MAX_QUERY_CHARS", "characters", "a search or pattern"),
    "highlights": Limit("dashboard.render:MAX_MARKS", "matches", "highlighted matches per render"),
    "kwic_rows": Limit("dashboard.search:KWIC_LIMIT", "rows", "keyword-in-context rows per render"),
    "terms_min": Limit("dashboard.inputs:TERMS_MIN", "terms", "terms and bigrams shown, fewest"),
    "terms_max": Limit("dashboard.inputs:TERMS_MAX", "terms", "terms and bigrams shown, most"),
    "terms_default": Limit("dashboard.inputs:TERMS_DEFAULT", "terms", "terms and bigrams shown, by default"),
    "stopwords_words": Limit("dashboard.inputs:MAX_WORDS_IN_LIST", "words", "a list of extra or kept stopwords"),
    "stopwords_chars": Limit("dashboard.inputs:MAX_WORD_LIST_CHARS", "characters", "a stopword list in a link"),
    "compare_articles": Limit("dashboard.inputs:MAX_COMPARE", "articles", "articles side by side in Compare"),
    "upload_default_mb": Limit(
        "dashboard.settings:DEFAULT_MAX_UPLOAD_MB", "MiB", "an added article's size, by default"
    ),
    "fetch_redirects": Limit("dashboard.fetch:MAX_REDIRECTS", "redirects", "redirects a URL load follows"),
    "check_redirects": Limit(
        "dashboard.check.page:MAX_REDIRECTS", "redirects", "redirects a cited page's check follows"
    ),
    "check_read_seconds": Limit("dashboard.check.page:READ_SECONDS", "seconds", "reading a cited page's text"),
    "check_pdf_pages": Limit("dashboard.check.page:MAX_PDF_PAGES", "pages", "pages of a cited PDF read"),
    "checks_at_once": Limit(
        "dashboard.check:MAX_CHECKS_AT_ONCE", "checks", "checks of cited pages one server runs at once"
    ),
    "link_fields": Limit("dashboard.viewstate:STREAMLIT_MAX_FIELDS", "parameters", "a link Streamlit opens whole"),
    "link_bytes": Limit("dashboard.viewstate:STREAMLIT_MAX_CHARS", "bytes", "a link Streamlit opens whole"),
    "kept_value_chars": Limit("dashboard.viewstate:MAX_KEPT_VALUE_CHARS", "characters", "a value in a shortened link"),
    "request_head_bytes": Limit("dashboard.serve:MAX_REQUEST_HEAD", "bytes", "a request head under `serve`"),
}


if __name__ == "__main__":
    import sys

    print(limits_table() if sys.argv[1:] == ["--limits"] else markdown_table(), end="")
