"""Shared fixtures: the seed article, a blocked network, and the --browser option."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from dashboard.model import ParseError
from dashboard.parse import parse_bytes, parse_file

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "raw" / "ketamine-for-depression.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def seed():
    return parse_file(SEED, "data/raw/ketamine-for-depression.txt")


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test loudly."""
    attempts = []

    def refuse(self, address, *args, **kwargs):
        attempts.append(address)
        raise OSError(f"network blocked in this test (tried {address!r})")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: refuse(None, a[0] if a else None))
    return attempts


def assert_parses_losslessly(lines: list[str], eol: str, trailing: bool, name: str) -> None:
    """Join generated lines into a file; it must parse and rebuild exactly, or be refused plainly."""
    text = eol.join(lines) + (eol if trailing else "")
    data = text.encode("utf-8")
    try:
        art = parse_bytes(data, name)
    except ParseError:
        assert not text.strip() or "\x00" in text
        return
    assert art.rebuild_bytes() == data
    covered = [n for b in art.blocks for n in range(b.line_start, b.line_end + 1)]
    assert covered == list(range(1, len(covered) + 1))
    for s in art.sections:
        assert 1 <= s.line_start <= s.line_end <= len(covered)


def postgres_url() -> str:
    """The test PostgreSQL URL; skip where none is configured, fail where CI requires one."""
    url = os.environ.get("ARTICLE_LENS_TEST_DATABASE_URL")
    if not url:
        if os.environ.get("ARTICLE_LENS_REQUIRE_POSTGRES"):
            pytest.fail("ARTICLE_LENS_TEST_DATABASE_URL is not set but PostgreSQL is required")
        pytest.skip("PostgreSQL not configured: set ARTICLE_LENS_TEST_DATABASE_URL (tests/run.sh does)")
    return url
