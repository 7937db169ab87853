"""Plain records of the catalog: what goes in and what comes out, one row at a time.

Bulk paths (dataset importers, synthetic worlds) write columns straight into DuckDB;
these records serve the row-at-a-time paths: the collector writing what the Web API
returned and the emulator reading what it serves.
"""

from __future__ import annotations

import datetime as dt

import msgspec

__all__ = [
    "FEATURE_NAMES",
    "Album",
    "Artist",
    "Features",
    "LibraryEntry",
    "Playlist",
    "PlaylistItem",
    "Track",
]

FEATURE_NAMES: tuple[str, ...] = (
    "danceability",
    "energy",
    "key",
    "loudness",
    "mode",
    "speechiness",
    "acousticness",
    "instrumentalness",
    "liveness",
    "valence",
    "tempo",
    "time_signature",
)
"""The audio features, in the order of every feature matrix segue builds."""


class Artist(msgspec.Struct, kw_only=True):
    """An artist. ``genres``, ``popularity`` and ``followers`` are None when unknown."""

    id: str
    name: str
    genres: list[str] | None = None
    popularity: int | None = None
    followers: int | None = None
    derived_id: bool = False


class Album(msgspec.Struct, kw_only=True):
    """An album and its artists, main artist first."""

    id: str
    name: str
    artist_ids: list[str] = msgspec.field(default_factory=list)
    album_type: str | None = None
    release_date: str | None = None
    release_date_precision: str | None = None
    total_tracks: int | None = None
    upc: str | None = None
    label: str | None = None
    popularity: int | None = None
    derived_id: bool = False


class Track(msgspec.Struct, kw_only=True):
    """A track and its artists, main artist first."""

    id: str
    name: str
    artist_ids: list[str] = msgspec.field(default_factory=list)
    album_id: str | None = None
    duration_ms: int | None = None
    explicit: bool | None = None
    isrc: str | None = None
    disc_number: int | None = None
    track_number: int | None = None
    popularity: int | None = None


class PlaylistItem(msgspec.Struct, kw_only=True):
    """One entry of a playlist; ``position`` is 0-based."""

    position: int
    track_id: str
    added_at: dt.datetime | None = None
    added_by: str | None = None


class Playlist(msgspec.Struct, kw_only=True):
    """A playlist. ``items`` is None when only its metadata is known."""

    id: str
    source: str
    name: str | None = None
    description: str | None = None
    owner_id: str | None = None
    owner_name: str | None = None
    followers: int | None = None
    collaborative: bool | None = None
    public: bool | None = None
    snapshot_id: str | None = None
    pid: int | None = None
    modified_at: dt.datetime | None = None
    num_edits: int | None = None
    num_tracks: int | None = None
    num_holdouts: int | None = None
    num_albums: int | None = None
    num_artists: int | None = None
    duration_ms: int | None = None
    items: list[PlaylistItem] | None = None


class Features(msgspec.Struct, kw_only=True):
    """Audio features of one track from one source, on Spotify's scales."""

    track_id: str
    source: str
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
    time_signature: int | None = None


class LibraryEntry(msgspec.Struct, kw_only=True):
    """One entry of the user's library.

    ``kind`` is one of ``saved_track``, ``saved_album``, ``top_track``, ``top_artist``,
    ``recent_track`` or ``followed_artist``; ``time_range`` is set for top items only.
    """

    kind: str
    item_id: str
    time_range: str = ""
    rank: int | None = None
    happened_at: dt.datetime | None = None
