"""Bytes to text: the codec that gives the exact bytes back, or a clear refusal."""

from __future__ import annotations

import codecs

import charset_normalizer

from ..errors import ParseError

MAX_BYTES = 20 * 1024 * 1024


def decode(data: bytes) -> tuple[str, str, list[str]]:
    """Text, the codec that re-encodes it to the same bytes, and warnings.

    A byte-order mark wins, then strict UTF-8; only then a guess. Charset detectors misread
    short Western text (cp1252 taken for cp1250), so cp1252 is tried before the detector
    unless the result would be mostly accented letters, the sign of another script.
    """
    if len(data) > MAX_BYTES:
        raise ParseError(f"the file is {len(data) / 2**20:.1f} MB; the limit is {MAX_BYTES / 2**20:.0f} MB")
    # The UTF-16 codecs named by byte order keep the mark as a U+FEFF character in the text, so
    # encoding the text again gives back the same bytes; _content() leaves it out of the words.
    boms = (("utf-8-sig", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"))
    for codec, bom in boms:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as e:
                raise ParseError(f"the file starts with a {codec} byte-order mark but is not valid {codec}") from e
            if text.encode(codec) == data:
                return text, codec, []
    if b"\x00" in data:
        # UTF-16 without a mark: text in a Latin script has a NUL in every other byte.
        for codec, parity in (("utf-16-le", 1), ("utf-16-be", 0)):
            half = data[parity::2]
            if len(data) % 2 == 0 and half and half.count(0) / len(half) >= 0.6:
                try:
                    text = data.decode(codec)
                except UnicodeDecodeError:
                    continue
                if "\x00" not in text:
                    return text, codec, [f"the file has no byte-order mark; it was read as {codec}"]
        raise ParseError("the file looks binary (it contains NUL bytes), not text")
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
        letters = [c for c in text if c.isalpha()]
        if not letters or sum(ord(c) > 127 for c in letters) / len(letters) <= 0.5:
            return text, "cp1252", ["the file is not UTF-8; it was read as cp1252 (Windows Western)"]
    except UnicodeDecodeError:
        pass
    guess = _detect(data)
    if guess:
        return guess[0], guess[1], [f"the file is not UTF-8; it was read as {guess[1]} (a guess)"]
    return data.decode("latin-1"), "latin-1", ["the file is not UTF-8; it was read as latin-1"]


def _detect(data: bytes) -> tuple[str, str] | None:
    """charset-normalizer's best guess, kept only if it gives back the same bytes."""
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        return None
    codec = codecs.lookup(best.encoding).name
    text = str(best)
    try:
        return (text, codec) if text.encode(codec) == data else None
    except (UnicodeEncodeError, LookupError):
        return None
