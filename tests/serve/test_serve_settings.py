"""Settings for worker processes, and the session key file."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from segue.serve import ConfigError, Settings
from segue.serve.sessions import SessionStore
from segue.serve.settings import session_secret


def test_settings_travel_without_the_secret(tmp_path: Path) -> None:
    settings = Settings(
        catalog=tmp_path / "c.duckdb",
        model="popularity",
        data_dir=tmp_path / "d",
        spotify_client_id="app",
        secret="do-not-travel-" + "x" * 30,
    )
    text = settings.to_env()
    assert "do-not-travel" not in text
    back = Settings.from_env(text)
    assert back.catalog == settings.catalog
    assert back.data_dir == settings.data_dir
    assert back.spotify_client_id == "app"
    assert back.secret is None
    assert "do-not-travel" not in repr(settings)


@pytest.mark.parametrize("text", ["", "{}", "[1]", '{"catalog": 1, "bogus": 2}'])
def test_bad_settings_json(text: str) -> None:
    with pytest.raises(ConfigError, match="not valid settings JSON"):
        Settings.from_env(text)


def test_from_environ(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SPOTIFY_CLIENT_ID", "cid")
    monkeypatch.setenv("SPOTIFY_API_URL", "http://127.0.0.1:1/v1")
    monkeypatch.setenv("SPOTIFY_ACCOUNTS_URL", "http://127.0.0.1:1")
    settings = Settings.from_environ(catalog=tmp_path / "c", data_dir=tmp_path)
    assert settings.spotify_client_id == "cid"
    assert settings.api_url == "http://127.0.0.1:1/v1"
    assert settings.accounts_url == "http://127.0.0.1:1"


def test_session_key_file_is_private_and_stable(tmp_path: Path) -> None:
    settings = Settings(catalog=tmp_path / "c", data_dir=tmp_path / "d")
    first = session_secret(settings)
    path = tmp_path / "d" / "session.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(first) >= 32
    assert session_secret(settings) == first
    path.write_text("short")
    with pytest.raises(ConfigError, match="too short"):
        session_secret(settings)


def test_token_store_file_is_private_even_when_found_wider(tmp_path: Path) -> None:
    path = tmp_path / "d" / "tokens.sqlite3"
    SessionStore(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    path.chmod(0o644)
    SessionStore(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
