"""End to end against the emulator in development mode: login, collect, kill, resume.

The collector runs in-process for counts and faults, and as a real ``python -m segue
collect`` subprocess for the SIGKILL test; the emulator's statistics tell what was
requested.
"""

from __future__ import annotations

import collections
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from test_collect_collector import dump

from segue import spotify as s
from segue.catalog import Catalog
from segue.collect import Collector, session
from segue.emulator import World
from segue.emulator.testing import EmulatorServer

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def world() -> World:
    """A synthetic world whose demo user owns, follows and collaborates.

    A dozen more playlists are handed to the demo user, so that a collection spans
    many pages and hydration chunks.
    """
    made = World.synthetic(100, seed=7)
    followed = set(made.follows.get("demo", ()))
    others = [
        p
        for p in sorted(made.playlists)
        if made.playlists[p].owner_id != "demo" and p not in followed
    ]
    for pid in others[:12]:
        made.playlists[pid].owner_id = "demo"
    return made.clone()


def follow(url: str) -> None:
    """Play the browser: follow the authorize URL to the loopback redirect."""
    threading.Thread(
        target=lambda: httpx.get(url, follow_redirects=True, timeout=10), daemon=True
    ).start()


def log_in(server: EmulatorServer, home: Path) -> session.Session:
    start = session.Session(
        client_id=server.client_id,
        api_url=server.api_url,
        accounts_url=server.accounts_url,
        home=home,
    )
    return session.login(start, open_url=follow, timeout=20)


def routes(server: EmulatorServer) -> collections.Counter[str]:
    """Requests per route of the Web API (all statuses)."""
    counts: collections.Counter[str] = collections.Counter()
    for route, statuses in server.stats()["by_route"].items():
        if " /v1/" in route:
            counts[route] += sum(statuses.values())
    return counts


def readable(world: World, user: str) -> list[str]:
    """Playlists of the user's list whose items development mode may read."""
    library = world.library(user)
    listed = list(world.by_owner.get(user, [])) + list(library.followed_playlists)
    return [
        p
        for p in dict.fromkeys(listed)
        if world.playlists[p].owner_id == user or world.playlists[p].collaborative
    ]


@pytest.fixture
def server(world: World) -> Iterator[EmulatorServer]:
    with EmulatorServer(world.clone(), seed=7) as running:
        yield running


def test_login_stores_a_private_token_and_whoami_reads_it(
    server: EmulatorServer, tmp_path: Path
) -> None:
    done = log_in(server, tmp_path)
    assert done.user_id == "demo"
    assert done.token_path.stat().st_mode & 0o777 == 0o600
    assert done.login_path.stat().st_mode & 0o777 == 0o600
    assert "access_token" not in done.login_path.read_text()
    again = session.load_session(home=tmp_path)
    assert again.client_id == server.client_id
    assert session.whoami(again).id == "demo"
    assert session.logout(tmp_path)
    assert not done.token_path.exists()


def check_against_world(catalog: Catalog, world: World, summary: Any) -> None:
    """What the demo user may read is in the catalog, all of it, nothing twice."""
    library = world.library("demo")
    mine = readable(world, "demo")
    assert len(mine) >= 2
    assert any(p not in mine for p in library.followed_playlists)
    assert summary.playlists == len(mine)
    for pid in mine:
        expected = [e.track_id for e in world.playlists[pid].items]
        stored = catalog.playlist(pid)
        assert [i.track_id for i in stored.items or ()] == expected
        assert stored.snapshot_id == world.playlists[pid].snapshot_id
    assert catalog.stats()["items"] == sum(len(world.playlists[p].items) for p in mine)
    kinds = collections.Counter(e.kind for e in catalog.library())
    assert kinds["saved_track"] == len(library.saved_tracks)
    assert kinds["saved_album"] == len(library.saved_albums)
    assert kinds["followed_artist"] == len(library.followed_artists)
    assert kinds["top_track"] == sum(len(v) for v in library.top_tracks.values())
    assert kinds["top_artist"] == sum(len(v) for v in library.top_artists.values())
    assert kinds["recent_track"] == len(library.recent)
    tracks = {t.id: t for t in catalog.iter_tracks()}
    for track_id, track in tracks.items():
        assert track.isrc == world.tracks[track_id].isrc
        assert track.artist_ids == world.tracks[track_id].artist_ids
    albums = {a.id: a for a in catalog.iter_albums()}
    assert {t.album_id for t in tracks.values()} <= set(albums)
    for album_id, album in albums.items():
        assert album.upc == world.albums[album_id].upc
    artists = {a.id for a in catalog.iter_artists()}
    assert {a for t in tracks.values() for a in t.artist_ids} <= artists
    assert summary.access_mode == "development"


def test_collect_counts_equal_the_world(server: EmulatorServer, tmp_path: Path) -> None:
    done = log_in(server, tmp_path)
    with (
        Catalog(tmp_path / "c.duckdb") as catalog,
        Collector(catalog, session.connector(done)) as collector,
    ):
        summary = collector.collect()
        check_against_world(catalog, server.world, summary)
        assert summary.features_unavailable == ["spotify"]
        # a second run asks for the lists again, and for nothing it already has
        server.reset()
        again = collector.collect()
    assert again.skipped_unchanged == summary.playlists
    second = routes(server)
    assert second["GET /v1/playlists/{id}/items"] == 0
    assert second["GET /v1/tracks/{id}"] + second["GET /v1/albums/{id}"] == 0
    assert second["GET /v1/audio-features"] == 0


def test_faults_and_a_tight_rate_limit_lose_nothing(
    world: World, tmp_path: Path
) -> None:
    with EmulatorServer(
        world.clone(),
        seed=7,
        error_rate=0.15,
        drop_rate=0.03,
        rate_limit=25,
        rate_window_s=1.0,
    ) as faulty:
        done = log_in(faulty, tmp_path)
        pacer = s.Pacer(window=1.0, guard=0.05)
        with (
            Catalog(tmp_path / "c.duckdb") as catalog,
            Collector(
                catalog, session.connector(done, pacer=pacer, max_wait=10)
            ) as collector,
        ):
            summary = collector.collect()
            check_against_world(catalog, faulty.world, summary)
        stats = faulty.stats()
    assert stats["faults"] > 0
    assert stats["dropped"] > 0
    assert stats["rate_limited"] > 0
    assert summary.retries > 0


def _collect_cmd(home: Path, db: Path, server: EmulatorServer) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "SEGUE_HOME": str(home),
        "SPOTIFY_API_URL": server.api_url,
        "SPOTIFY_ACCOUNTS_URL": server.accounts_url,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "segue", "-q", "--db", str(db), "collect"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish(proc: subprocess.Popen[str]) -> None:
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err


def test_sigkill_then_resume_equals_an_uninterrupted_run(
    world: World, tmp_path: Path
) -> None:
    with EmulatorServer(world.clone(), seed=7, latency_ms=5) as server:
        done = log_in(server, tmp_path)
        server.reset()
        _finish(_collect_cmd(tmp_path, tmp_path / "once.duckdb", server))
        once = routes(server)
        total = sum(once.values())
        assert total > 60

        server.reset()
        proc = _collect_cmd(tmp_path, tmp_path / "twice.duckdb", server)
        deadline = time.monotonic() + 60
        while sum(routes(server).values()) < total // 2:
            assert proc.poll() is None, "the collector ended before the kill"
            assert time.monotonic() < deadline
            time.sleep(0.01)
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=10)
        assert proc.returncode == -signal.SIGKILL
        killed_at = sum(routes(server).values())
        assert killed_at < total
        _finish(_collect_cmd(tmp_path, tmp_path / "twice.duckdb", server))
        both = routes(server)
    assert done.user_id == "demo"
    with (
        Catalog(tmp_path / "once.duckdb", read_only=True) as a,
        Catalog(tmp_path / "twice.duckdb", read_only=True) as b,
    ):
        assert dump(b) == dump(a)
        assert a.stats()["items"] > 0
    assert not once - both, "the resumed run left something out"
    extra = both - once
    # only what was in flight at the kill is asked again: at most one page, or one
    # hydration chunk of 16 concurrent single requests
    assert sum(extra.values()) <= 16, extra


def test_expired_login_is_one_line_and_keeps_the_catalog(
    server: EmulatorServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from segue.cli import app

    done = log_in(server, tmp_path)
    monkeypatch.setenv("SEGUE_HOME", str(tmp_path))
    monkeypatch.setenv("SPOTIFY_API_URL", server.api_url)
    monkeypatch.setenv("SPOTIFY_ACCOUNTS_URL", server.accounts_url)
    db = tmp_path / "c.duckdb"
    runner = CliRunner()
    mine = readable(server.world, "demo")[0]
    first = runner.invoke(
        app, ["--db", str(db), "-q", "collect", "--playlist", mine, "--json"]
    )
    assert first.exit_code == 0, first.output
    token = done.store().load()
    assert token is not None
    done.store().save(
        s.Token(access_token="stale", expires_at=0.0, refresh_token="revoked")
    )
    result = runner.invoke(app, ["--db", str(db), "collect"])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1
    assert "segue login" in lines[0]
    with Catalog(db, read_only=True) as catalog:
        assert catalog.stats()["items"] > 0


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("https://example.com/playlist/abc", "not a Spotify playlist"),
        ("spotify:track:4uLU6hMCjMI75M1A2tKUQC", "not a Spotify playlist"),
        ("", "not a Spotify playlist"),
    ],
)
def test_malformed_playlist_refs_fail_in_one_line(
    ref: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from segue.cli import app

    monkeypatch.setenv("SEGUE_HOME", str(tmp_path))
    result = CliRunner().invoke(
        app, ["--db", str(tmp_path / "c.duckdb"), "collect", "--playlist", ref]
    )
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1
    assert message in lines[0]


def test_other_users_playlist_is_refused_in_one_line(
    server: EmulatorServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from segue.cli import app

    log_in(server, tmp_path)
    other = next(
        p
        for p in server.world.library("demo").followed_playlists
        if p not in readable(server.world, "demo")
    )
    monkeypatch.setenv("SEGUE_HOME", str(tmp_path))
    monkeypatch.setenv("SPOTIFY_API_URL", server.api_url)
    monkeypatch.setenv("SPOTIFY_ACCOUNTS_URL", server.accounts_url)
    link = f"https://open.spotify.com/intl-fr/playlist/{other}?si=x1"
    db = tmp_path / "c.duckdb"
    result = CliRunner().invoke(app, ["--db", str(db), "collect", "--playlist", link])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1
    assert "own or collaborate" in lines[0]
    mine = readable(server.world, "demo")[0]
    ok = CliRunner().invoke(
        app, ["--db", str(db), "collect", "--playlist", mine, "--json"]
    )
    assert ok.exit_code == 0, ok.output
    with Catalog(db, read_only=True) as catalog:
        assert catalog.playlist_ids() == [mine]
