"""Queries other parts rely on: interactions, track table, feature matrix."""

from __future__ import annotations

import numpy as np
import pytest

from segue.catalog import (
    FEATURE_NAMES,
    Album,
    Artist,
    Catalog,
    Features,
    Playlist,
    PlaylistItem,
    Track,
)

AR1, AR2, AL = "a" * 22, "b" * 22, "c" * 22
T1, T2, T3, T4 = "1" * 22, "2" * 22, "3" * 22, "4" * 22


def _items(*tracks: str) -> list[PlaylistItem]:
    return [PlaylistItem(position=k, track_id=t) for k, t in enumerate(tracks)]


@pytest.fixture
def catalog() -> Catalog:
    catalog = Catalog()
    catalog.upsert(
        [
            Artist(id=AR1, name="One"),
            Artist(id=AR2, name="Two"),
            Album(id=AL, name="Album", artist_ids=[AR1], release_date="1999-05-01"),
            Track(id=T1, name="t1", artist_ids=[AR1, AR2], album_id=AL, isrc="I1",
                  duration_ms=1000, popularity=5),
            Track(id=T2, name="t2", artist_ids=[AR2]),
            Track(id=T3, name="t3", artist_ids=[AR1], album_id=AL),
            Playlist(id="x:1", source="x", name="first", items=_items(T2, T1, T2)),
            Playlist(id="x:2", source="x", name=None, items=_items(T3)),
            Playlist(id="y:1", source="y", name="other", items=_items(T4, T1)),
            Playlist(id="y:2", source="y", name="empty", items=[]),
            Features(track_id=T1, source="s", energy=0.2, key=4, tempo=100.0),
            Features(track_id=T1, source="u", energy=0.4, key=6),
            Features(track_id=T3, source="u", danceability=0.9),
        ]
    )  # fmt: skip
    return catalog


def test_interactions_matrix_and_maps(catalog: Catalog) -> None:
    inter = catalog.interactions()
    assert list(inter.playlist_ids) == ["x:1", "x:2", "y:1"]
    assert list(inter.track_ids) == [T1, T2, T3, T4]
    assert list(inter.titles) == ["first", None, "other"]
    dense = inter.matrix.toarray()
    assert inter.matrix.dtype == np.float32
    np.testing.assert_array_equal(
        dense, [[1, 1, 0, 0], [0, 0, 1, 0], [1, 0, 0, 1]]
    )  # T2 twice in x:1 counts once


def test_interactions_filters(catalog: Catalog) -> None:
    only_x = catalog.interactions(source="x")
    assert list(only_x.playlist_ids) == ["x:1", "x:2"]
    assert list(only_x.track_ids) == [T1, T2, T3]
    without = catalog.interactions(exclude_playlists=["x:1"])
    assert list(without.playlist_ids) == ["x:2", "y:1"]
    assert T2 not in set(without.track_ids)
    seeds = catalog.interactions(replace_items={"y:1": [T2]})
    row = list(seeds.playlist_ids).index("y:1")
    cols = seeds.matrix[row].indices
    assert [seeds.track_ids[c] for c in cols] == [T2]
    assert T4 not in set(seeds.track_ids)


def test_track_table_in_order_with_unknown_ids(catalog: Catalog) -> None:
    table = catalog.track_table([T3, "z" * 22, T1])
    assert len(table) == 3
    assert list(table.id) == [T3, "z" * 22, T1]
    assert list(table.name) == ["t3", None, "t1"]
    assert list(table.artist_id) == [AR1, None, AR1]  # main artist only
    assert list(table.artist_name) == ["One", None, "One"]
    assert list(table.album_name) == ["Album", None, "Album"]
    assert list(table.isrc) == [None, None, "I1"]
    assert table.release_year[0] == 1999
    assert np.isnan(table.release_year[1])
    assert table.duration_ms[2] == 1000
    assert np.isnan(table.duration_ms[0])
    everything = catalog.track_table()
    assert list(everything.id) == [T1, T2, T3]


def test_feature_matrix_averages_sources(catalog: Catalog) -> None:
    energy = FEATURE_NAMES.index("energy")
    key = FEATURE_NAMES.index("key")
    both = catalog.feature_matrix([T1, T2, T3])
    assert both.shape == (3, len(FEATURE_NAMES))
    assert both[0, energy] == pytest.approx(0.3)
    assert both[0, key] == pytest.approx(5.0)
    assert np.isnan(both[1]).all()
    assert both[2, FEATURE_NAMES.index("danceability")] == pytest.approx(0.9)
    only = catalog.feature_matrix([T1], source="s")
    assert only[0, energy] == pytest.approx(0.2)
    assert only[0, FEATURE_NAMES.index("tempo")] == pytest.approx(100.0)
    assert catalog.feature_matrix([]).shape == (0, len(FEATURE_NAMES))


def test_stats_and_sources(catalog: Catalog) -> None:
    stats = catalog.stats()
    assert stats["playlists"] == 4
    assert stats["items"] == 6
    assert stats["tracks"] == 3
    assert stats["features"] == 2
    assert stats["feature_rows"] == 3
    assert stats["sources"] == {"x": 2, "y": 2}
    assert stats["playlist_tracks"] == 4
    assert stats["playlist_tracks_with_features"] == 2
    assert stats["items_with_features"] == 3  # T1 in x:1 and y:1, T3 in x:2
    assert stats["item_feature_coverage_by_source"] == {"x": 0.5, "y": 0.5}
    assert catalog.sources() == ["x", "y"]
    assert catalog.playlist_ids("y") == ["y:1", "y:2"]
    assert catalog.known_tracks([T1, T4]) == {T1}
