"""The collector against a fake development-mode client: counts, resumption, skips."""

from __future__ import annotations

import collections
import dataclasses
import shutil
from pathlib import Path
from typing import Any

import pytest
from collect_fake import ME, Crash, FakeSource, FakeWorld, make_world

from segue import spotify as s
from segue.catalog import Catalog, Features, Track, crawl
from segue.collect import (
    Collector,
    InvalidPlaylistRef,
    PlaylistForbidden,
    PlaylistNotFound,
)

TABLES = {
    "playlists": "SELECT * FROM playlists ORDER BY id",
    "playlist_items": "SELECT * FROM playlist_items ORDER BY playlist_id, position",
    "tracks": "SELECT * FROM tracks ORDER BY id",
    "track_artists": "SELECT * FROM track_artists ORDER BY track_id, position",
    "albums": "SELECT * FROM albums ORDER BY id",
    "album_artists": "SELECT * FROM album_artists ORDER BY album_id, position",
    "artists": "SELECT * FROM artists ORDER BY id",
    "library": "SELECT * FROM library ORDER BY ALL",
    "track_features": "SELECT * FROM track_features ORDER BY ALL",
}


def dump(catalog: Catalog) -> dict[str, list[tuple[Any, ...]]]:
    """Every collected table's rows, in a fixed order."""
    return {name: catalog._fetchall(sql) for name, sql in TABLES.items()}


def run(
    catalog: Catalog,
    world: FakeWorld,
    counter: collections.Counter[str] | None = None,
    *,
    crash_at: int | None = None,
    chunk: int = 5,
    features: bool = False,
    playlist: str | None = None,
) -> Any:
    """One collector 'process' over ``world``."""
    counter = counter if counter is not None else collections.Counter()

    def connect(mode: str) -> FakeSource:
        return FakeSource(world, crash_at=crash_at, counter=counter, features=features)

    with Collector(catalog, connect, chunk=chunk) as collector:
        if playlist is not None:
            return collector.collect_playlist(playlist)
        return collector.collect()


@pytest.fixture(scope="module")
def world() -> FakeWorld:
    return make_world()


@dataclasses.dataclass
class Baseline:
    """One uninterrupted collection: its tables, requests, summary and file."""

    tables: dict[str, Any]
    requests: collections.Counter[str]
    summary: Any
    path: Path

    def copy(self, to: Path) -> Catalog:
        """A writable copy of the collected catalog."""
        shutil.copy(self.path, to)
        return Catalog(to)


@pytest.fixture(scope="module")
def baseline(world: FakeWorld, tmp_path_factory: pytest.TempPathFactory) -> Baseline:
    path = tmp_path_factory.mktemp("baseline") / "c.duckdb"
    counter: collections.Counter[str] = collections.Counter()
    with Catalog(path) as catalog:
        summary = run(catalog, world, counter)
        tables = dump(catalog)
    return Baseline(tables, counter, summary, path)


def test_collect_stores_everything_the_user_may_read(
    world: FakeWorld, baseline: Baseline
) -> None:
    summary = baseline.summary
    with Catalog(baseline.path, read_only=True) as catalog:
        readable = world.readable_playlists()
        others = [p for p in world.playlists if p not in readable]
        assert summary.playlists == len(readable)
        assert summary.followed_without_items == len(others)
        for pid in readable:
            stored = catalog.playlist(pid)
            expected = [i.item.id for i in world.items[pid] if i.item is not None]
            assert [i.track_id for i in stored.items or ()] == expected
            assert stored.snapshot_id == world.playlists[pid].snapshot_id
            added = [i.added_at for i in world.items[pid]]
            assert [i.added_at for i in stored.items or ()] == [
                a.replace(tzinfo=None) if a else None for a in added
            ]
        for pid in others:
            assert catalog.playlist(pid).items == []
        assert summary.items == sum(len(world.items[p]) for p in readable)

        library = collections.Counter(e.kind for e in catalog.library())
        assert library["saved_track"] == len(world.saved_tracks)
        assert library["saved_album"] == len(world.saved_albums)
        assert library["top_track"] == sum(len(v) for v in world.top_tracks.values())
        assert library["top_artist"] == sum(len(v) for v in world.top_artists.values())
        assert library["recent_track"] == len(world.recent)
        assert library["followed_artist"] == len(world.followed)
        top = [e for e in catalog.library("top_track") if e.time_range == "long_term"]
        assert [e.item_id for e in top] == [t.id for t in world.top_tracks["long_term"]]

        tracks = {t.id: t for t in catalog.iter_tracks()}
        referenced = {
            i.item.id
            for p in readable
            for i in world.items[p]
            if i.item is not None and i.item.id
        }
        assert referenced <= set(tracks)
        isrcs = {
            t: x.external_ids.isrc for t, x in world.tracks.items() if x.external_ids
        }
        assert all(tracks[t].isrc == isrcs[t] for t in tracks)
        albums = {a.id: a for a in catalog.iter_albums()}
        assert {t.album_id for t in tracks.values()} <= set(albums)
        assert all(a.upc is not None and a.label is not None for a in albums.values())
        artists = {a.id: a for a in catalog.iter_artists()}
        wanted = {a for t in tracks.values() for a in t.artist_ids}
        assert wanted <= set(artists)
        assert all(artists[a].genres for a in wanted)
        assert summary.access_mode == "development"
        assert crawl.tasks(catalog, 1) == []
        # audio features: refused once (403), remembered, tracks stay usable
        assert baseline.requests["/audio-features"] == 1
        assert summary.features_unavailable == ["spotify"]
        assert catalog.stats()["features"] == 0
        setting = crawl.setting(catalog, "features:spotify")
        assert setting is not None
        assert setting[0] == "unavailable"


def test_second_run_skips_unchanged_playlists_and_fetched_objects(
    world: FakeWorld, baseline: Baseline, tmp_path: Path
) -> None:
    with baseline.copy(tmp_path / "c.duckdb") as catalog:
        before = dump(catalog)
        counter: collections.Counter[str] = collections.Counter()
        summary = run(catalog, world, counter)
        assert summary.skipped_unchanged == len(world.readable_playlists())
        assert summary.playlists == 0
        assert counter["/playlists/{id}/items"] == 0
        assert counter["/tracks/{id}"] == counter["/albums/{id}"] == 0
        assert counter["/artists/{id}"] == 0
        assert counter["/tracks"] == 0  # the access mode was remembered
        assert counter["/audio-features"] == 0  # and so was the 403
        assert dump(catalog) == before


def test_changed_snapshot_refetches_that_playlist_only(
    baseline: Baseline, tmp_path: Path
) -> None:
    with baseline.copy(tmp_path / "c.duckdb") as catalog:
        changed = make_world()
        pid = changed.readable_playlists()[0]
        del changed.items[pid][:10]
        changed.playlists[pid].snapshot_id = "snap-2"
        counter: collections.Counter[str] = collections.Counter()
        summary = run(catalog, changed, counter)
        assert summary.playlists == 1
        assert summary.skipped_unchanged == len(changed.readable_playlists()) - 1
        stored = catalog.playlist(pid)
        assert stored.snapshot_id == "snap-2"
        assert len(stored.items or ()) == len(changed.items[pid])


@pytest.mark.parametrize("share", [0.25, 0.8])
def test_crash_then_resume_equals_uninterrupted_run(
    world: FakeWorld, baseline: Baseline, share: float
) -> None:
    tables, once = baseline.tables, baseline.requests
    crash_at = 1 + int(share * sum(once.values()))
    counter: collections.Counter[str] = collections.Counter()
    with Catalog() as catalog:
        with pytest.raises(Crash):
            run(catalog, world, counter, crash_at=crash_at)
        summary = run(catalog, world, counter)
        assert summary.resumed
        assert dump(catalog) == tables
    extra = counter - once
    assert not once - counter  # nothing was left out
    # only a hydration chunk cut short by the crash is asked again
    assert sum(extra.values()) <= 4
    assert set(extra) <= {"/tracks/{id}", "/albums/{id}", "/artists/{id}"}


def test_many_crashes_in_a_row_still_converge(
    world: FakeWorld, baseline: Baseline
) -> None:
    tables, once = baseline.tables, baseline.requests
    counter: collections.Counter[str] = collections.Counter()
    crashes = 0
    with Catalog() as catalog:
        while True:
            try:
                run(catalog, world, counter, crash_at=sum(counter.values()) + 17)
                break
            except Crash:
                crashes += 1
        assert dump(catalog) == tables
    assert crashes >= sum(once.values()) // 17 - 1
    assert sum((counter - once).values()) <= 4 * crashes


def test_one_playlist_by_link(world: FakeWorld) -> None:
    pid = world.readable_playlists()[0]
    link = f"https://open.spotify.com/intl-de/playlist/{pid}?si=abc123"
    with Catalog() as catalog:
        summary = run(catalog, world, playlist=link)
        assert summary.playlists == 1
        stored = catalog.playlist(pid)
        assert len(stored.items or ()) == len(world.items[pid])
        assert {t.id for t in catalog.iter_tracks()} == {
            i.track_id for i in stored.items or ()
        }
        assert catalog.library() == []
        again = run(catalog, world, playlist=f"spotify:playlist:{pid}")
        assert again.skipped_unchanged == 1


def test_one_playlist_of_another_user_is_refused_and_nothing_half_written(
    world: FakeWorld,
) -> None:
    other = next(p for p in world.playlists if p not in world.readable_playlists())
    with Catalog() as catalog:
        with pytest.raises(PlaylistForbidden, match="own or collaborate"):
            run(catalog, world, playlist=other)
        assert catalog.stats()["playlists"] == 0
        assert crawl.tasks(catalog, 1) == []
        with pytest.raises(PlaylistNotFound):
            run(catalog, world, playlist="0" * 22)
        with pytest.raises(InvalidPlaylistRef, match="not a Spotify playlist"):
            run(catalog, world, playlist="https://example.com/playlist/x")


def test_features_from_imported_tables_by_isrc_then_spotify(world: FakeWorld) -> None:
    some = next(iter(world.tracks.values()))
    assert some.external_ids is not None
    old = "old" + "0" * 19
    with Catalog() as catalog:
        catalog.upsert(
            [
                Track(id=old, name="x", isrc=some.external_ids.isrc),
                Features(track_id=old, source="kaggle", energy=0.9),
            ]
        )
        summary = run(catalog, world, features=True)
        collected = {t.id for t in catalog.iter_tracks()} - {old}
        imported = [f for f in catalog.iter_features("kaggle") if f.track_id != old]
        assert [f.track_id for f in imported] == (
            [some.id] if some.id in collected else []
        )
        assert all(f.energy == pytest.approx(0.9) for f in imported)
        assert summary.features.get("imported", 0) == len(imported)
        from_spotify = {f.track_id for f in catalog.iter_features("spotify")}
        assert from_spotify == collected - {f.track_id for f in imported}
        assert summary.features["spotify"] == len(from_spotify)
        assert crawl.setting(catalog, "features:spotify") is not None


def test_expired_login_propagates_and_keeps_what_was_stored(world: FakeWorld) -> None:
    class Expiring(FakeSource):
        def saved_albums(self, **kwargs: Any) -> s.Paging[s.SavedAlbum]:
            raise s.LoginRequired("invalid_grant", "expired")

    with (
        Catalog() as catalog,
        Collector(catalog, lambda mode: Expiring(world)) as collector,
    ):
        with pytest.raises(s.LoginRequired):
            collector.collect()
        assert catalog.stats()["playlists"] == len(world.playlists)
        assert len(catalog.library("saved_track")) == len(world.saved_tracks)
        assert catalog._fetchall("SELECT user_id FROM crawl_runs") == [(ME,)]
