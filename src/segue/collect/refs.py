"""Playlist references as users paste them: links, URIs and bare ids.

Accepted forms::

    https://open.spotify.com/playlist/37i9dQZF1DXcBWIGoYBM5M?si=0123abcd
    https://open.spotify.com/intl-de/playlist/37i9dQZF1DXcBWIGoYBM5M
    spotify:playlist:37i9dQZF1DXcBWIGoYBM5M
    37i9dQZF1DXcBWIGoYBM5M
"""

from __future__ import annotations

from segue.collect.errors import InvalidPlaylistRef
from segue.spotify import ValidationError, parse_id

__all__ = ["parse_playlist_ref"]


def parse_playlist_ref(text: str) -> str:
    """Return the playlist id named by ``text``.

    Raises
    ------
    InvalidPlaylistRef
        ``text`` is not a playlist link, URI or 22-character id.
    """
    value = text.strip() if isinstance(text, str) else text
    if isinstance(value, str) and value.startswith("open.spotify.com/"):
        value = "https://" + value
    try:
        return parse_id(value, "playlist")
    except ValidationError:
        shown = text if len(text) <= 80 else text[:77] + "..."
        raise InvalidPlaylistRef(
            f"not a Spotify playlist link, URI or id: {shown!r} (expected "
            "https://open.spotify.com/playlist/ID, spotify:playlist:ID or a "
            "22-character id)"
        ) from None
