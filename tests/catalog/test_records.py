"""Row-at-a-time writes: fill versus authoritative upserts, transactions."""

from __future__ import annotations

import datetime as dt

import pytest

from segue.catalog import (
    Album,
    Artist,
    Catalog,
    Features,
    LibraryEntry,
    NotFound,
    Playlist,
    PlaylistItem,
    Track,
)

A, B, C = "A" * 22, "B" * 22, "C" * 22
T1, T2 = "1" * 22, "2" * 22


def test_fill_keeps_stored_values_and_adds_missing_ones() -> None:
    with Catalog() as catalog:
        catalog.upsert([Track(id=T1, name="Song", artist_ids=[A], duration_ms=None)])
        catalog.upsert(
            [Track(id=T1, name="Other", artist_ids=[B], duration_ms=1000, isrc="X")]
        )
        (track,) = catalog.iter_tracks()
        assert track.name == "Song"
        assert track.duration_ms == 1000
        assert track.isrc == "X"
        assert track.artist_ids == [A]


def test_authoritative_replaces_values_and_artist_lists() -> None:
    with Catalog() as catalog:
        catalog.upsert([Track(id=T1, name="Song", artist_ids=[A, B], popularity=3)])
        catalog.upsert(
            [Track(id=T1, name="Song (Live)", artist_ids=[C], popularity=None)],
            authoritative=True,
        )
        (track,) = catalog.iter_tracks()
        assert track.name == "Song (Live)"
        assert track.artist_ids == [C]
        assert track.popularity is None  # the Web API said: unknown now


def test_artists_albums_and_genres() -> None:
    with Catalog() as catalog:
        catalog.upsert(
            [
                Artist(id=A, name="Ann", genres=["indie"], popularity=40),
                Album(
                    id=B,
                    name="First",
                    artist_ids=[A],
                    release_date="2001-02",
                    release_date_precision="month",
                ),
            ]
        )
        (artist,) = catalog.iter_artists()
        assert artist.genres == ["indie"]
        (album,) = catalog.iter_albums()
        assert (album.artist_ids, album.release_date) == ([A], "2001-02")
        catalog.upsert([Artist(id=A, name="Ann", popularity=55)], authoritative=True)
        assert next(catalog.iter_artists()).popularity == 55


def test_playlist_items_are_replaced_whole() -> None:
    when = dt.datetime(2020, 5, 1, 12, 0)
    with Catalog() as catalog:
        items = [PlaylistItem(position=k, track_id=t) for k, t in enumerate([T1, T2])]
        catalog.upsert([Playlist(id="p", source="me", name="Mine", items=items)])
        catalog.upsert(
            [
                Playlist(
                    id="p",
                    source="me",
                    items=[PlaylistItem(position=0, track_id=T2, added_at=when)],
                )
            ]
        )
        stored = catalog.playlist("p")
        assert stored.name == "Mine"
        assert [(i.track_id, i.added_at) for i in stored.items or ()] == [(T2, when)]
        catalog.upsert([Playlist(id="p", source="me", name="Renamed")])
        assert len(catalog.playlist("p").items or ()) == 1  # no items: kept
        assert catalog.playlist("p", items=False).items is None
        with pytest.raises(NotFound):
            catalog.playlist("q")


def test_features_are_kept_per_source_and_replaced() -> None:
    with Catalog() as catalog:
        catalog.upsert(
            [
                Features(track_id=T1, source="a", energy=0.2),
                Features(track_id=T1, source="b", energy=0.4),
            ]
        )
        catalog.upsert([Features(track_id=T1, source="a", energy=0.6)])
        rows = list(catalog.iter_features())
        assert [(r.source, r.energy) for r in rows] == [("a", 0.6), ("b", 0.4)]
        assert [r.source for r in catalog.iter_features("b")] == ["b"]


def test_library_entries() -> None:
    when = dt.datetime(2024, 1, 2, 3, 4, 5)
    with Catalog() as catalog:
        catalog.upsert(
            [
                LibraryEntry(
                    kind="top_track", item_id=T2, time_range="short_term", rank=2
                ),
                LibraryEntry(
                    kind="top_track", item_id=T1, time_range="short_term", rank=1
                ),
                LibraryEntry(kind="saved_track", item_id=T1, happened_at=when),
            ]
        )
        top = catalog.library("top_track")
        assert [e.item_id for e in top] == [T1, T2]
        (saved,) = catalog.library("saved_track")
        assert saved.happened_at == when
        catalog.clear_library("top_track", "short_term")
        assert catalog.library("top_track") == []
        assert len(catalog.library()) == 1


def test_transaction_rolls_back_everything() -> None:
    with Catalog() as catalog:
        catalog.upsert([Artist(id=A, name="Kept")])
        with pytest.raises(RuntimeError, match="stop"):
            _write_then_fail(catalog)
        assert [a.name for a in catalog.iter_artists()] == ["Kept"]
        assert catalog.known_tracks([T1]) == set()


def _write_then_fail(catalog: Catalog) -> None:
    with catalog.transaction():
        catalog.upsert([Artist(id=B, name="Gone")])
        with catalog.transaction():
            catalog.upsert([Artist(id=C, name="Gone too")])
        raise RuntimeError("stop")
