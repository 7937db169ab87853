"""``segue train`` and ``segue recommend`` through typer's runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from segue.catalog import Catalog
from segue.catalog.synth import SynthConfig, World, generate
from segue.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, World]:
    folder = tmp_path_factory.mktemp("cli")
    world = generate(SynthConfig(playlists=300, seed=11))
    with Catalog(folder / "catalog.duckdb") as catalog:
        world.write_catalog(catalog)
    result = runner.invoke(
        app,
        [
            "--db",
            str(folder / "catalog.duckdb"),
            "train",
            "--ranker-playlists",
            "120",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    card = json.loads(result.stdout)
    assert card["playlists"] == 300
    assert Path(card["model"]) == folder / "model"
    return folder, world


def _run(folder: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--db", str(folder / "catalog.duckdb"), *args])
    return result.exit_code, result.stdout, result.stderr


def test_recommend_a_playlist_as_json(trained: tuple[Path, World]) -> None:
    folder, world = trained
    playlist = str(world.playlist_ids[0])
    code, out, err = _run(
        folder, "recommend", "--playlist", playlist, "-n", "15", "--json"
    )
    assert code == 0, err
    data = json.loads(out)
    assert len(data["tracks"]) == 15
    seeds = {str(world.track_ids[t]) for t in world.playlist(0)}
    assert not seeds & {t["track_id"] for t in data["tracks"]}
    assert data["title"] == world.playlist_titles[0]
    assert all(t["name"] and t["reason"] for t in data["tracks"])
    artists = [t["artist"] for t in data["tracks"]]
    assert max(artists.count(a) for a in artists) <= 3  # the default cap


def test_a_cap_of_one_gives_twenty_artists(trained: tuple[Path, World]) -> None:
    folder, world = trained
    playlist = str(world.playlist_ids[4])
    code, out, err = _run(
        folder,
        "recommend",
        "--playlist",
        playlist,
        "-n",
        "20",
        "--max-per-artist",
        "1",
        "--json",
    )
    assert code == 0, err
    artists = [t["artist"] for t in json.loads(out)["tracks"]]
    assert len(set(artists)) == 20


def test_recommend_tracks_with_explanations(trained: tuple[Path, World]) -> None:
    folder, world = trained
    seeds = ",".join(str(world.track_ids[t]) for t in world.playlist(1)[:5])
    code, out, err = _run(
        folder, "recommend", "--tracks", seeds, "-n", "5", "--explain", "--json"
    )
    assert code == 0, err
    rows = json.loads(out)["tracks"]
    assert all(row["generators"] for row in rows)
    assert all(row["closest_seeds"] for row in rows)


def test_recommend_a_title_as_a_table(trained: tuple[Path, World]) -> None:
    folder, world = trained
    code, out, err = _run(
        folder, "recommend", "--title", str(world.playlist_titles[2]), "-n", "5"
    )
    assert code == 0, err
    assert "continuing" in out


def test_unknown_tracks_warn_or_fail(trained: tuple[Path, World]) -> None:
    folder, world = trained
    known = str(world.track_ids[world.playlist(0)[0]])
    code, out, err = _run(
        folder, "recommend", "--tracks", f"{known},nope", "-n", "3", "--json"
    )
    assert code == 0, err
    assert "1 of 2 seed tracks are unknown" in err
    assert json.loads(out)["unknown_seeds"] == ["nope"]
    code, _, err = _run(folder, "recommend", "--tracks", "nope,nada")
    assert code == 1
    assert "none of the 2 seed tracks is known" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "give --playlist ID"),
        (("--playlist", "x", "--tracks", "y"), "not both"),
    ],
)
def test_usage_errors(
    trained: tuple[Path, World], args: tuple[str, ...], message: str
) -> None:
    code, _, err = _run(trained[0], "recommend", *args)
    assert code == 2
    assert message in err


def test_missing_model_and_catalog(trained: tuple[Path, World], tmp_path: Path) -> None:
    code, _, err = _run(
        trained[0], "recommend", "--title", "x", "--model", str(tmp_path / "none")
    )
    assert code == 1
    assert "no card.json" in err
    result = runner.invoke(
        app, ["--db", str(tmp_path / "no.duckdb"), "recommend", "--title", "x"]
    )
    assert result.exit_code == 1
    assert "no catalog" in result.stderr
