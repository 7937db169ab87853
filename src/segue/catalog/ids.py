"""Spotify ids and URIs, and deterministic ids for entities that lack one.

Datasets such as the reduced Million Playlist Dataset name an artist but give no
``artist_uri``. segue then derives a Spotify-shaped id (22 base-62 characters) from the
kind of entity and its normalised name, so that every import of the same data agrees.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

__all__ = ["BASE62", "derived_id", "is_spotify_id", "parse_uri", "uri"]

BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

_ID = re.compile(r"^[0-9A-Za-z]{22}$")
_URI = re.compile(r"^spotify:(?P<kind>[a-z]+):(?P<id>[0-9A-Za-z]{22})$")


def is_spotify_id(value: str) -> bool:
    """Tell whether ``value`` has the shape of a Spotify id (22 base-62 characters)."""
    return bool(_ID.match(value))


def parse_uri(value: str, kind: str) -> str:
    """Return the id of a ``spotify:KIND:ID`` URI, or of a bare id.

    Parameters
    ----------
    value
        A URI such as ``spotify:track:4uLU6hMCjMI75M1A2tKUQC`` or a bare id.
    kind
        The expected entity kind (``track``, ``artist``, ``album``, ``playlist``).

    Raises
    ------
    ValueError
        ``value`` is neither a URI of that kind nor a bare id.
    """
    if _ID.match(value):
        return value
    match = _URI.match(value)
    if match is None or match["kind"] != kind:
        raise ValueError(f"not a Spotify {kind} URI or id: {value!r}")
    return match["id"]


def uri(kind: str, id_: str) -> str:
    """Return the Spotify URI ``spotify:KIND:ID``."""
    return f"spotify:{kind}:{id_}"


def _normalise(name: str) -> str:
    text = unicodedata.normalize("NFKC", name).casefold()
    return " ".join(text.split())


def derived_id(kind: str, *names: str) -> str:
    """Derive a stable Spotify-shaped id from an entity kind and its names.

    Parameters
    ----------
    kind
        ``artist`` or ``album``; part of the hash so that an artist and an album of
        the same name get different ids.
    *names
        The entity's name, then any names that disambiguate it (an album's artist).

    Returns
    -------
    str
        22 base-62 characters, equal for equal (case- and space-insensitive) names.
    """
    key = "\x1f".join([kind, *(_normalise(n) for n in names)])
    number = int.from_bytes(hashlib.blake2b(key.encode(), digest_size=17).digest())
    chars = []
    for _ in range(22):
        number, digit = divmod(number, 62)
        chars.append(BASE62[digit])
    return "".join(chars)
