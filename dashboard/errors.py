"""Errors whose message is meant for the person using the app or the command line.

Every error the app or the CLI shows as it is derives from :class:`UserError`; its message is a
plain sentence, never a traceback. Anything else is a bug: the app shows a short apology and an
id, and logs the traceback on the server.

>>> try:
...     raise NotFoundError("no article with the id 0123456789abcdef in this library")
... except UserError as e:
...     print(e.kind, "-", e)
not found - no article with the id 0123456789abcdef in this library
"""

from __future__ import annotations


class UserError(Exception):
    """Something the user can act on; ``str(error)`` is what they see."""

    kind = "error"


class BadInputError(UserError, ValueError):
    """What the user gave cannot be used: an empty paste, no file chosen, an address that is not http(s)."""

    kind = "bad input"


class ParseError(BadInputError):
    """The article cannot be read or parsed (binary, too large, empty, no main text)."""

    kind = "parse"


class FetchError(BadInputError):
    """A page could not be loaded from its URL (refused, unreachable, too large, not text)."""

    kind = "fetch"


class QueryError(BadInputError):
    """A search pattern this search cannot use."""

    kind = "query"


class StoreError(UserError, RuntimeError):
    """The article library cannot be used (database unreachable, file not writable, locked)."""

    kind = "store"


class NotFoundError(UserError, LookupError):
    """No such article (or section) where the user asked for one."""

    kind = "not found"


class BusyError(UserError, RuntimeError):
    """The server is busy (every parse worker taken and the queue full); trying again later helps."""

    kind = "busy"
