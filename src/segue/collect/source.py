"""What the collector needs from a Web API client, as a protocol.

:class:`segue.spotify.Spotify` satisfies :class:`Source` as it is; tests pass a small
fake. The collector asks for one page at a time (never a whole list), so that it can
commit each page together with the cursor of the next one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Literal, Protocol

from segue import spotify as s

__all__ = ["Connect", "Mode", "Source"]

Mode = Literal["auto", "development", "extended"]


class Source(Protocol):
    """The subset of :class:`segue.spotify.Spotify` the collector calls."""

    @property
    def stats(self) -> s.Stats:
        """Request counters."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, object] | None = None,
        json: Any = None,
    ) -> Any:
        """Any call, answered as plain JSON."""
        ...

    def me(self) -> s.PrivateUser:
        """The current user."""
        ...

    def my_playlists(
        self, *, limit: int | None = None, offset: int = 0
    ) -> s.Paging[s.SimplifiedPlaylist]:
        """One page of the user's own and followed playlists."""
        ...

    def playlist(
        self, playlist: str, *, market: str | None = None, fields: str | None = None
    ) -> s.Playlist:
        """A playlist's metadata (and first items where readable)."""
        ...

    def playlist_items(
        self,
        playlist: str,
        *,
        limit: int | None = None,
        offset: int = 0,
        market: str | None = None,
    ) -> s.Paging[s.PlaylistItem]:
        """One page of a playlist's items."""
        ...

    def saved_tracks(
        self, *, limit: int | None = None, offset: int = 0, market: str | None = None
    ) -> s.Paging[s.SavedTrack]:
        """One page of saved tracks."""
        ...

    def saved_albums(
        self, *, limit: int | None = None, offset: int = 0, market: str | None = None
    ) -> s.Paging[s.SavedAlbum]:
        """One page of saved albums."""
        ...

    def top_tracks(
        self,
        time_range: str = "medium_term",
        *,
        limit: int | None = None,
        offset: int = 0,
    ) -> s.Paging[s.Track]:
        """One page of top tracks."""
        ...

    def top_artists(
        self,
        time_range: str = "medium_term",
        *,
        limit: int | None = None,
        offset: int = 0,
    ) -> s.Paging[s.Artist]:
        """One page of top artists."""
        ...

    def recently_played(
        self,
        *,
        limit: int | None = None,
        after: int | None = None,
        before: int | None = None,
    ) -> s.CursorPaging[s.PlayHistory]:
        """One page of recently played tracks."""
        ...

    def followed_artists(
        self, *, limit: int | None = None, after: str | None = None
    ) -> s.CursorPaging[s.Artist]:
        """One page of followed artists."""
        ...

    def tracks(
        self, tracks: Iterable[str], *, market: str | None = None
    ) -> list[s.Track | None]:
        """Many tracks, in order, None for unknown ids."""
        ...

    def albums(
        self, albums: Iterable[str], *, market: str | None = None
    ) -> list[s.Album | None]:
        """Many albums."""
        ...

    def artists(self, artists: Iterable[str]) -> list[s.Artist | None]:
        """Many artists."""
        ...

    def audio_features(self, tracks: Iterable[str]) -> list[s.AudioFeatures | None]:
        """Audio features (raises EndpointUnavailable where not allowed)."""
        ...


Connect = Callable[[Mode], Source]
"""Opens a client in an access mode; the collector closes what it opens."""
