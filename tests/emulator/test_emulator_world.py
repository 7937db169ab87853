"""Worlds from hand-made catalogs, seeded derivations, copies; the CLI; the API."""

from __future__ import annotations

import datetime as dt

import pytest
from typer.testing import CliRunner

import segue.emulator
from segue.catalog import Album, Artist, Catalog, Playlist, PlaylistItem, Track
from segue.catalog.ids import is_spotify_id
from segue.emulator import DEMO_USER, World
from segue.emulator.testing import EmulatorServer


def _id(n: int, kind: str) -> str:
    return f"{kind[0]}{n:021d}"


@pytest.fixture
def catalog():
    with Catalog(":memory:") as catalog:
        artists = [Artist(id=_id(i, "artist"), name=f"Artist {i}") for i in range(4)]
        albums = [
            Album(
                id=_id(i, "album"),
                name=f"Album {i}",
                artist_ids=[artists[i % 4].id],
                release_date=f"{1990 + i}",
                release_date_precision="year",
            )
            for i in range(6)
        ]
        tracks = [
            Track(
                id=_id(i, "track"),
                name=f"Song {i}",
                artist_ids=[albums[i % 6].artist_ids[0]],
                album_id=albums[i % 6].id,
                duration_ms=200_000,
                track_number=i // 6 + 1,
                isrc=f"XX{i:010d}",
            )
            for i in range(30)
        ]
        playlists = [
            Playlist(
                id=f"mpd:{p}",
                source="mpd",
                name=f"list {p}",
                items=[
                    PlaylistItem(
                        position=k,
                        track_id=tracks[(p * 3 + k) % 30].id,
                        added_at=dt.datetime(2020, 1, 1),
                    )
                    for k in range(5)
                ],
            )
            for p in range(10)
        ]
        catalog.upsert([*artists, *albums, *tracks, *playlists])
        yield catalog


def test_world_from_a_dataset_catalog(catalog):
    world = World.from_catalog(catalog, seed=1)
    assert len(world.playlists) == 10
    assert all(is_spotify_id(p) for p in world.playlists)
    owned = world.by_owner[DEMO_USER]
    assert len(owned) == 3
    follows = world.library(DEMO_USER).followed_playlists
    assert len(follows) == 3
    assert not set(follows) & set(owned)
    assert all(p.owner_id for p in world.playlists.values())
    assert world.album_tracks[_id(0, "album")] == [
        _id(i, "track") for i in (0, 6, 12, 18, 24)
    ]
    other = World.from_catalog(catalog, seed=2)
    assert set(other.by_owner[DEMO_USER]) != set(owned)
    again = World.from_catalog(catalog, seed=1)
    assert again.by_owner[DEMO_USER] == owned
    assert again.library(DEMO_USER).recent == world.library(DEMO_USER).recent


def test_a_clone_takes_writes_alone(catalog):
    world = World.from_catalog(catalog)
    copy = world.clone()
    pid = world.by_owner[DEMO_USER][0]
    copy.playlists[pid].items.clear()
    copy.library(DEMO_USER).saved_tracks.clear()
    copy.create_playlist(DEMO_USER, "new")
    assert world.playlists[pid].items
    assert world.library(DEMO_USER).saved_tracks
    assert len(world.by_owner[DEMO_USER]) == 3


def test_server_serves_a_catalog(catalog):
    import httpx

    with EmulatorServer(catalog, seed=1) as server:
        token = server.user_token()
        answer = httpx.get(
            f"{server.api_url}/search",
            params={"q": "year:1991", "type": "album"},
            headers={"Authorization": f"Bearer {token}"},
        )
    assert [a["id"] for a in answer.json()["albums"]["items"]] == [_id(1, "album")]


def test_public_names():
    for name in segue.emulator.__all__:
        assert getattr(segue.emulator, name) is not None


def test_cli_refuses_bad_options(tmp_path):
    from segue.cli import app

    runner = CliRunner()
    help_text = runner.invoke(app, ["emulator", "serve", "--help"])
    assert help_text.exit_code == 0
    assert "--rate-limit" in help_text.output
    missing = runner.invoke(
        app, ["emulator", "serve", "--db", str(tmp_path / "no.duckdb")]
    )
    assert missing.exit_code == 2
    bad = runner.invoke(
        app, ["emulator", "serve", "--synthetic", "5", "--error-rate", "3"]
    )
    assert bad.exit_code == 2
    client = runner.invoke(
        app, ["emulator", "serve", "--synthetic", "5", "--client", "x"]
    )
    assert client.exit_code == 2


def test_cli_serves_and_says_where(tmp_path):
    import re
    import subprocess
    import sys

    import httpx

    command = [sys.executable, "-m", "segue", "emulator", "serve"]
    command += ["--synthetic", "5", "--port", "0", "--rate-limit", "100"]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stderr is not None
        lines = [process.stderr.readline() for _ in range(6)]
        text = "".join(lines)
        assert "segue-demo / segue-demo-secret" in text
        assert "demo" in text
        base = re.search(r"Web API:\s+(\S+)", text)
        assert base is not None
        token = httpx.post(
            base[1].removesuffix("/v1") + "/api/token",
            data={"grant_type": "client_credentials"},
            auth=("segue-demo", "segue-demo-secret"),
        ).json()["access_token"]
        answer = httpx.get(
            base[1] + "/search",
            params={"q": "a", "type": "artist"},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert answer.status_code == 200
    finally:
        process.terminate()
        process.wait(10)
        if process.stderr is not None:
            process.stderr.close()


def test_emulator_in_a_child_process():
    import httpx

    from segue.emulator.testing import EmulatorProcess

    with EmulatorProcess(synthetic=8, seed=4, rate_limit=3) as server:
        token = server.user_token()
        headers = {"Authorization": f"Bearer {token}"}
        track = next(iter(server.world.tracks))
        with httpx.Client(base_url=server.api_url, headers=headers) as http:
            assert http.get(f"/tracks/{track}").json()["id"] == track
            assert http.get("/me").json()["id"] == DEMO_USER
            assert http.get("/me").status_code == 200
            assert http.get("/me").status_code == 429
        assert server.stats()["rate_limited"] == 1
        server.reset()
        server.configure(rate_limit=None)
        plain = httpx.get(
            f"{server.api_url}/me",
            headers={"Authorization": f"Bearer {server.client_token()}"},
        )
        assert plain.status_code == 401


def test_catalog_values_become_spotify_values(catalog, schemas):
    import httpx

    album = Album(
        id=_id(99, "album"),
        name="Odd",
        artist_ids=[_id(0, "artist")],
        album_type="EP",
        release_date="1999-05",
    )
    catalog.upsert([album])
    with EmulatorServer(catalog) as server:
        answer = httpx.get(
            f"{server.api_url}/albums/{album.id}",
            headers={"Authorization": f"Bearer {server.client_token()}"},
        ).json()
    assert answer["album_type"] == "single"
    assert (answer["release_date"], answer["release_date_precision"]) == (
        "1999-05",
        "month",
    )
    schemas.check("responses/OneAlbum", answer, dev=True)
