"""Login with Spotify (PKCE) and save to Spotify, against the emulator on loopback.

The token must stay server-side: never in a page, a cookie or a log line.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator

import httpx
import pytest
from serve_world import serving, track_id

from segue.emulator.testing import EmulatorServer
from segue.serve import Engine, Settings
from segue.serve.study import create_study

TRACKS = [track_id(1, k) for k in range(3)]


@pytest.fixture
def emulator(engine: Engine) -> Iterator[EmulatorServer]:
    """A development-mode emulator serving the test world's catalog."""
    with EmulatorServer(engine.catalog, seed=3) as server:
        yield server


@pytest.fixture
def linked(
    settings: Settings, engine: Engine, emulator: EmulatorServer
) -> Iterator[tuple[str, Settings]]:
    """The app under uvicorn, with the emulator as Spotify."""
    with serving(settings, engine, spotify=emulator) as linked_app:
        yield linked_app


def _stored_tokens(settings: Settings) -> list[str]:
    con = sqlite3.connect(settings.data_dir / "sessions.sqlite3")
    try:
        rows = con.execute("SELECT token FROM tokens").fetchall()
    finally:
        con.close()
    return [r[0] for r in rows]


def test_login_save_and_no_token_leaks(
    linked: tuple[str, Settings],
    emulator: EmulatorServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    base, settings = linked
    seen: list[str] = []
    with httpx.Client(base_url=base, follow_redirects=True, timeout=20) as http:
        before = http.get("/api/session").json()
        assert before == {"spotify_enabled": True, "logged_in": False}
        assert http.post("/api/save", json={"name": "x", "tracks": TRACKS}).json() == {
            "error": {"status": 401, "message": "log in with Spotify first"}
        }
        landing = http.get("/login", params={"next": "/"})
        assert landing.status_code == 200
        assert landing.url.path == "/"
        seen.append(landing.text)
        assert http.get("/api/session").json()["logged_in"] is True
        saved = http.post(
            "/api/save", json={"name": "segue test list", "tracks": TRACKS}
        )
        assert saved.status_code == 200, saved.text
        seen.append(saved.text)
        playlist_id = saved.json()["id"]
        mine = http.get("/api/me/playlists")
        assert playlist_id in {p["id"] for p in mine.json()["items"]}
        seen.append(mine.text)
        one = http.get(f"/api/me/playlists/{playlist_id}").json()
        assert one["tracks"] == TRACKS
        assert one["name"] == "segue test list"
        # a study participant picks that Spotify playlist instead of pasting
        study, _ = create_study(settings.data_dir, "from Spotify", list_size=3)
        trial = http.post(
            f"/study/{study.id}/api/trials", json={"spotify_playlist": playlist_id}
        )
        assert trial.status_code == 200, trial.text
        assert trial.json()["title"] == "segue test list"
        seen.append(trial.text)
        cookies = [c.value or "" for c in http.cookies.jar]
    tokens = _stored_tokens(settings)
    assert len(tokens) == 1
    access = tokens[0].split('"access_token": "')[1].split('"')[0]
    refresh = tokens[0].split('"refresh_token": "')[1].split('"')[0]
    assert len(access) > 10
    for secret in (access, refresh):
        for text in seen + cookies:
            assert secret not in text
        assert secret not in caplog.text


def test_open_redirects_are_refused(linked: tuple[str, Settings]) -> None:
    base, _ = linked
    with httpx.Client(base_url=base, follow_redirects=True, timeout=20) as http:
        landing = http.get("/login", params={"next": "//evil.example/"})
        assert landing.url.host == "127.0.0.1"
        assert landing.url.path == "/"


def test_forged_callback_is_refused(linked: tuple[str, Settings]) -> None:
    base, _ = linked
    with httpx.Client(base_url=base, timeout=20) as http:
        assert http.get("/callback", params={"code": "x"}).status_code == 400
        started = http.get("/login")  # a real pending login for this session
        assert started.status_code == 303
        r = http.get("/callback", params={"code": "x", "state": "forged"})
        assert r.status_code == 400
        assert "unknown or expired" in r.json()["error"]["message"]
