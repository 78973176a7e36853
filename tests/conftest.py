"""Shared fixtures: the seed article, a blocked network, and the --browser option."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from dashboard.parse import parse_file

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
