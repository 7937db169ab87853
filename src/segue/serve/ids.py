"""Checking the ids and references that requests carry.

Track references may be bare ids, ``spotify:track:`` URIs or ``open.spotify.com``
links (what "Copy link" in Spotify gives); all become bare 22-character base-62 ids.
"""

from __future__ import annotations

import re

from segue.serve.errors import BadRequest

__all__ = [
    "MAX_PASTED",
    "MAX_TITLE",
    "check_playlist_id",
    "is_id",
    "parse_track_refs",
]

MAX_TITLE = 200
"""Longest playlist title accepted, in characters."""
MAX_PASTED = 500
"""Most tracks accepted in one pasted playlist."""

_ID = re.compile(r"^[0-9A-Za-z]{22}$")
_REF = re.compile(
    r"^(?:spotify:track:|https?://open\.spotify\.com/(?:intl-[a-z-]+/)?track/)?"
    r"(?P<id>[0-9A-Za-z]{22})(?:\?\S*)?$"
)
_PLAYLIST = re.compile(r"^[0-9A-Za-z:._-]{1,64}$")


def is_id(value: str) -> bool:
    """Whether ``value`` is a Spotify id: exactly 22 base-62 characters."""
    return bool(_ID.match(value))


def parse_track_refs(refs: list[str]) -> list[str]:
    """Bare track ids of pasted references, in order, duplicates dropped.

    Raises
    ------
    BadRequest
        A reference is not a track id, URI or link, or there are too many.
    """
    cleaned = [r.strip() for r in refs if r.strip()]
    if len(cleaned) > MAX_PASTED:
        raise BadRequest(f"too many tracks: at most {MAX_PASTED}")
    out: list[str] = []
    for k, ref in enumerate(cleaned):
        match = _REF.match(ref)
        if match is None:
            shown = ref if len(ref) <= 40 else ref[:37] + "..."
            raise BadRequest(
                f"track {k + 1} ({shown!r}) is not a Spotify track id, URI or link"
            )
        if match["id"] not in out:
            out.append(match["id"])
    return out


def check_playlist_id(value: str) -> str:
    """Return a catalog playlist id after checking its length and characters.

    Raises
    ------
    BadRequest
        It is empty, longer than 64 characters, or has other characters than
        letters, digits and ``:._-``.
    """
    if not _PLAYLIST.match(value):
        raise BadRequest("invalid playlist id")
    return value
