"""Pending Spotify logins are shared by the workers of a server and survive a restart.

The store is tested directly (taken once, by its session only, refused once expired,
private); then a login is started on one uvicorn worker and finished on another, and
one is finished by a server restarted in between, against the emulator on loopback.
"""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from serve_world import free_port, serve_process

from segue.emulator.testing import EmulatorServer
from segue.serve import Engine
from segue.serve.logins import PENDING_SECONDS, PendingLogin, PendingLogins

VERIFIER = "V" * 86
SID = "s" * 43


def _login(state: str, sid: str = SID, created: float = 1000.0) -> PendingLogin:
    return PendingLogin(state, sid, VERIFIER, "/next", created)


def test_a_login_is_taken_once_by_its_session_from_any_worker(tmp_path: Path) -> None:
    path = tmp_path / "logins.sqlite3"
    first, second = PendingLogins(path), PendingLogins(path)  # two workers
    first.add(_login("state-1", created=first.clock()))
    assert second.take("state-1", "another session" + "x" * 30) is None
    taken = second.take("state-1", SID)
    assert taken is not None
    assert (taken.state, taken.sid, taken.verifier) == ("state-1", SID, VERIFIER)
    assert taken.next_path == "/next"
    assert first.take("state-1", SID) is None
    assert second.take("state-1", SID) is None
    assert second.take("unknown", SID) is None


def test_an_expired_login_is_refused_and_purged(tmp_path: Path) -> None:
    now = [1000.0]
    logins = PendingLogins(tmp_path / "logins.sqlite3", clock=lambda: now[0])
    logins.add(_login("old", created=now[0]))
    logins.add(_login("late", created=now[0]))
    now[0] += PENDING_SECONDS - 1
    logins.add(_login("fresh", created=now[0]))
    now[0] += 2
    assert logins.take("late", SID) is None  # 601 s old
    logins.add(_login("new", created=now[0]))
    assert len(logins) == 2  # "old" purged, "late" taken and refused
    taken = logins.take("fresh", SID)
    assert taken is not None
    assert taken.state == "fresh"


def test_racing_workers_take_a_login_once(tmp_path: Path) -> None:
    path = tmp_path / "logins.sqlite3"
    stores = [PendingLogins(path) for _ in range(6)]
    states = [f"state-{k}" for k in range(30)]
    for state in states:
        stores[0].add(_login(state, created=stores[0].clock()))
    won: list[str] = []
    barrier = threading.Barrier(len(stores), timeout=30)

    def worker(store: PendingLogins) -> None:
        for state in states:
            barrier.wait()
            if store.take(state, SID) is not None:
                won.append(state)

    threads = [threading.Thread(target=worker, args=(s,)) for s in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(won) == sorted(states)


def test_the_file_is_private_and_the_verifier_hidden(tmp_path: Path) -> None:
    path = tmp_path / "data" / "logins.sqlite3"
    logins = PendingLogins(path)
    logins.add(_login("state-1"))
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    os.chmod(path, 0o644)
    PendingLogins(path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    for text in (repr(_login("state-1")), repr(logins)):
        assert VERIFIER not in text
        assert SID not in text
        assert "state-1" not in text


# -- through real servers -----------------------------------------------------------


@pytest.fixture
def emulator(engine: Engine) -> Iterator[EmulatorServer]:
    """A development-mode emulator serving the test world's catalog."""
    with EmulatorServer(engine.catalog, seed=3) as server:
        yield server


def _consent(http: httpx.Client) -> str:
    """Start a login through ``http``; return the path and query of the callback
    the emulator's consent page sends the browser to."""
    started = http.get("/login", params={"next": "/#saved"})
    assert started.status_code == 303, started.text
    consent = httpx.get(started.headers["location"], timeout=20)
    assert consent.is_redirect, consent.text
    callback = httpx.URL(consent.headers["location"])
    assert callback.path == "/callback"
    return f"/callback?{callback.query.decode()}"


def _count(http: httpx.Client, route: str) -> int:
    """How many GETs of ``route`` the worker behind ``http``'s connection answered."""
    prefix = f'segue_requests_total{{method="GET",route="{route}",'
    lines = http.get("/metrics").text.splitlines()
    return sum(int(line.rsplit(" ", 1)[1]) for line in lines if line.startswith(prefix))


@pytest.mark.slow
def test_a_login_started_on_one_worker_is_finished_on_another(
    world: Path, tmp_path: Path, emulator: EmulatorServer
) -> None:
    port = free_port()
    with serve_process(
        world, tmp_path / "data", port, workers=2, spotify=emulator
    ) as base:
        # each httpx client keeps one connection, so talks to one worker; the
        # workers keep separate metrics, which tell them apart
        starter = httpx.Client(base_url=base, timeout=20)
        finishers: list[httpx.Client] = []
        with starter:
            for _ in range(3):
                starter.get("/api/session")
            finisher = None
            for _ in range(60):
                candidate = httpx.Client(base_url=base, timeout=20)
                finishers.append(candidate)
                if _count(candidate, "/api/session") == 0:
                    finisher = candidate
                    break
            assert finisher is not None, "every connection went to one worker"
            try:
                callback = _consent(starter)
                finisher.cookies.update(starter.cookies)
                done = finisher.get(callback)
                assert done.status_code == 303, done.text
                assert done.headers["location"] == "/#saved"
                assert starter.get("/api/session").json()["logged_in"] is True
                # the login and the callback were answered by different workers
                assert (_count(starter, "/login"), _count(starter, "/callback")) == (
                    1,
                    0,
                )
                assert (_count(finisher, "/login"), _count(finisher, "/callback")) == (
                    0,
                    1,
                )
            finally:
                for client in finishers:
                    client.close()


@pytest.mark.slow
def test_a_login_survives_a_server_restart(
    world: Path, tmp_path: Path, emulator: EmulatorServer
) -> None:
    port = free_port()
    data = tmp_path / "data"
    with (
        serve_process(world, data, port, spotify=emulator) as base,
        httpx.Client(base_url=base, timeout=20) as http,
    ):
        callback = _consent(http)
        cookies = httpx.Cookies(http.cookies)
    # killed between the consent page and the callback
    with (
        serve_process(world, data, port, spotify=emulator) as base,
        httpx.Client(base_url=base, timeout=20, cookies=cookies) as http,
    ):
        done = http.get(callback)
        assert done.status_code == 303, done.text
        assert http.get("/api/session").json()["logged_in"] is True
        again = http.get(callback)  # the same callback, replayed
        assert again.status_code == 400
        assert "unknown or expired" in again.json()["error"]["message"]
