"""The MPD importer: layouts, round trip, idempotency, refusals, real data."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from segue.catalog import Catalog, InvalidValue, MalformedFile, mpd
from segue.catalog.errors import ImportFailed
from segue.catalog.ids import derived_id

TRACK_A = "0UaMYEvWZi0ZqiDOoHU3YI"
TRACK_B = "6I9VzXrHxO9rA9A5euc8Ak"


def export_mpd(catalog: Catalog, source: str) -> list[dict[str, Any]]:
    """Rebuild the MPD JSON of every playlist of ``source`` from the catalog."""
    out = []
    for playlist in catalog.iter_playlists(source):
        items = playlist.items or []
        table = catalog.track_table([i.track_id for i in items])
        tracks = [
            {
                "pos": item.position,
                "artist_name": table.artist_name[k],
                "track_uri": f"spotify:track:{item.track_id}",
                "artist_uri": f"spotify:artist:{table.artist_id[k]}",
                "track_name": table.name[k],
                "album_uri": f"spotify:album:{table.album_id[k]}",
                "duration_ms": int(table.duration_ms[k]),
                "album_name": table.album_name[k],
            }
            for k, item in enumerate(items)
        ]
        assert playlist.modified_at is not None
        modified = playlist.modified_at.replace(tzinfo=dt.UTC).timestamp()
        data: dict[str, Any] = {
            "name": playlist.name,
            "collaborative": "true" if playlist.collaborative else "false",
            "pid": playlist.pid,
            "modified_at": int(modified),
            "num_tracks": playlist.num_tracks,
            "num_albums": playlist.num_albums,
            "num_followers": playlist.followers,
            "tracks": tracks,
            "num_edits": playlist.num_edits,
            "duration_ms": playlist.duration_ms,
            "num_artists": playlist.num_artists,
        }
        if playlist.description is not None:
            data["description"] = playlist.description
        out.append(data)
    return sorted(out, key=lambda p: p["pid"])


def _snapshot(catalog: Catalog) -> tuple[object, ...]:
    tables = (
        "artists",
        "albums",
        "album_artists",
        "tracks",
        "track_artists",
        "playlists",
        "playlist_items",
        "track_features",
    )
    sums = tuple(
        catalog._fetchall(f"SELECT count(*), sum(hash(columns(*))) FROM {t}")[0]
        for t in tables
    )
    stats = catalog.stats()
    del stats["imports"]
    return (stats, sums)


def _slice(playlists: list[dict[str, Any]]) -> dict[str, Any]:
    return {"info": {"slice": "0-999", "version": "v1"}, "playlists": playlists}


def _reduced_playlist(pid: int, tracks: list[tuple[str, str, str]]) -> dict[str, Any]:
    return {
        "name": f"list {pid}",
        "pid": pid,
        "num_tracks": len(tracks),
        "num_followers": 12,
        "num_edits": 3,
        "duration_ms": 1000,
        "num_artists": 2,
        "tracks": [
            {"track_uri": f"spotify:track:{t}", "track_name": n, "artist_name": a}
            for t, n, a in tracks
        ],
    }


REDUCED = [
    _reduced_playlist(
        7, [(TRACK_A, "Lose Control", "Missy Elliott"), (TRACK_B, "Toxic", "Britney")]
    ),
    _reduced_playlist(9, [(TRACK_B, "Toxic", "Britney")]),
]


def _write(path: Path, data: object) -> Path:
    text = json.dumps(data).encode()
    path.write_bytes(gzip.compress(text) if path.name.endswith(".gz") else text)
    return path


def test_full_schema_round_trips_every_field(shared_data: Path) -> None:
    source = shared_data / "mpd-sample-fullfields.json"
    original = json.loads(source.read_text())["playlists"]
    with Catalog() as catalog:
        catalog._execute("SET TimeZone = 'America/New_York'")  # must not matter
        summary = mpd.import_files(catalog, [source], source="sample")
        assert (summary.playlists, summary.items) == (29, 1447)
        exported = export_mpd(catalog, "sample")
    assert len(exported) == len(original)
    for mine, theirs in zip(
        exported, sorted(original, key=lambda p: p["pid"]), strict=True
    ):
        assert mine == theirs, theirs["pid"]


def test_description_and_collaborative_survive(tmp_path: Path) -> None:
    playlist = {
        "name": "Party",
        "description": "songs for the weekend",
        "collaborative": "true",
        "pid": 3,
        "modified_at": 1500000000,
        "num_tracks": 1,
        "num_albums": 1,
        "num_followers": 4,
        "num_edits": 2,
        "duration_ms": 200,
        "num_artists": 1,
        "tracks": [
            {
                "pos": 0,
                "artist_name": "A",
                "track_uri": f"spotify:track:{TRACK_A}",
                "artist_uri": f"spotify:artist:{TRACK_B}",
                "track_name": "T",
                "album_uri": f"spotify:album:{TRACK_B}",
                "duration_ms": 200,
                "album_name": "Al",
            }
        ],
    }
    path = _write(tmp_path / "one.json", _slice([playlist]))
    with Catalog() as catalog:
        mpd.import_files(catalog, [path], source="x")
        assert export_mpd(catalog, "x") == [playlist]


def test_reduced_schema_derives_ids_that_agree_across_catalogs(tmp_path: Path) -> None:
    path = _write(tmp_path / "reduced.json.gz", _slice(REDUCED))
    with Catalog() as first, Catalog() as second:
        mpd.import_files(first, [path])
        mpd.import_files(second, [tmp_path])
        assert list(first.iter_artists()) == list(second.iter_artists())
        artists = {a.name: a for a in first.iter_artists()}
        assert artists["Britney"].id == derived_id("artist", "Britney")
        assert artists["Britney"].derived_id
        playlist = first.playlist("mpd:7")
        assert [i.track_id for i in playlist.items or ()] == [TRACK_A, TRACK_B]
        assert [i.position for i in playlist.items or ()] == [0, 1]
        assert playlist.followers == 12
        table = first.track_table([TRACK_B])
        assert table.artist_name[0] == "Britney"
        assert table.album_id[0] is None


def test_challenge_layout(tmp_path: Path) -> None:
    challenge = {
        "date": "2018-01-16 08:47:28.198015",
        "version": "v1",
        "playlists": [
            {"pid": 1000002, "num_holdouts": 10, "num_samples": 0, "num_tracks": 10,
             "tracks": []},
            {"name": "spanish playlist", "pid": 1000003, "num_holdouts": 5,
             "num_samples": 5, "num_tracks": 10, "tracks": [
                 {"pos": 0, "artist_name": "A", "track_uri": f"spotify:track:{TRACK_A}",
                  "artist_uri": f"spotify:artist:{TRACK_B}", "track_name": "T",
                  "album_uri": f"spotify:album:{TRACK_B}", "duration_ms": 1,
                  "album_name": "Al"}]},
            {"pid": 1000004, "num_holdouts": 25, "num_samples": 0, "num_tracks": 25},
        ],
    }  # fmt: skip
    path = _write(tmp_path / "challenge_set.json", challenge)
    with Catalog() as catalog:
        summary = mpd.import_files(catalog, [path], source="challenge")
        assert (summary.playlists, summary.items) == (3, 1)
        untitled = catalog.playlist("challenge:1000002")
        assert untitled.name is None
        assert untitled.num_holdouts == 10
        assert untitled.items == []
        assert catalog.playlist("challenge:1000004").num_tracks == 25
        titled = catalog.playlist("challenge:1000003")
        assert titled.name == "spanish playlist"
        assert [i.track_id for i in titled.items or ()] == [TRACK_A]


def test_json_and_gzip_and_folders_give_the_same_catalog(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    zipped = tmp_path / "zipped" / "deeper"
    plain.mkdir()
    zipped.mkdir(parents=True)
    _write(plain / "a.json", _slice(REDUCED[:1]))
    _write(plain / "b.json", _slice(REDUCED[1:]))
    _write(zipped / "a.json.gz", _slice(REDUCED[:1]))
    _write(zipped / "b.json.gz", _slice(REDUCED[1:]))
    (zipped / "notes.txt").write_text("not a slice")
    assert [p.name for p in mpd.find_files([tmp_path / "zipped"])] == [
        "a.json.gz",
        "b.json.gz",
    ]
    with Catalog() as a, Catalog() as b:
        setting = "SELECT current_setting('checkpoint_threshold')"
        before = a._fetchall(setting)
        mpd.import_files(a, [plain])
        assert a._fetchall(setting) == before  # restored after the import
        mpd.import_files(b, [tmp_path / "zipped"])
        assert _snapshot(a) == _snapshot(b)


def test_import_twice_changes_nothing(shared_data: Path) -> None:
    files = sorted((shared_data / "mpd-dev").glob("*.json.gz"))[:40]
    with Catalog() as catalog:
        mpd.import_files(catalog, files)
        first = _snapshot(catalog)
        again = mpd.import_files(catalog, files)
        assert again.new_tracks == 0
        assert _snapshot(catalog) == first


def test_truncated_real_slice_is_refused_and_catalog_unchanged(
    shared_data: Path, tmp_path: Path
) -> None:
    files = sorted((shared_data / "mpd-dev").glob("*.json.gz"))
    text = gzip.decompress(files[1].read_bytes())
    cut = text.index(b'"track_name": "', len(text) // 2) + 20
    truncated = tmp_path / "mpd.slice.cut.json"
    truncated.write_bytes(text[:cut])
    with Catalog() as catalog:
        mpd.import_files(catalog, files[:1])
        before = _snapshot(catalog)
        with pytest.raises(MalformedFile) as info:
            mpd.import_files(catalog, [truncated])
        assert _snapshot(catalog) == before
    assert str(truncated) in str(info.value)
    assert info.value.path == str(truncated)


def test_truncated_gzip_is_refused(tmp_path: Path) -> None:
    whole = gzip.compress(json.dumps(_slice(REDUCED)).encode())
    path = tmp_path / "cut.json.gz"
    path.write_bytes(whole[: len(whole) // 2])
    with Catalog() as catalog, pytest.raises(MalformedFile) as info:
        mpd.import_files(catalog, [path])
    assert str(path) in str(info.value)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"track_uri": "spotify:album:0UaMYEvWZi0ZqiDOoHU3YI"}, "track_uri"),
        ({"track_uri": "0UaMYEvWZ"}, "track_uri"),
        ({"artist_uri": "spotify:artist:nope"}, "artist_uri"),
        ({"track_name": None}, "tracks[]"),
    ],
)
def test_invalid_values_name_the_field(
    tmp_path: Path, change: dict[str, Any], field: str
) -> None:
    playlists = json.loads(json.dumps(REDUCED))
    playlists[1]["tracks"][0].update(change)
    path = _write(tmp_path / "bad.json", _slice(playlists))
    good = _write(tmp_path / "ok.json", _slice(REDUCED[:1]))
    with Catalog() as catalog:
        mpd.import_files(catalog, [good])
        before = _snapshot(catalog)
        with pytest.raises(InvalidValue) as info:
            mpd.import_files(catalog, [path])
        assert _snapshot(catalog) == before
    assert info.value.path == str(path)
    assert info.value.field is not None
    assert info.value.field.endswith(field)
    assert "pid 9" in str(info.value)


def test_duplicate_and_missing_pids_are_refused(tmp_path: Path) -> None:
    twice = _write(tmp_path / "twice.json", _slice([REDUCED[0], REDUCED[0]]))
    nameless = json.loads(json.dumps(REDUCED[:1]))
    del nameless[0]["pid"]
    missing = _write(tmp_path / "missing.json", _slice(nameless))
    with Catalog() as catalog:
        with pytest.raises(InvalidValue, match="pid 7 appears twice"):
            mpd.import_files(catalog, [twice])
        with pytest.raises(InvalidValue, match="no pid"):
            mpd.import_files(catalog, [missing])
        with pytest.raises(ImportFailed, match="no such file"):
            mpd.import_files(catalog, [tmp_path / "absent.json"])
        with pytest.raises(ValueError, match="source label"):
            mpd.import_files(catalog, [twice], source="a b")
        assert catalog.stats()["playlists"] == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [("this is not json", "cannot read"), ('{"info": {}}', "no 'playlists' array")],
)
def test_not_mpd_json_is_malformed(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "x.json"
    path.write_text(text)
    with Catalog() as catalog, pytest.raises(MalformedFile, match=message) as info:
        mpd.import_files(catalog, [path])
    assert str(path) in str(info.value)


# -- real data ----------------------------------------------------------------------


def test_mpd_dev_has_the_documented_counts(mpd_dev: Catalog) -> None:
    stats = mpd_dev.stats()
    assert stats["playlists"] == 3_536
    assert stats["items"] == 347_610
    assert stats["sources"] == {"mpd": 3_536}
    matrix = mpd_dev.interactions(source="mpd")
    assert matrix.matrix.shape[0] == 3_536
    assert matrix.matrix.shape[1] == stats["tracks"]


def test_later_imports_fill_missing_track_values_only(tmp_path: Path) -> None:
    full = {
        "pos": 0,
        "artist_name": "Missy Elliott",
        "track_uri": f"spotify:track:{TRACK_A}",
        "artist_uri": f"spotify:artist:{TRACK_B}",
        "track_name": "Lose Control",
        "album_uri": f"spotify:album:{TRACK_B}",
        "duration_ms": 226863,
        "album_name": "The Cookbook",
    }
    reduced = _write(tmp_path / "reduced.json", _slice(REDUCED))
    other = dict(full, duration_ms=1, album_uri=f"spotify:album:{TRACK_A}")
    richer = _reduced_playlist(20, [])
    richer["tracks"] = [full]
    later = _reduced_playlist(21, [])
    later["tracks"] = [other]
    with Catalog() as catalog:
        mpd.import_files(catalog, [reduced])
        assert catalog.track_table([TRACK_A]).album_id[0] is None
        mpd.import_files(catalog, [_write(tmp_path / "b.json", _slice([richer]))])
        mpd.import_files(catalog, [_write(tmp_path / "c.json", _slice([later]))])
        table = catalog.track_table([TRACK_A])
        assert table.album_id[0] == TRACK_B  # filled by the first that knew it
        assert table.duration_ms[0] == 226863
        assert table.name[0] == "Lose Control"
