"""Typed models of Web API objects, as msgspec Structs.

Unknown fields are ignored, so API drift never breaks parsing. Every field that
development-mode apps no longer receive (popularity, followers, available markets,
label, linked_from, genres, the user's country and email, ...) is optional and
defaults to ``None``. Callers who want the JSON itself use :meth:`Spotify.request`.
"""

from datetime import datetime
from typing import Any, Generic, TypeVar

import msgspec

__all__ = [
    "Album",
    "Artist",
    "AudioFeatures",
    "Copyright",
    "CursorPaging",
    "Cursors",
    "Episode",
    "ErrorBody",
    "ErrorDetail",
    "ExternalIds",
    "Followers",
    "Image",
    "LinkedTrack",
    "Paging",
    "PlayHistory",
    "Playlist",
    "PlaylistItem",
    "PlaylistItemsRef",
    "PrivateUser",
    "PublicUser",
    "SavedAlbum",
    "SavedTrack",
    "SearchResult",
    "SimplifiedAlbum",
    "SimplifiedArtist",
    "SimplifiedPlaylist",
    "SimplifiedTrack",
    "Snapshot",
    "Track",
    "decode",
]

T = TypeVar("T")


class Model(msgspec.Struct, kw_only=True):
    """Base of every model: keyword-only, unknown fields ignored."""


class Paging(Model, Generic[T]):
    """One page of an offset-paged list."""

    items: list[T]
    total: int = 0
    limit: int = 0
    offset: int = 0
    href: str | None = None
    next: str | None = None
    previous: str | None = None


class Cursors(Model):
    """Cursors of a cursor-paged list."""

    after: str | None = None
    before: str | None = None


class CursorPaging(Model, Generic[T]):
    """One page of a cursor-paged list (recently played, followed artists)."""

    items: list[T]
    limit: int = 0
    href: str | None = None
    next: str | None = None
    cursors: Cursors | None = None
    total: int | None = None


class Image(Model):
    """A cover or profile image."""

    url: str
    height: int | None = None
    width: int | None = None


class Followers(Model):
    """Follower count (absent for development-mode apps)."""

    total: int | None = None
    href: str | None = None


class ExternalIds(Model):
    """Industry identifiers of a track or album."""

    isrc: str | None = None
    ean: str | None = None
    upc: str | None = None


class Copyright(Model):
    """A copyright statement of an album."""

    text: str
    type: str | None = None


class SimplifiedArtist(Model):
    """An artist as nested in tracks and albums (``id`` is ``None`` for local files)."""

    id: str | None = None
    name: str = ""
    uri: str | None = None
    href: str | None = None
    type: str = "artist"
    external_urls: dict[str, str] = {}


class Artist(Model):
    """A full artist object."""

    id: str
    name: str
    uri: str
    href: str | None = None
    type: str = "artist"
    images: list[Image] = []
    external_urls: dict[str, str] = {}
    genres: list[str] | None = None
    popularity: int | None = None
    followers: Followers | None = None


class SimplifiedAlbum(Model):
    """An album as nested in tracks, or listed in an artist's discography."""

    id: str | None = None
    name: str = ""
    uri: str | None = None
    href: str | None = None
    type: str = "album"
    album_type: str | None = None
    album_group: str | None = None
    total_tracks: int | None = None
    release_date: str | None = None
    release_date_precision: str | None = None
    artists: list[SimplifiedArtist] = []
    images: list[Image] = []
    external_urls: dict[str, str] = {}
    available_markets: list[str] | None = None


class LinkedTrack(Model):
    """The original track a relinked track stands for."""

    id: str | None = None
    uri: str | None = None
    href: str | None = None
    type: str = "track"


class SimplifiedTrack(Model):
    """A track as listed in an album."""

    id: str | None = None
    name: str = ""
    uri: str | None = None
    href: str | None = None
    type: str = "track"
    artists: list[SimplifiedArtist] = []
    duration_ms: int = 0
    explicit: bool = False
    disc_number: int = 1
    track_number: int = 0
    is_local: bool = False
    is_playable: bool | None = None
    preview_url: str | None = None
    external_urls: dict[str, str] = {}
    available_markets: list[str] | None = None
    linked_from: LinkedTrack | None = None


class Track(Model, tag_field="type", tag="track"):
    """A full track object (``id`` is ``None`` for local files in playlists)."""

    id: str | None = None
    name: str = ""
    uri: str | None = None
    href: str | None = None
    album: SimplifiedAlbum | None = None
    artists: list[SimplifiedArtist] = []
    duration_ms: int = 0
    explicit: bool = False
    disc_number: int = 1
    track_number: int = 0
    is_local: bool = False
    is_playable: bool | None = None
    preview_url: str | None = None
    external_ids: ExternalIds | None = None
    external_urls: dict[str, str] = {}
    popularity: int | None = None
    available_markets: list[str] | None = None
    linked_from: LinkedTrack | None = None


class Episode(Model, tag_field="type", tag="episode"):
    """A podcast episode, as found among playlist items."""

    id: str | None = None
    name: str = ""
    uri: str | None = None
    href: str | None = None
    duration_ms: int = 0
    explicit: bool = False
    release_date: str | None = None
    description: str | None = None
    external_urls: dict[str, str] = {}


class Album(Model):
    """A full album object."""

    id: str
    name: str
    uri: str
    href: str | None = None
    type: str = "album"
    album_type: str | None = None
    total_tracks: int | None = None
    release_date: str | None = None
    release_date_precision: str | None = None
    artists: list[SimplifiedArtist] = []
    images: list[Image] = []
    tracks: Paging[SimplifiedTrack] | None = None
    copyrights: list[Copyright] = []
    external_ids: ExternalIds | None = None
    external_urls: dict[str, str] = {}
    genres: list[str] | None = None
    label: str | None = None
    popularity: int | None = None
    available_markets: list[str] | None = None


class PublicUser(Model):
    """A user as seen by others, e.g. a playlist's owner."""

    id: str
    display_name: str | None = None
    uri: str | None = None
    href: str | None = None
    type: str = "user"
    external_urls: dict[str, str] = {}
    images: list[Image] = []
    followers: Followers | None = None


class PrivateUser(Model):
    """The current user (``GET /me``)."""

    id: str
    display_name: str | None = None
    account_id: str | None = None
    uri: str | None = None
    href: str | None = None
    type: str = "user"
    external_urls: dict[str, str] = {}
    images: list[Image] = []
    country: str | None = None
    email: str | None = None
    product: str | None = None
    explicit_content: dict[str, bool] | None = None
    followers: Followers | None = None


class PlaylistItem(Model):
    """An entry of a playlist: the track or episode and who added it when."""

    added_at: datetime | None = None
    added_by: PublicUser | None = None
    is_local: bool = False
    item: Track | Episode | None = None
    track: Track | Episode | None = None

    @property
    def content(self) -> Track | Episode | None:
        """The track or episode, from ``item`` or the deprecated ``track`` field."""
        return self.item if self.item is not None else self.track


class PlaylistItemsRef(Model):
    """Where to read a playlist's items, and how many there are."""

    total: int = 0
    href: str | None = None


class SimplifiedPlaylist(Model):
    """A playlist as listed in ``/me/playlists`` and search results."""

    id: str
    name: str = ""
    uri: str | None = None
    href: str | None = None
    type: str = "playlist"
    description: str | None = None
    collaborative: bool = False
    public: bool | None = None
    snapshot_id: str | None = None
    owner: PublicUser | None = None
    images: list[Image] | None = None
    items: PlaylistItemsRef | None = None
    tracks: PlaylistItemsRef | None = None
    external_urls: dict[str, str] = {}

    @property
    def total(self) -> int:
        """Number of items, from ``items`` or the deprecated ``tracks`` field."""
        ref = self.items if self.items is not None else self.tracks
        return ref.total if ref is not None else 0


class Playlist(Model):
    """A full playlist (``items`` only if the user owns or collaborates on it)."""

    id: str
    name: str = ""
    uri: str | None = None
    href: str | None = None
    type: str = "playlist"
    description: str | None = None
    collaborative: bool = False
    public: bool | None = None
    snapshot_id: str | None = None
    owner: PublicUser | None = None
    images: list[Image] | None = None
    items: Paging[PlaylistItem] | None = None
    tracks: Paging[PlaylistItem] | None = None
    followers: Followers | None = None
    external_urls: dict[str, str] = {}

    @property
    def first_items(self) -> Paging[PlaylistItem] | None:
        """The first page of items, from ``items`` or the deprecated ``tracks``."""
        return self.items if self.items is not None else self.tracks


class SavedTrack(Model):
    """A track in the user's library."""

    track: Track
    added_at: datetime | None = None


class SavedAlbum(Model):
    """An album in the user's library."""

    album: Album
    added_at: datetime | None = None


class PlayHistory(Model):
    """A play of a track (recently played)."""

    track: Track
    played_at: datetime | None = None
    context: dict[str, Any] | None = None


class AudioFeatures(Model):
    """Audio features of a track (extended quota mode only)."""

    id: str
    danceability: float | None = None
    energy: float | None = None
    key: int | None = None
    loudness: float | None = None
    mode: int | None = None
    speechiness: float | None = None
    acousticness: float | None = None
    instrumentalness: float | None = None
    liveness: float | None = None
    valence: float | None = None
    tempo: float | None = None
    duration_ms: int | None = None
    time_signature: int | None = None
    uri: str | None = None
    type: str = "audio_features"


class SearchResult(Model):
    """Search results, one page per requested type."""

    tracks: Paging[Track] | None = None
    artists: Paging[Artist] | None = None
    albums: Paging[SimplifiedAlbum] | None = None
    playlists: Paging[SimplifiedPlaylist | None] | None = None


class Snapshot(Model):
    """The snapshot id a playlist change produced."""

    snapshot_id: str


class ErrorDetail(Model):
    """The ``error`` member of a Web API error body."""

    status: int = 0
    message: str = ""
    reason: str | None = None


class ErrorBody(Model):
    """A Web API error body: ``{"error": {"status": ..., "message": ...}}``."""

    error: ErrorDetail


_decoders: dict[Any, msgspec.json.Decoder[Any]] = {}


def decode(data: bytes, type_: Any) -> Any:
    """Decode JSON ``data`` into ``type_`` with a cached decoder.

    Raises
    ------
    msgspec.ValidationError
        The JSON does not fit the model.
    """
    decoder = _decoders.get(type_)
    if decoder is None:
        decoder = _decoders[type_] = msgspec.json.Decoder(type_)
    return decoder.decode(data)
