"""Errors raised by :mod:`segue.collect`.

::

    CollectError
    ├── InvalidPlaylistRef (a ValueError)  not a playlist URL, URI or id
    ├── NotLoggedIn                        no stored login, or no client id
    ├── LoginExpired                       Spotify refused the refresh token
    └── PlaylistUnavailable                a playlist that cannot be read
        ├── PlaylistForbidden              403: not the user's own or collaborative
        └── PlaylistNotFound               404: no such playlist (or Spotify-owned)

Errors of the Web API client that are not about the user's input (rate limits beyond
the client's patience, 5xx after retries, transport failures) pass through unchanged
as :class:`segue.spotify.SpotifyError`. Whatever was stored before an error stays
stored, and the next run resumes from there.
"""

from __future__ import annotations

__all__ = [
    "CollectError",
    "InvalidPlaylistRef",
    "LoginExpired",
    "NotLoggedIn",
    "PlaylistForbidden",
    "PlaylistNotFound",
    "PlaylistUnavailable",
]


class CollectError(Exception):
    """Root of every error raised by :mod:`segue.collect`."""


class InvalidPlaylistRef(CollectError, ValueError):
    """The text names no playlist: not an open.spotify.com link, URI or bare id."""


class NotLoggedIn(CollectError):
    """There is no stored login (or no client id); ``segue login`` first."""


class LoginExpired(CollectError):
    """Spotify refused the stored refresh token (expired after 6 months, revoked)."""


class PlaylistUnavailable(CollectError):
    """A playlist that cannot be read.

    Parameters
    ----------
    playlist_id
        The playlist.
    message
        What happened, for a person.
    """

    def __init__(self, playlist_id: str, message: str) -> None:
        self.playlist_id = playlist_id
        super().__init__(message)


class PlaylistForbidden(PlaylistUnavailable):
    """403: development-mode apps read only playlists the user owns or edits."""


class PlaylistNotFound(PlaylistUnavailable):
    """404: no such playlist, or one owned by Spotify (editorial, algorithmic)."""
