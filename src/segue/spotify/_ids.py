"""Spotify ids, URIs and open.spotify.com links; chunking of id lists.

Pure functions, no I/O. Every id-taking client method accepts any of the three forms::

    4uLU6hMCjMI75M1A2tKUQC
    spotify:track:4uLU6hMCjMI75M1A2tKUQC
    https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC?si=abc
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import TypeVar

from ._errors import ValidationError

__all__ = ["KINDS", "chunked", "parse_id", "to_uri", "unique"]

T = TypeVar("T")

KINDS = frozenset(
    {"track", "album", "artist", "playlist", "episode", "show", "audiobook", "chapter"}
)
"""Kinds whose ids are 22 base-62 characters (user ids are free-form)."""

_ID = re.compile(r"[0-9A-Za-z]{22}")
_URI = re.compile(r"spotify:(?P<kind>[a-z]+):(?P<id>[^:/?#\s]+)")
_URL = re.compile(
    r"https?://open\.spotify\.com/(?:intl-[a-z-]+/)?(?P<kind>[a-z]+)/"
    r"(?P<id>[^/?#\s]+)(?:[?#].*)?"
)


def parse_id(value: str, kind: str) -> str:
    """Return the bare id in ``value``, checking that it names a ``kind``.

    Parameters
    ----------
    value
        A bare id, a ``spotify:KIND:ID`` URI or an ``open.spotify.com`` link.
    kind
        Expected kind: ``track``, ``album``, ``artist``, ``playlist``, ``user``, ...

    Returns
    -------
    str
        The id.

    Raises
    ------
    ValidationError
        ``value`` is not an id of that kind.
    """
    if not isinstance(value, str):
        raise ValidationError(f"a Spotify {kind} id must be a str, not {type(value)}")
    text = value.strip()
    match = _URI.fullmatch(text) or _URL.fullmatch(text)
    if match is not None:
        if match["kind"] != kind:
            raise ValidationError(f"expected a {kind}, got a {match['kind']}: {text!r}")
        text = match["id"]
    if kind in KINDS:
        if _ID.fullmatch(text) is None:
            raise ValidationError(f"not a Spotify {kind} id: {value!r}")
    elif not text or any(c in text for c in ":/?#& "):
        raise ValidationError(f"not a Spotify {kind} id: {value!r}")
    return text


def to_uri(value: str, kind: str | None = None) -> str:
    """Return the ``spotify:KIND:ID`` URI for a URI, link or (with ``kind``) bare id.

    Parameters
    ----------
    value
        A URI, an ``open.spotify.com`` link, or a bare id when ``kind`` is given.
    kind
        The kind of a bare id. When given, URIs and links must be of that kind too.

    Raises
    ------
    ValidationError
        ``value`` is malformed, or a bare id was given without ``kind``.
    """
    text = value.strip() if isinstance(value, str) else value
    match = _URI.fullmatch(text) or _URL.fullmatch(text)
    if match is not None:
        found = match["kind"]
        if kind is not None and found != kind:
            raise ValidationError(f"expected a {kind}, got a {found}: {text!r}")
        return f"spotify:{found}:{parse_id(match['id'], found)}"
    if kind is None:
        raise ValidationError(f"not a Spotify URI (and no kind given): {value!r}")
    return f"spotify:{kind}:{parse_id(text, kind)}"


def chunked(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """Yield consecutive slices of ``items`` of at most ``size`` elements.

    Raises
    ------
    ValidationError
        ``size`` is less than 1.
    """
    if size < 1:
        raise ValidationError(f"chunk size must be at least 1, got {size}")
    for start in range(0, len(items), size):
        yield items[start : start + size]


def unique(items: Iterable[T]) -> list[T]:
    """Return ``items`` without repeats, first occurrence first."""
    return list(dict.fromkeys(items))
