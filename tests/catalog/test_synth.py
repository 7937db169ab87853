"""Synthetic worlds: determinism, shape, realism and both ways out."""

from __future__ import annotations

import gzip
import json
import re
import time
from pathlib import Path

import numpy as np
import pytest

from segue.catalog import FEATURE_NAMES, Catalog, mpd
from segue.catalog.synth import KINDS, SAME_RECORDING, SynthConfig, World, generate

_ID = re.compile(r"^[0-9A-Za-z]{22}$")
_ISRC = re.compile(r"^[A-Z]{2}[A-Z0-9]{3}\d{2}\d{5}$")


@pytest.fixture(scope="module")
def world() -> World:
    return generate(SynthConfig(playlists=1500, seed=7))


def _arrays(w: World) -> dict[str, np.ndarray]:
    return {
        name: getattr(w, name)
        for name in World.__dataclass_fields__
        if isinstance(getattr(w, name), np.ndarray)
    }


def test_same_seed_same_world() -> None:
    a = generate(SynthConfig(playlists=300, seed=11))
    b = generate(SynthConfig(playlists=300, seed=11))
    for name, value in _arrays(a).items():
        np.testing.assert_array_equal(value, getattr(b, name), err_msg=name)


def test_other_seed_other_world() -> None:
    a = generate(SynthConfig(playlists=300, seed=1))
    b = generate(SynthConfig(playlists=300, seed=2))
    assert not set(a.track_ids) & set(b.track_ids)
    assert not np.array_equal(a.playlist_tracks[:50], b.playlist_tracks[:50])


def test_small_world_is_fast() -> None:
    started = time.perf_counter()
    generate(SynthConfig(playlists=500, seed=3))
    assert time.perf_counter() - started < 2.0  # < 1 s unloaded; slack for CI


def test_default_sizes() -> None:
    cfg = SynthConfig(playlists=1000)
    assert (cfg.n_artists, cfg.n_tracks, cfg.n_versions) == (300, 2200, 110)
    tiny = SynthConfig(playlists=10)
    assert (tiny.n_artists, tiny.n_tracks) == (50, 300)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"playlists": 0},
        {"scenes": 0},
        {"users": 0},
        {"min_length": 10, "max_length": 5},
        {"version_share": 0.7},
        {"mix_share": 1.5},
        {"artists": 400, "tracks": 300},
    ],
)
def test_bad_config_is_refused(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError, match=r"."):
        SynthConfig(**kwargs)  # type: ignore[arg-type]


def test_columns_are_aligned_and_typed(world: World) -> None:
    n_artists, n_albums, n_tracks = (
        len(world.artist_ids),
        len(world.album_ids),
        world.n_tracks,
    )
    cfg = world.config
    assert (n_artists, n_tracks) == (cfg.n_artists, cfg.n_tracks)
    for name, value in _arrays(world).items():
        prefix = name.split("_")[0]
        expected = {
            "artist": n_artists,
            "album": n_albums,
            "track": n_tracks,
            "features": n_tracks,
            "scene": cfg.scenes,
        }.get(prefix)
        if name == "playlist_indptr":
            expected = cfg.playlists + 1
        elif name == "playlist_tracks":
            expected = int(world.playlist_indptr[-1])
        elif prefix == "playlist":
            expected = cfg.playlists
        assert len(value) == expected, name
    assert world.features.shape == (n_tracks, len(FEATURE_NAMES))
    assert world.features.dtype == np.float32
    assert world.playlist_tracks.dtype == np.int32
    assert world.track_artist.dtype == np.int32
    assert world.track_artist.max() < n_artists
    assert world.track_album.max() < n_albums
    assert world.album_artist.max() < n_artists
    assert world.playlist_tracks.max() < n_tracks
    assert len(world.scene_words) == cfg.scenes


def test_ids_are_spotify_shaped_and_unique(world: World) -> None:
    for ids in (world.artist_ids, world.album_ids, world.track_ids):
        assert all(_ID.match(i) for i in ids)
        assert len(set(ids)) == len(ids)
    assert list(world.playlist_ids[:2]) == ["synthetic:0", "synthetic:1"]
    assert world.catalog_ids("x")[3] == "x:3"


def test_playlists_have_mpd_lengths_and_no_repeats(world: World) -> None:
    lengths = np.diff(world.playlist_indptr)
    assert lengths.min() >= 1
    assert lengths.max() <= world.config.max_length
    assert 30 < lengths.mean() < 90
    for p in range(0, world.n_playlists, 7):
        tracks = world.playlist(p)
        assert len(np.unique(tracks)) == len(tracks)
    assert (np.bincount(world.playlist_tracks) > 0).all()  # every track is used
    assert world.matrix().shape == (world.n_playlists, world.n_tracks)
    assert world.matrix().nnz == len(world.playlist_tracks)


def test_playlists_draw_mostly_from_their_scene(world: World) -> None:
    lengths = np.diff(world.playlist_indptr)
    owner = np.repeat(np.arange(world.n_playlists), lengths)
    in_scene = world.track_scene[world.playlist_tracks] == world.playlist_scene[owner]
    purity = np.bincount(owner, weights=in_scene) / lengths
    pure = world.playlist_second_scene < 0
    assert 0.8 < pure.mean() < 0.9
    assert purity[pure].mean() > 0.9
    assert purity[~pure].mean() < purity[pure].mean()
    in_second = (
        world.track_scene[world.playlist_tracks] == (world.playlist_second_scene[owner])
    )
    assert np.bincount(owner, weights=in_second)[~pure].mean() > 2


def test_popularity_is_a_power_law(world: World) -> None:
    plays = np.bincount(
        world.track_artist[world.playlist_tracks], minlength=len(world.artist_ids)
    )
    top = np.sort(plays)[::-1]
    assert top[: len(top) // 10].sum() > 0.4 * top.sum()
    for values in (world.track_popularity, world.artist_popularity):
        assert values.min() >= 0
        assert values.max() <= 100
    by_track = np.bincount(world.playlist_tracks, minlength=world.n_tracks)
    popular = world.track_popularity >= np.percentile(world.track_popularity, 90)
    assert by_track[popular].mean() > 3 * by_track[~popular].mean()


def test_playlists_run_along_albums(world: World) -> None:
    tracks = world.playlist_tracks
    same = world.track_album[tracks[1:]] == world.track_album[tracks[:-1]]
    assert same.mean() > 0.1


def test_scenes_shape_features(world: World) -> None:
    names = list(world.scene_names)
    f = world.features

    def mean(scene: str, feature: str) -> float:
        rows = world.track_scene == names.index(scene)
        return float(f[rows, FEATURE_NAMES.index(feature)].mean())

    assert mean("edm", "energy") > mean("lofi", "energy") + 0.3
    assert mean("lofi", "instrumentalness") > mean("country", "instrumentalness")
    assert mean("hip hop", "speechiness") > mean("jazz", "speechiness")
    unit = [FEATURE_NAMES.index(n) for n in ("danceability", "energy", "valence")]
    assert f[:, unit].min() >= 0
    assert f[:, unit].max() <= 1
    assert set(np.unique(f[:, FEATURE_NAMES.index("mode")])) <= {0.0, 1.0}
    assert f[:, FEATURE_NAMES.index("key")].max() <= 11
    assert f[:, FEATURE_NAMES.index("loudness")].max() <= 0


def test_titles_come_from_scene_words(world: World) -> None:
    for p in range(0, world.n_playlists, 11):
        title = world.playlist_titles[p].lower()
        words = world.scene_words[world.playlist_scene[p]]
        assert any(w.lower() in title for w in words), title


def test_version_families_are_planted_with_isrc_rules(world: World) -> None:
    assert all(_ISRC.match(i) for i in world.track_isrc)
    family = world.track_family
    versions = world.track_version != "original"
    share = versions.mean()
    assert abs(share - world.config.version_share) < 0.01
    assert set(world.track_version[versions]) <= set(KINDS)
    assert len(set(world.track_version[versions])) >= 6
    for f in np.unique(family[family >= 0]):
        members = np.flatnonzero(family == f)
        kinds = world.track_version[members]
        assert list(kinds).count("original") == 1
        original = members[kinds == "original"][0]
        assert len(set(world.track_artist[members])) == 1
        for m in members[kinds != "original"]:
            assert world.track_names[m].startswith(world.track_names[original])
            same_isrc = world.track_isrc[m] == world.track_isrc[original]
            assert same_isrc == (world.track_version[m] in SAME_RECORDING)
            if world.track_version[m] in SAME_RECORDING:
                assert world.track_names[m] == world.track_names[original]
                assert world.track_album[m] != world.track_album[original]
    recordings = world.track_isrc[~np.isin(world.track_version, list(SAME_RECORDING))]
    assert len(set(recordings)) == len(recordings)


def test_version_names_look_like_spotify(world: World) -> None:
    names = world.track_names
    version = world.track_version
    assert any(
        " - Remaster" in n or "Remaster" in n for n in names[version == "remaster"]
    )
    assert all(" - Live" in n for n in names[version == "live"])
    assert all("Radio Edit" in n for n in names[version == "radio edit"])
    assert all("(feat. " in n for n in names[version == "feat"])
    assert (world.track_featured[version == "feat"] >= 0).all()
    assert (world.track_featured[version == "original"] == -1).all()


def test_write_catalog_stores_the_world(world: World) -> None:
    with Catalog() as catalog:
        world.write_catalog(catalog)
        stats = catalog.stats()
        assert stats["playlists"] == world.n_playlists
        assert stats["items"] == len(world.playlist_tracks)
        assert stats["tracks"] == world.n_tracks
        assert stats["artists"] == len(world.artist_ids)
        assert stats["albums"] == len(world.album_ids)
        assert stats["features"] == world.n_tracks
        assert stats["sources"] == {"synthetic": world.n_playlists}
        p = 17
        stored = catalog.playlist(world.playlist_ids[p])
        assert stored.name == world.playlist_titles[p]
        assert stored.owner_id == world.playlist_owner[p]
        assert [i.track_id for i in stored.items or ()] == list(
            world.track_ids[world.playlist(p)]
        )
        table = catalog.track_table(list(world.track_ids[:50]))
        np.testing.assert_array_equal(table.isrc, world.track_isrc[:50])
        np.testing.assert_array_equal(
            table.artist_id, world.artist_ids[world.track_artist[:50]]
        )
        matrix = catalog.feature_matrix(list(world.track_ids[:50]))
        np.testing.assert_allclose(matrix, world.features[:50], rtol=1e-6, atol=1e-5)
        inter = catalog.interactions()
        assert inter.matrix.nnz == len(world.playlist_tracks)
        world.write_catalog(catalog)
        again = catalog.stats()
        assert {k: v for k, v in again.items() if k != "imports"} == {
            k: v for k, v in stats.items() if k != "imports"
        }


@pytest.mark.parametrize("compress", [False, True])
def test_write_mpd_reimports(tmp_path: Path, compress: bool) -> None:
    world = generate(SynthConfig(playlists=450, seed=5))
    files = world.write_mpd(tmp_path, slice_size=200, gzip=compress)
    suffix = ".json.gz" if compress else ".json"
    assert [f.name for f in files] == [
        f"mpd.slice.{a}-{a + 199}{suffix}" for a in (0, 200, 400)
    ]
    opener = gzip.open if compress else open
    with opener(files[0], "rt") as handle:  # type: ignore[operator]
        data = json.load(handle)
    first = data["playlists"][0]
    assert set(first) >= {
        "name",
        "collaborative",
        "pid",
        "modified_at",
        "num_tracks",
        "num_albums",
        "num_followers",
        "num_edits",
        "duration_ms",
        "num_artists",
        "tracks",
    }
    assert first["num_tracks"] == len(first["tracks"])
    assert set(first["tracks"][0]) == {
        "pos",
        "artist_name",
        "track_uri",
        "artist_uri",
        "track_name",
        "album_uri",
        "duration_ms",
        "album_name",
    }
    tracks = world.playlist(0)
    assert first["num_albums"] == len(set(world.track_album[tracks]))
    assert first["duration_ms"] == int(world.track_duration_ms[tracks].sum())
    with Catalog() as from_files, Catalog() as direct:
        summary = mpd.import_files(
            from_files,
            files,
            source="synthetic",
            batch_bytes=1,  # a batch per file
        )
        assert summary.playlists == world.n_playlists
        assert summary.items == len(world.playlist_tracks)
        assert (
            summary.tracks
            == summary.new_tracks
            == len(np.unique(world.playlist_tracks))
        )
        world.write_catalog(direct)
        for p in (0, 201, 449):
            a = from_files.playlist(world.playlist_ids[p])
            b = direct.playlist(world.playlist_ids[p])
            for field in (
                "name",
                "pid",
                "modified_at",
                "num_tracks",
                "num_albums",
                "num_artists",
                "num_edits",
                "duration_ms",
                "followers",
                "collaborative",
                "description",
            ):
                assert getattr(a, field) == getattr(b, field), field
            assert [i.track_id for i in a.items or ()] == [
                i.track_id for i in b.items or ()
            ]
        assert from_files.stats()["tracks"] == world.n_tracks
