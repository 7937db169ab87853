"""The recommender's catalog queries: ordered items and track fingerprints."""

from __future__ import annotations

from conftest import Fixture
from segue.catalog import Catalog
from segue.catalog.recsql import ordered_items, track_fingerprint
from segue.catalog.synth import SynthConfig, generate


def test_ordered_items_keep_order_and_align(synth: Fixture) -> None:
    world = synth.world
    ids = [str(world.playlist_ids[p]) for p in (5, 0, 3)]
    got = ordered_items(synth.catalog, [*ids, "missing"])
    for p, items in zip((5, 0, 3), got, strict=False):
        assert list(items) == [str(world.track_ids[t]) for t in world.playlist(p)]
    assert got[-1] == ()
    assert ordered_items(synth.catalog, []) == []


def test_fingerprint_follows_the_tracks(synth: Fixture) -> None:
    same = Catalog(":memory:")
    synth.world.write_catalog(same)
    assert track_fingerprint(same) == track_fingerprint(synth.catalog)
    other = Catalog(":memory:")
    generate(SynthConfig(playlists=50, seed=1)).write_catalog(other)
    assert track_fingerprint(other) != track_fingerprint(synth.catalog)
