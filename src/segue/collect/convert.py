"""Web API models to catalog records.

Objects the Web API nests (a track's album, an album's artists) are *stubs*: they
lack fields the full object has (UPC, label, genres). Stubs are written with
``authoritative=False`` so that they never erase what a full fetch stored; full
objects are written with ``authoritative=True``.
"""

from __future__ import annotations

import dataclasses

from segue import catalog as c
from segue import spotify as s
from segue.catalog import crawl

__all__ = [
    "Records",
    "album_record",
    "artist_record",
    "playlist_record",
    "track_records",
]


@dataclasses.dataclass
class Records:
    """Records gathered from one page: full objects and stubs, kept apart."""

    full: list[c.Track | c.Album | c.Artist] = dataclasses.field(default_factory=list)
    stubs: list[c.Track | c.Album | c.Artist] = dataclasses.field(default_factory=list)
    complete_tracks: list[str] = dataclasses.field(default_factory=list)
    """Tracks that came whole, ISRC included: hydration may skip them."""
    complete_artists: list[str] = dataclasses.field(default_factory=list)
    complete_albums: list[str] = dataclasses.field(default_factory=list)

    def store(self, catalog: c.Catalog) -> None:
        """Write the stubs, then the full objects (inside the caller's transaction)."""
        with catalog.transaction():
            if self.stubs:
                catalog.upsert(self.stubs, authoritative=False)
            if self.full:
                catalog.upsert(self.full, authoritative=True)
            crawl.mark_fetched(catalog, "track", self.complete_tracks)
            crawl.mark_fetched(catalog, "album", self.complete_albums)
            crawl.mark_fetched(catalog, "artist", self.complete_artists)


def _artist_ids(artists: list[s.SimplifiedArtist]) -> list[str]:
    return [a.id for a in artists if a.id]


def _artist_stubs(artists: list[s.SimplifiedArtist]) -> list[c.Artist]:
    return [c.Artist(id=a.id, name=a.name) for a in artists if a.id]


def _album_stub(album: s.SimplifiedAlbum) -> c.Album | None:
    if not album.id:
        return None
    return c.Album(
        id=album.id,
        name=album.name,
        artist_ids=_artist_ids(album.artists),
        album_type=album.album_type,
        release_date=album.release_date,
        release_date_precision=album.release_date_precision,
        total_tracks=album.total_tracks,
    )


def track_records(track: s.Track, into: Records, *, whole: bool = False) -> bool:
    """Add a track, its album stub and artist stubs to ``into``.

    A track listed without its ISRC is a stub too (it must not erase a stored ISRC),
    unless ``whole``: it was fetched by itself and is as complete as Spotify has it.

    Returns
    -------
    bool
        False for local files and tracks without an id (nothing was added).
    """
    if not track.id or track.is_local:
        return False
    isrc = track.external_ids.isrc if track.external_ids is not None else None
    album_id = None
    if track.album is not None:
        stub = _album_stub(track.album)
        if stub is not None:
            album_id = stub.id
            into.stubs.append(stub)
            into.stubs.extend(_artist_stubs(track.album.artists))
    into.stubs.extend(_artist_stubs(track.artists))
    (into.full if isrc or whole else into.stubs).append(
        c.Track(
            id=track.id,
            name=track.name,
            artist_ids=_artist_ids(track.artists),
            album_id=album_id,
            duration_ms=track.duration_ms,
            explicit=track.explicit,
            isrc=isrc,
            disc_number=track.disc_number,
            track_number=track.track_number,
            popularity=track.popularity,
        )
    )
    if isrc:
        into.complete_tracks.append(track.id)
    return True


def album_record(album: s.Album, into: Records) -> None:
    """Add a full album and its artist stubs to ``into``."""
    upc = album.external_ids.upc if album.external_ids is not None else None
    into.stubs.extend(_artist_stubs(album.artists))
    into.full.append(
        c.Album(
            id=album.id,
            name=album.name,
            artist_ids=_artist_ids(album.artists),
            album_type=album.album_type,
            release_date=album.release_date,
            release_date_precision=album.release_date_precision,
            total_tracks=album.total_tracks,
            upc=upc,
            label=album.label,
            popularity=album.popularity,
        )
    )
    into.complete_albums.append(album.id)


def artist_record(artist: s.Artist, into: Records) -> None:
    """Add a full artist to ``into``."""
    into.full.append(
        c.Artist(
            id=artist.id,
            name=artist.name,
            genres=artist.genres,
            popularity=artist.popularity,
            followers=artist.followers.total if artist.followers else None,
        )
    )
    into.complete_artists.append(artist.id)


def playlist_record(
    playlist: s.SimplifiedPlaylist | s.Playlist, source: str
) -> c.Playlist:
    """The catalog playlist (metadata only, ``items`` None) for a Web API one."""
    if isinstance(playlist, s.Playlist):
        first = playlist.first_items
        total = first.total if first is not None else None
        followers = playlist.followers.total if playlist.followers else None
    else:
        total = playlist.total
        followers = None
    owner = playlist.owner
    return c.Playlist(
        id=playlist.id,
        source=source,
        name=playlist.name,
        description=playlist.description or None,
        owner_id=owner.id if owner is not None else None,
        owner_name=owner.display_name if owner is not None else None,
        followers=followers,
        collaborative=playlist.collaborative,
        public=playlist.public,
        snapshot_id=playlist.snapshot_id,
        num_tracks=total,
    )
