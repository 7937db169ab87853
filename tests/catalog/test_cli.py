"""``segue import`` and ``segue stats`` through typer's runner."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from segue.catalog import Catalog
from segue.cli import app

runner = CliRunner()

HEADER = (
    "track,artist,uri,danceability,energy,key,loudness,mode,speechiness,"
    "acousticness,instrumentalness,liveness,valence,tempo,duration_ms,"
    "time_signature,chorus_hit,sections,target"
)
ROW = (
    "Jealous Kind Of Fella,Garland Green,spotify:track:1dtKN6wwlolkM8XZy2y9C1,0.417,"
    "0.62,3,-7.727,1,0.0403,0.49,0,0.0779,0.845,185.655,173533,3,32.94975,9,1"
)


@pytest.fixture
def slices(shared_data: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "slices"
    folder.mkdir()
    for path in sorted((shared_data / "mpd-dev").glob("*.json.gz"))[:12]:
        shutil.copy(path, folder / path.name)
    return folder


def _stats(db: Path) -> dict[str, object]:
    result = runner.invoke(app, ["--db", str(db), "stats", "--json"])
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(result.stdout)
    return data


def test_import_mpd_and_features_then_stats(slices: Path, tmp_path: Path) -> None:
    db = tmp_path / "catalog.duckdb"
    result = runner.invoke(app, ["--db", str(db), "-q", "import", "mpd", str(slices)])
    assert result.exit_code == 0, result.output
    with Catalog(db, read_only=True) as catalog:
        expected = catalog.stats()
    features = tmp_path / "hits.csv"
    features.write_text(f"{HEADER}\n{ROW}\n")
    result = runner.invoke(
        app,
        ["--db", str(db), "import", "features", str(features), "--json"],
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["rows"] == 1
    assert summary["sources"] == {"hit-predictor": 1}
    data = _stats(db)
    for key in ("playlists", "items", "tracks", "artists", "albums", "features"):
        assert isinstance(data[key], int), key
    assert data["playlists"] == expected["playlists"] > 0
    assert data["items"] == expected["items"]
    assert data["features"] == 1
    assert data["sources"] == {"mpd": expected["playlists"]}
    assert data["feature_sources"] == {"hit-predictor": 1}


def test_mpd_summary_line_and_source_label(slices: Path, tmp_path: Path) -> None:
    db = tmp_path / "catalog.duckdb"
    files = sorted(slices.iterdir())[:2]
    result = runner.invoke(
        app,
        ["--db", str(db), "import", "mpd", *map(str, files), "--source", "dev"],
    )
    assert result.exit_code == 0, result.output
    assert "imported" in result.output
    assert "playlists" in result.output
    assert list(_stats(db)["sources"]) == ["dev"]  # type: ignore[call-overload]


def test_features_summary_line(tmp_path: Path) -> None:
    db = tmp_path / "catalog.duckdb"
    features = tmp_path / "hits.csv.gz"
    features.write_bytes(gzip.compress(f"{HEADER}\n{ROW}\n".encode()))
    result = runner.invoke(app, ["--db", str(db), "import", "features", str(features)])
    assert result.exit_code == 0, result.output
    assert "imported 1 rows from 1 file" in result.output


def test_truncated_file_fails_naming_it(slices: Path, tmp_path: Path) -> None:
    db = tmp_path / "catalog.duckdb"
    first = sorted(slices.iterdir())[0]
    runner.invoke(app, ["--db", str(db), "-q", "import", "mpd", str(first)])
    before = _stats(db)
    text = gzip.decompress(first.read_bytes())
    cut = tmp_path / "cut.json"
    cut.write_bytes(text[: len(text) // 2])
    result = runner.invoke(app, ["--db", str(db), "import", "mpd", str(cut)])
    assert result.exit_code == 1
    assert "cut.json" in result.output
    after = _stats(db)
    assert {k: v for k, v in after.items() if k != "imports"} == {
        k: v for k, v in before.items() if k != "imports"
    }


def test_bad_feature_value_fails_naming_file_line_field(tmp_path: Path) -> None:
    db = tmp_path / "catalog.duckdb"
    features = tmp_path / "hits.csv"
    features.write_text(f"{HEADER}\n{ROW}\n{ROW.replace(',0.62,', ',1.62,')}\n")
    result = runner.invoke(app, ["--db", str(db), "import", "features", str(features)])
    assert result.exit_code == 1
    assert "hits.csv:3" in result.output
    assert "energy" in result.output


def test_missing_file_and_usage_errors(tmp_path: Path) -> None:
    db = tmp_path / "catalog.duckdb"
    missing = runner.invoke(
        app, ["--db", str(db), "import", "mpd", str(tmp_path / "nope.json")]
    )
    assert missing.exit_code == 1
    assert "nope.json" in missing.output
    assert runner.invoke(app, ["--db", str(db), "import", "mpd"]).exit_code == 2
    assert runner.invoke(app, ["--db", str(db), "stats", "--bogus"]).exit_code == 2
    no_catalog = runner.invoke(app, ["--db", str(tmp_path / "none.duckdb"), "stats"])
    assert no_catalog.exit_code == 1
    assert "no catalog yet" in no_catalog.output
