"""The ``segue login``, ``whoami``, ``logout`` and ``collect`` commands, in-process."""

from __future__ import annotations

import json
import webbrowser
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_collect_emulator import follow, readable
from typer.testing import CliRunner

from segue.catalog import Catalog
from segue.cli import app
from segue.emulator import World
from segue.emulator.testing import EmulatorServer

pytestmark = pytest.mark.slow


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[EmulatorServer]:
    """An emulator, with the environment pointing segue at it and at ``tmp_path``."""
    running = EmulatorServer(World.synthetic(30, seed=3), seed=3).start()
    monkeypatch.setenv("SEGUE_HOME", str(tmp_path))
    monkeypatch.setenv("SPOTIFY_CLIENT_ID", running.client_id)
    monkeypatch.setenv("SPOTIFY_API_URL", running.api_url)
    monkeypatch.setenv("SPOTIFY_ACCOUNTS_URL", running.accounts_url)

    def browse(url: str, *args: object, **kwargs: object) -> bool:
        follow(url)
        return True

    monkeypatch.setattr(webbrowser, "open", browse)
    yield running
    running.stop()


def test_login_whoami_logout(server: EmulatorServer, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["login", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["user_id"] == "demo"
    token = tmp_path / "spotify-token.json"
    assert token.stat().st_mode & 0o777 == 0o600
    me = runner.invoke(app, ["whoami", "--json"])
    assert me.exit_code == 0, me.output
    assert json.loads(me.stdout)["id"] == "demo"
    assert runner.invoke(app, ["logout"]).exit_code == 0
    assert not token.exists()
    after = runner.invoke(app, ["whoami"])
    assert after.exit_code == 1
    assert "segue login" in after.output


def test_quota_stops_in_one_line_then_the_run_resumes(
    server: EmulatorServer, tmp_path: Path
) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["login"]).exit_code == 0
    db = tmp_path / "c.duckdb"
    server.reset()
    server.configure(quota=12)
    stopped = runner.invoke(app, ["--db", str(db), "collect"])
    assert stopped.exit_code == 1
    lines = [line for line in stopped.output.splitlines() if line.strip()]
    assert len(lines) == 1
    assert "quota" in lines[0]
    assert "resume" in lines[0]
    with Catalog(db, read_only=True) as catalog:
        partial = catalog.stats()["library"] + catalog.stats()["items"]
    assert partial > 0
    server.configure(quota=None)
    server.reset()
    done = runner.invoke(app, ["--db", str(db), "collect", "--json"])
    assert done.exit_code == 0, done.output
    summary = json.loads(done.stdout)
    assert summary["resumed"] is True
    mine = readable(server.world, "demo")
    items = sum(len(server.world.playlists[p].items) for p in mine)
    assert summary["catalog"]["items"] == items


def test_long_rate_limit_waits_are_announced(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import time

    from segue.cli import _collect_cmds

    class Pacer:
        blocked_until = time.monotonic() + 30

    with _collect_cmds._announce_waits(Pacer(), True):
        time.sleep(1.2)
    column = _collect_cmds._WaitColumn(lambda: Pacer.blocked_until)
    err = capsys.readouterr().err
    assert err.count("rate limited by Spotify: waiting") == 1
    assert "waiting 29s" in err or "waiting 28s" in err
    shown = str(column.render(_task()))
    assert shown.startswith("rate limited: waiting 2")


def _task() -> Any:
    from rich.progress import Progress

    with Progress(disable=True) as bar:
        task_id = bar.add_task("x", total=2)
        return bar.tasks[task_id]
