"""The one place where an error becomes what the user sees.

A :class:`~dashboard.errors.UserError` (bad input, parse, fetch, query, store, not found) shows
its own message. Anything else is a bug: the page shows a short apology with an id, and the
server's log has the traceback under that id. No traceback ever reaches the page.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar

import streamlit as st

from dashboard.errors import UserError
from dashboard.ui.widgets import note

log = logging.getLogger(__name__)
T = TypeVar("T")


def message_for(error: Exception, context: str = "") -> str:
    """What the user is told: ``context`` + the message of a UserError; for anything else an
    apology with a fresh 8-hex-digit id, logged with the traceback (call it in an ``except``)."""
    if isinstance(error, UserError):
        return context + str(error)
    error_id = secrets.token_hex(4)
    log.exception("unexpected error %s (%s)", error_id, context.rstrip(": ") or "rendering the page")
    return f"Sorry, something went wrong on our side (error id {error_id}). It has been logged."


@dataclass
class Outcome:
    """Whether the guarded block failed (and its message was shown)."""

    failed: bool = False


@contextmanager
def errors_shown(context: str = "") -> Iterator[Outcome]:
    """Run a block of the page; an exception ends the block and is shown as an error message."""
    outcome = Outcome()
    try:
        yield outcome
    except Exception as e:  # the one place: every error is shown, none as a traceback
        outcome.failed = True
        note(message_for(e, context), "error")


@contextmanager
def errors_kept(message_key: str, context: str = "") -> Iterator[Outcome]:
    """For a widget callback, which runs before the page is drawn: an exception ends the block and
    its message is kept in session state under ``message_key`` as ("error", text), for the page to show."""
    outcome = Outcome()
    try:
        yield outcome
    except Exception as e:  # the same contract as errors_shown, shown later
        outcome.failed = True
        st.session_state[message_key] = ("error", message_for(e, context))


def attempt(load: Callable[[], T], context: str = "") -> T | None:
    """``load()``, or None (with the error shown) when it fails."""
    with errors_shown(context) as outcome:
        return load()
    assert outcome.failed
    return None
