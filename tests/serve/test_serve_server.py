"""The service over real HTTP: uvicorn in a thread, and a server killed mid-study."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from serve_world import free_port, serving, track_id, wait_for

from segue.serve import Engine, Settings
from segue.serve.api import NO_SEEDS, UNSUPPORTED_HEADER
from segue.serve.study import create_study

SEEDS = [track_id(3, 0), track_id(3, 1), track_id(4, 2)]


@pytest.fixture
def live(settings: Settings, engine: Engine) -> Iterator[str]:
    """The app served by uvicorn in a thread; yields its base URL."""
    with serving(settings, engine) as (url, _):
        yield url


@pytest.mark.parametrize(
    ("path", "params", "status", "message"),
    [
        ("/v1/recommendations", {}, 400, NO_SEEDS),
        ("/v1/recommendations", {"seed_tracks": "x"}, 400, "invalid request"),
        (
            "/v1/recommendations",
            {"seed_tracks": SEEDS[0], "limit": "500"},
            400,
            "Invalid limit",
        ),
        ("/v1/recommendations", {"seed_tracks": SEEDS[0], "limit": "3"}, 200, None),
    ],
)
def test_running_server_answers_like_in_process(
    live: str, path: str, params: dict[str, str], status: int, message: str | None
) -> None:
    response = httpx.get(live + path, params=params, timeout=10)
    assert response.status_code == status
    if message is not None:
        assert response.json() == {"error": {"status": status, "message": message}}
    else:
        tracks = response.json()["tracks"]
        assert len(tracks) == 3
        assert tracks[0]["href"].startswith(live + "/v1/tracks/")


def test_running_server_reports_unsupported(live: str) -> None:
    response = httpx.get(
        live + "/v1/recommendations",
        params={"seed_tracks": SEEDS[0], "min_popularity": "10"},
        timeout=10,
    )
    assert response.headers[UNSUPPORTED_HEADER] == "popularity"
    metrics = httpx.get(live + "/metrics", timeout=10).text
    assert 'route="/v1/recommendations",status="200"} 1' in metrics


@pytest.mark.slow
def test_killed_server_loses_no_answer(world: Path, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    study, _ = create_study(data_dir, "crash", list_size=5)
    port = free_port()
    env = {**os.environ, "SEGUE_HOME": str(tmp_path / "home")}
    env.pop("SPOTIFY_CLIENT_ID", None)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "segue",
            "serve",
            "--db",
            str(world),
            "--model",
            "popularity",
            "--port",
            str(port),
            "--data-dir",
            str(data_dir),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    acknowledged: list[tuple[str, str, str, int]] = []
    choices: list[tuple[str, str]] = []
    stop = threading.Event()

    def participant() -> None:
        # answers as fast as it can, until the server dies under it
        with httpx.Client(base_url=base, timeout=10) as http:
            k = 0
            while not stop.is_set():
                try:
                    trial = http.post(
                        f"/study/{study.id}/api/trials",
                        json={"tracks": SEEDS[k % 3 :], "title": f"t{k}"},
                    ).json()
                    for side in ("left", "right"):
                        for n, track in enumerate(trial[side]):
                            rating = ("like", "neutral", "dislike")[(n + k) % 3]
                            r = http.post(
                                f"/study/{study.id}/api/trials/{trial['id']}/ratings",
                                json={
                                    "side": side,
                                    "track": track["id"],
                                    "rating": rating,
                                },
                            )
                            r.raise_for_status()
                            acknowledged.append(
                                (trial["id"], side, track["id"], r.json()["rating"])
                            )
                    side = "left" if k % 2 else "right"
                    http.post(
                        f"/study/{study.id}/api/trials/{trial['id']}/choice",
                        json={"side": side},
                    ).raise_for_status()
                    choices.append((trial["id"], side))
                except httpx.TransportError:
                    return
                k += 1

    worker = threading.Thread(target=participant, daemon=True)
    try:
        wait_for(base + "/health", proc, 60)
        worker.start()
        deadline = time.monotonic() + 60
        while len(acknowledged) < 45 and time.monotonic() < deadline:
            time.sleep(0.005)
    finally:
        proc.send_signal(signal.SIGKILL)  # mid-study: requests are in flight
        proc.wait(timeout=10)
        stop.set()
        worker.join(timeout=15)
        if proc.stdout:
            proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL
    con = sqlite3.connect(study.path)
    try:
        stored = set(
            con.execute("SELECT trial_id, side, track_id, rating FROM ratings")
        )
        stored_choices = set(con.execute("SELECT trial_id, side FROM choices"))
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        con.close()
    assert len(acknowledged) >= 45
    assert choices
    assert set(acknowledged) <= stored
    assert set(choices) <= stored_choices
