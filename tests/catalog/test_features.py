"""Importing audio-feature tables: layouts, checks, transactions, real data."""

from __future__ import annotations

import gzip
import json
import logging
from pathlib import Path

import numpy as np
import pytest

from segue.catalog import FEATURE_NAMES, Catalog, InvalidValue, MalformedFile
from segue.catalog import features as ft
from segue.catalog.errors import ImportFailed
from segue.catalog.ids import derived_id

TT_HEADER = (
    "track_id,track_name,track_artist,track_popularity,track_album_id,"
    "track_album_name,track_album_release_date,playlist_name,playlist_id,"
    "playlist_genre,playlist_subgenre,danceability,energy,key,loudness,mode,"
    "speechiness,acousticness,instrumentalness,liveness,valence,tempo,duration_ms"
)
T1, T2, T3 = (
    "6f807x0ima9a1j3VPbc7VN",
    "0r7CVbZTWZgbTCYdfa2P31",
    "1dtKN6wwlolkM8XZy2y9C1",
)
A1, A2 = "2oCs0DGTsRO98Gh5ZSl2Cx", "63rPSO264uRjW1X5E6cWv6"
P1, P2 = "37i9dQZF1DXcZDD7cfEKhW", "37i9dQZF1DX2Nc3B70tvx0"
FEATS = "0.748,0.916,6,-2.634,1,0.0583,0.102,0,0.0653,0.518,122.036"
TT_ROWS = [
    f"{T1},I Don't Care,Ed Sheeran,66,{A1},I Don't Care,2019-06-14,Pop Remix,{P1},"
    f"pop,dance pop,{FEATS},194754",
    f'{T2},"Memories, Remix",Maroon 5,67,{A2},Memories,2019,Pop Remix,{P1},'
    f"pop,dance pop,0.726,0.815,11,-4.969,1,0.0373,0.0724,0.00421,0.357,0.693,"
    f"99.972,162600",
    f"{T1},I Don't Care,Ed Sheeran,66,{A1},I Don't Care,2019-06-14,Dance,{P2},"
    f"edm,big room,{FEATS},194754",
    f"{T3},NA,NA,0,{A2},NA,2012-01-05,Dance,{P2},edm,big room,{FEATS},282707",
]
HP_HEADER = (
    "track,artist,uri,danceability,energy,key,loudness,mode,speechiness,"
    "acousticness,instrumentalness,liveness,valence,tempo,duration_ms,"
    "time_signature,chorus_hit,sections,target"
)
HP_ROWS = [
    f"Jealous Kind Of Fella,Garland Green,spotify:track:{T3},0.417,0.62,3,-7.727,"
    "1,0.0403,0.49,0,0.0779,0.845,185.655,173533,3,32.94975,9,1",
    f"Initials B.B.,Serge Gainsbourg,spotify:track:{T2},0.498,0.505,3,-12.475,1,"
    "0.0337,0.018,0.107,0.176,0.797,101.801,213613,4,48.8251,10,0",
]


def _write(path: Path, lines: list[str], *, compress: bool = False) -> Path:
    data = ("\n".join(lines) + "\n").encode()
    path.write_bytes(gzip.compress(data) if compress else data)
    return path


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
        "imports",
    )
    sums = tuple(
        catalog._fetchall(f"SELECT count(*), sum(hash(columns(*))) FROM {t}")[0]
        for t in tables
    )
    return (catalog.stats(), sums)


@pytest.fixture
def tt_file(tmp_path: Path) -> Path:
    return _write(
        tmp_path / "spotify_songs.csv.gz", [TT_HEADER, *TT_ROWS], compress=True
    )


def test_tidytuesday_brings_tracks_albums_artists_playlists(tt_file: Path) -> None:
    with Catalog() as catalog:
        summary = ft.import_files(catalog, [tt_file])
        assert (summary.rows, summary.features, summary.tracks) == (4, 3, 2)
        assert (summary.playlists, summary.items) == (2, 4)
        assert summary.sources == {"tidytuesday": 3}
        stats = catalog.stats()
        assert stats["sources"] == {"tidytuesday": 2}
        assert stats["feature_sources"] == {"tidytuesday": 3}
        tracks = {t.id: t for t in catalog.iter_tracks()}
        assert set(tracks) == {T1, T2}  # T3 has no name: features and items only
        assert tracks[T2].name == "Memories, Remix"
        assert tracks[T1].popularity == 66
        assert tracks[T1].duration_ms == 194754
        assert tracks[T1].album_id == A1
        assert tracks[T1].artist_ids == [derived_id("artist", "Ed Sheeran")]
        albums = {a.id: a for a in catalog.iter_albums()}
        assert albums[A1].release_date == "2019-06-14"
        assert albums[A1].release_date_precision == "day"
        assert albums[A2].release_date_precision == "year"
        artists = {a.name: a for a in catalog.iter_artists()}
        assert artists["Maroon 5"].derived_id
        playlist = catalog.playlist(f"tidytuesday:{P2}")
        assert playlist.name == "Dance"
        assert playlist.description == "genre: edm, subgenre: big room"
        assert [i.track_id for i in playlist.items or ()] == [T1, T3]
        row = catalog.feature_matrix([T1, T3, "missing0000000000000000"])
        expected = [0.748, 0.916, 6, -2.634, 1, 0.0583, 0.102, 0, 0.0653, 0.518]
        np.testing.assert_allclose(row[0, :10], expected)
        assert row[0, FEATURE_NAMES.index("tempo")] == pytest.approx(122.036)
        assert np.isnan(row[0, FEATURE_NAMES.index("time_signature")])
        assert np.isnan(row[2]).all()


def test_reimport_changes_nothing(tt_file: Path) -> None:
    with Catalog() as catalog:
        ft.import_files(catalog, [tt_file])
        first = _snapshot(catalog)
        ft.import_files(catalog, [tt_file])
        second = _snapshot(catalog)
        assert first[0]["imports"] + 1 == second[0]["imports"]  # type: ignore[index]
        assert first[1][:-1] == second[1][:-1]


def test_hit_predictor_layout_and_source_override(tmp_path: Path) -> None:
    path = _write(tmp_path / "dataset-of-60s.csv", [HP_HEADER, *HP_ROWS])
    with Catalog() as catalog:
        summary = ft.import_files(catalog, [path], source="hits")
        assert summary.sources == {"hits": 2}
        assert summary.playlists == 0
        features = {f.track_id: f for f in catalog.iter_features()}
        assert features[T3].source == "hits"
        assert features[T3].time_signature == 3
        assert features[T2].loudness == pytest.approx(-12.475)
        table = catalog.track_table([T3])
        assert table.artist_name[0] == "Garland Green"
        assert table.duration_ms[0] == 173533


def test_two_sources_keep_two_rows_and_average(tmp_path: Path) -> None:
    hp = _write(tmp_path / "hp.csv", [HP_HEADER, *HP_ROWS])
    tt = _write(tmp_path / "tt.csv", [TT_HEADER, *TT_ROWS])
    with Catalog() as catalog:
        ft.import_files(catalog, [tmp_path])
        assert catalog.stats()["feature_rows"] == 5
        assert catalog.stats()["features"] == 3
        both = catalog.feature_matrix([T2])[0, 0]
        assert both == pytest.approx((0.726 + 0.498) / 2)
        only = catalog.feature_matrix([T2], source="hit-predictor")[0, 0]
        assert only == pytest.approx(0.498)
    assert ft.find_files([tmp_path]) == [hp, tt]


def _audio_features(track: str, **changes: object) -> dict[str, object]:
    obj: dict[str, object] = {
        "danceability": 0.5,
        "energy": 0.6,
        "key": 5,
        "loudness": -5.5,
        "mode": 0,
        "speechiness": 0.05,
        "acousticness": 0.2,
        "instrumentalness": 0.0,
        "liveness": 0.1,
        "valence": 0.4,
        "tempo": 120.0,
        "type": "audio_features",
        "id": track,
        "uri": f"spotify:track:{track}",
        "track_href": f"https://api.spotify.com/v1/tracks/{track}",
        "analysis_url": f"https://api.spotify.com/v1/audio-analysis/{track}",
        "duration_ms": 200000,
        "time_signature": 4,
    }
    obj.update(changes)
    return obj


@pytest.mark.parametrize("shape", ["array", "wrapped", "lines", "uri-only"])
def test_spotify_json_shapes(tmp_path: Path, shape: str) -> None:
    objects = [_audio_features(T1), _audio_features(T2, energy=0.9)]
    if shape == "array":
        text = json.dumps(objects, indent=2)
    elif shape == "wrapped":
        text = json.dumps({"audio_features": [objects[0], None, objects[1]]})
    elif shape == "lines":
        text = "\n".join(json.dumps(o) for o in objects) + "\n"
    else:
        for o in objects:
            del o["id"]
        text = json.dumps(objects)
    path = tmp_path / "features.json.gz"
    path.write_bytes(gzip.compress(text.encode()))
    with Catalog() as catalog:
        summary = ft.import_files(catalog, [path])
        assert summary.sources == {"spotify-json": 2}
        assert summary.tracks == 0
        rows = {f.track_id: f for f in catalog.iter_features()}
        assert rows[T2].energy == pytest.approx(0.9)
        assert rows[T1].time_signature == 4


def test_unknown_columns_warn_once_per_file(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    header = HP_HEADER + ",decade,mood"
    rows = [r + ",1960,happy" for r in HP_ROWS]
    path = _write(tmp_path / "hp.csv", [header, *rows])
    with caplog.at_level(logging.WARNING, logger="segue"), Catalog() as catalog:
        ft.import_files(catalog, [path])
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "decade, mood" in warnings[0].getMessage()
    assert str(path) in warnings[0].getMessage()


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("danceability", "1.2", "range 0..1"),
        ("energy", "-0.1", "range 0..1"),
        ("key", "12", "range -1..11"),
        ("key", "3.5", "integer"),
        ("mode", "2", "range 0..1"),
        ("loudness", "6.0", "range -60..5"),
        ("tempo", "300", "range 0..250"),
        ("time_signature", "8", "range 0..7"),
        ("valence", "high", "not a number"),
        ("uri", "spotify:album:1dtKN6wwlolkM8XZy2y9C1", "not a Spotify track id"),
    ],
)
def test_out_of_range_values_name_file_line_field(
    tmp_path: Path, column: str, value: str, message: str
) -> None:
    header = HP_HEADER.split(",")
    bad = HP_ROWS[1].split(",")
    bad[header.index(column)] = value
    path = _write(tmp_path / "hp.csv", [HP_HEADER, HP_ROWS[0], ",".join(bad)])
    with Catalog() as catalog:
        before = _snapshot(catalog)
        with pytest.raises(InvalidValue, match=message) as info:
            ft.import_files(catalog, [path])
        assert _snapshot(catalog) == before
    assert info.value.path == str(path)
    assert info.value.line == 3
    assert info.value.field == column
    assert f"{path}:3: field {column!r}" in str(info.value)


def test_json_value_of_wrong_type_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "f.json"
    path.write_text(json.dumps([_audio_features(T1), _audio_features(T2, mode="1")]))
    with Catalog() as catalog, pytest.raises(InvalidValue) as info:
        ft.import_files(catalog, [path])
    assert (info.value.line, info.value.field) == (2, "mode")


def test_truncated_files_are_refused_and_leave_catalog_unchanged(
    tmp_path: Path, tt_file: Path
) -> None:
    whole = gzip.compress(("\n".join([TT_HEADER, *TT_ROWS * 50]) + "\n").encode())
    cut_gz = tmp_path / "cut.csv.gz"
    cut_gz.write_bytes(whole[: len(whole) // 2])
    ragged = _write(tmp_path / "ragged.csv", [TT_HEADER, *TT_ROWS, TT_ROWS[0][:40]])
    quote = tmp_path / "quote.csv"
    quote.write_text(TT_HEADER + "\n" + TT_ROWS[1][:30] + "\n")
    bad_json = tmp_path / "bad.json"
    bad_json.write_text('[\n  {"id": "' + T1 + '",\n  "energy": 0.5,\n')
    with Catalog() as catalog:
        ft.import_files(catalog, [tt_file])
        before = _snapshot(catalog)
        for path, line in ((cut_gz, None), (ragged, 6), (quote, 2), (bad_json, 4)):
            with pytest.raises(MalformedFile) as info:
                ft.import_files(catalog, [path])
            assert info.value.path == str(path)
            assert info.value.line is not None
            if line is not None:
                assert info.value.line == line, path
            assert _snapshot(catalog) == before


def test_unknown_layout_and_missing_paths(tmp_path: Path) -> None:
    other = _write(tmp_path / "other.csv", ["a,b", "1,2"])
    with Catalog() as catalog:
        with pytest.raises(MalformedFile, match="unknown layout"):
            ft.import_files(catalog, [other])
        with pytest.raises(ImportFailed, match="no such file"):
            ft.import_files(catalog, [tmp_path / "nope.csv"])
        empty = tmp_path / "empty"
        empty.mkdir()
        with pytest.raises(ImportFailed, match="holds no"):
            ft.import_files(catalog, [empty])
        with pytest.raises(ValueError, match="source label"):
            ft.import_files(catalog, [other], source="bad label")


def test_summary_texts(tt_file: Path) -> None:
    with Catalog() as catalog:
        summary = ft.import_files(catalog, [tt_file])
    data = summary.as_dict()
    assert data["rows"] == 4
    assert data["sources"] == {"tidytuesday": 3}
    text = summary.describe()
    assert text.startswith("imported 4 rows from 1 file: 3 feature rows, 2 tracks")
    assert "2 playlists with 4 items" in text


# -- real data ----------------------------------------------------------------------


def test_real_tables_row_counts_and_overlap_with_mpd_dev(
    mpd_dev: Catalog, shared_data: Path
) -> None:
    with pytest.raises(_Undo):  # leave the shared catalog as it was
        _import_real_tables_and_check(mpd_dev, shared_data)
    assert mpd_dev.stats()["features"] == 0


def _import_real_tables_and_check(catalog: Catalog, data: Path) -> None:
    rows: dict[str, int] = {}
    with catalog.transaction():
        summary = ft.import_files(
            catalog,
            [data / "spotify_songs.csv.gz", data / "hit-predictor"],
            progress=lambda path, n: rows.__setitem__(path.name, n),
        )
        assert summary.files == 7
        assert rows["spotify_songs.csv.gz"] == 32_833
        assert sum(n for name, n in rows.items() if "dataset-of" in name) == 41_106
        assert (summary.playlists, summary.items) == (471, 32_833)
        stats = catalog.stats()
        assert stats["feature_sources"] == {
            "hit-predictor": 40_560,
            "tidytuesday": 28_356,
        }
        assert stats["sources"] == {"mpd": 3_536, "tidytuesday": 471}
        coverage = stats["item_feature_coverage_by_source"]
        assert 0.26 < coverage["mpd"] < 0.32  # "about 29%" (data/README.md)
        assert coverage["tidytuesday"] == 1.0
        raise _Undo


class _Undo(Exception):
    """Raised to roll a test's changes to a shared catalog back."""
