"""segue.collect: the user's music from the Spotify Web API into the catalog.

:class:`Collector` crawls the current user's playlists (own and collaborative, with
their items), saved tracks and albums, top tracks and artists, recently played tracks
and followed artists, then hydrates every referenced track, album and artist and asks
the :class:`FeatureProvider` chain for audio features. Its state lives in the catalog,
so a killed run resumes where it stopped. :mod:`segue.collect.session` keeps the
login (client id, token store) between commands.

Errors, all rooted at :class:`CollectError` (see :mod:`segue.collect.errors`)::

    CollectError
    ├── InvalidPlaylistRef (a ValueError)  not a playlist URL, URI or id
    ├── NotLoggedIn                        no stored login, or no client id
    ├── LoginExpired                       Spotify refused the refresh token
    └── PlaylistUnavailable                a playlist that cannot be read
        ├── PlaylistForbidden              403: not the user's own or collaborative
        └── PlaylistNotFound               404: no such playlist (or Spotify-owned)

This package imports :mod:`segue.spotify` and :mod:`segue.catalog` only.
"""

from segue.collect.collector import TIME_RANGES, Collector, Reporter, Summary
from segue.collect.errors import (
    CollectError,
    InvalidPlaylistRef,
    LoginExpired,
    NotLoggedIn,
    PlaylistForbidden,
    PlaylistNotFound,
    PlaylistUnavailable,
)
from segue.collect.features import FeatureProvider, ImportedFeatures, SpotifyFeatures
from segue.collect.refs import parse_playlist_ref
from segue.collect.source import Connect, Mode, Source

__all__ = [
    "TIME_RANGES",
    "CollectError",
    "Collector",
    "Connect",
    "FeatureProvider",
    "ImportedFeatures",
    "InvalidPlaylistRef",
    "LoginExpired",
    "Mode",
    "NotLoggedIn",
    "PlaylistForbidden",
    "PlaylistNotFound",
    "PlaylistUnavailable",
    "Reporter",
    "Source",
    "SpotifyFeatures",
    "Summary",
    "parse_playlist_ref",
]
