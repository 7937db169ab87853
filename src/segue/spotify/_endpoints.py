"""The Web API endpoints this client calls, declared once as data.

Each :class:`Endpoint` says how to call it (method, path), what it returns (model),
which scopes it needs, its page-size and id-chunk limits in each access mode, and
whether development-mode apps may call it at all. Limits follow Spotify's 2026
reference: search and artist albums take at most 10 per page in development mode,
playlist items 50, ``/me/library`` 40 URIs, multi-gets 50 ids (albums 20).
"""

from __future__ import annotations

import dataclasses
from typing import Any, Literal

from . import _models as m

__all__ = ["REMOVED", "Endpoint"]

Mode = Literal["auto", "development", "extended"]


@dataclasses.dataclass(frozen=True, slots=True)
class Endpoint:
    """One Web API endpoint.

    Parameters
    ----------
    name
        The client method that calls it.
    method, path
        HTTP method and path template relative to the API base (``{id}`` placeholders).
    model
        Type the JSON body is decoded into; ``None`` for bodies that are ignored.
    scopes
        OAuth scopes the endpoint needs.
    limit, limit_extended
        Largest ``limit`` (page size) in development and extended mode.
    chunk
        Largest number of ids or URIs per call.
    extended_only
        Only extended quota mode apps may call it; development mode gets 403.
    unwrap
        Key of the JSON object holding the payload, e.g. ``"tracks"`` in multi-gets.
    replacement
        What to use when the endpoint is unavailable.
    """

    name: str
    method: str
    path: str
    model: Any = None
    scopes: tuple[str, ...] = ()
    limit: int | None = None
    limit_extended: int | None = None
    chunk: int | None = None
    extended_only: bool = False
    unwrap: str | None = None
    replacement: str = ""

    def max_limit(self, mode: Mode) -> int:
        """The largest page size for ``mode`` (``auto`` assumes development)."""
        base = self.limit or 50
        if mode == "extended" and self.limit_extended is not None:
            return self.limit_extended
        return base


_PLAYLIST_READ = ("playlist-read-private",)
_PLAYLIST_MODIFY = ("playlist-modify-public", "playlist-modify-private")
_LIBRARY_READ = ("user-library-read",)

TRACK = Endpoint("track", "GET", "/tracks/{id}", m.Track)
TRACKS = Endpoint(
    "tracks",
    "GET",
    "/tracks",
    list[m.Track | None],
    chunk=50,
    extended_only=True,
    unwrap="tracks",
)
ALBUM = Endpoint("album", "GET", "/albums/{id}", m.Album)
ALBUMS = Endpoint(
    "albums",
    "GET",
    "/albums",
    list[m.Album | None],
    chunk=20,
    extended_only=True,
    unwrap="albums",
)
ALBUM_TRACKS = Endpoint(
    "album_tracks", "GET", "/albums/{id}/tracks", m.Paging[m.SimplifiedTrack], limit=50
)
ARTIST = Endpoint("artist", "GET", "/artists/{id}", m.Artist)
ARTISTS = Endpoint(
    "artists",
    "GET",
    "/artists",
    list[m.Artist | None],
    chunk=50,
    extended_only=True,
    unwrap="artists",
)
ARTIST_ALBUMS = Endpoint(
    "artist_albums",
    "GET",
    "/artists/{id}/albums",
    m.Paging[m.SimplifiedAlbum],
    limit=10,
    limit_extended=50,
)
ARTIST_TOP_TRACKS = Endpoint(
    "artist_top_tracks",
    "GET",
    "/artists/{id}/top-tracks",
    list[m.Track],
    extended_only=True,
    unwrap="tracks",
    replacement="use search with an artist: filter, or the artist's albums",
)
SEARCH = Endpoint(
    "search", "GET", "/search", m.SearchResult, limit=10, limit_extended=50
)
PLAYLIST = Endpoint(
    "playlist", "GET", "/playlists/{id}", m.Playlist, scopes=_PLAYLIST_READ
)
PLAYLIST_ITEMS = Endpoint(
    "playlist_items",
    "GET",
    "/playlists/{id}/items",
    m.Paging[m.PlaylistItem],
    scopes=_PLAYLIST_READ,
    limit=50,
)
PLAYLIST_ADD = Endpoint(
    "playlist_add_items",
    "POST",
    "/playlists/{id}/items",
    m.Snapshot,
    scopes=_PLAYLIST_MODIFY,
    chunk=100,
)
PLAYLIST_UPDATE = Endpoint(
    "playlist_replace_items",
    "PUT",
    "/playlists/{id}/items",
    m.Snapshot,
    scopes=_PLAYLIST_MODIFY,
    chunk=100,
)
PLAYLIST_REMOVE = Endpoint(
    "playlist_remove_items",
    "DELETE",
    "/playlists/{id}/items",
    m.Snapshot,
    scopes=_PLAYLIST_MODIFY,
    chunk=100,
)
ME = Endpoint("me", "GET", "/me", m.PrivateUser)
MY_PLAYLISTS = Endpoint(
    "my_playlists",
    "GET",
    "/me/playlists",
    m.Paging[m.SimplifiedPlaylist],
    scopes=_PLAYLIST_READ,
    limit=50,
)
CREATE_PLAYLIST = Endpoint(
    "create_playlist", "POST", "/me/playlists", m.Playlist, scopes=_PLAYLIST_MODIFY
)
SAVED_TRACKS = Endpoint(
    "saved_tracks",
    "GET",
    "/me/tracks",
    m.Paging[m.SavedTrack],
    scopes=_LIBRARY_READ,
    limit=50,
)
SAVED_ALBUMS = Endpoint(
    "saved_albums",
    "GET",
    "/me/albums",
    m.Paging[m.SavedAlbum],
    scopes=_LIBRARY_READ,
    limit=50,
)
LIBRARY_SAVE = Endpoint(
    "library_save",
    "PUT",
    "/me/library",
    None,
    scopes=("user-library-modify",),
    chunk=40,
)
LIBRARY_REMOVE = Endpoint(
    "library_remove",
    "DELETE",
    "/me/library",
    None,
    scopes=("user-library-modify",),
    chunk=40,
)
LIBRARY_CONTAINS = Endpoint(
    "library_contains",
    "GET",
    "/me/library/contains",
    list[bool],
    scopes=_LIBRARY_READ,
    chunk=40,
)
TOP_ARTISTS = Endpoint(
    "top_artists",
    "GET",
    "/me/top/artists",
    m.Paging[m.Artist],
    scopes=("user-top-read",),
    limit=50,
)
TOP_TRACKS = Endpoint(
    "top_tracks",
    "GET",
    "/me/top/tracks",
    m.Paging[m.Track],
    scopes=("user-top-read",),
    limit=50,
)
RECENTLY_PLAYED = Endpoint(
    "recently_played",
    "GET",
    "/me/player/recently-played",
    m.CursorPaging[m.PlayHistory],
    scopes=("user-read-recently-played",),
    limit=50,
)
FOLLOWED_ARTISTS = Endpoint(
    "followed_artists",
    "GET",
    "/me/following",
    m.CursorPaging[m.Artist],
    scopes=("user-follow-read",),
    limit=50,
    unwrap="artists",
)
AUDIO_FEATURES = Endpoint(
    "audio_features",
    "GET",
    "/audio-features",
    list[m.AudioFeatures | None],
    chunk=100,
    extended_only=True,
    unwrap="audio_features",
    replacement=(
        "Spotify closed audio features to new and development-mode apps in "
        "November 2024; use a third-party source such as ReccoBeats or local analysis"
    ),
)

REMOVED: dict[str, str] = {
    "recommendations": (
        "Spotify removed recommendations in November 2024; use a recommender you "
        "host, such as segue's"
    ),
    "recommendation_genre_seeds": (
        "Spotify removed the genre seeds together with recommendations in November 2024"
    ),
    "artist_related_artists": (
        "Spotify removed related artists in November 2024; use co-occurrence in "
        "playlists, or ListenBrainz similar artists"
    ),
    "audio_analysis": (
        "Spotify removed audio analysis in November 2024; analyse the audio locally "
        "(librosa, Essentia)"
    ),
    "featured_playlists": (
        "Spotify removed featured playlists in November 2024; search for playlists"
    ),
    "category_playlists": (
        "Spotify removed category playlists in November 2024; search for playlists"
    ),
}
"""Endpoints Spotify removed, with what replaced them."""
