"""Rate limit, quota, latency, injected faults and statistics, over loopback."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from segue.emulator import ApiError, Config, Emulator


def auth(token):
    return {"Authorization": f"Bearer {token}"}


def statuses(server, n, token=None, path=None):
    token = token or server.client_token()
    path = path or f"/tracks/{next(iter(server.world.tracks))}"
    found = []
    with httpx.Client(base_url=server.api_url, headers=auth(token), timeout=5) as http:
        for _ in range(n):
            try:
                found.append(http.get(path).status_code)
            except httpx.TransportError:
                found.append(0)
    return found


def test_rate_limit_answers_429_with_retry_after(emulator_factory):
    server = emulator_factory(rate_limit=5)
    token = server.client_token()
    with httpx.Client(base_url=server.api_url, headers=auth(token)) as http:
        path = f"/tracks/{next(iter(server.world.tracks))}"
        assert [http.get(path).status_code for _ in range(5)] == [200] * 5
        limited = http.get(path)
    assert limited.status_code == 429
    assert limited.json() == {
        "error": {"status": 429, "message": "API rate limit exceeded"}
    }
    assert 1 <= int(limited.headers["retry-after"]) <= 30
    stats = server.stats()
    assert stats["rate_limited"] == 1
    assert stats["by_route"]["GET /v1/tracks/{id}"] == {"200": 5, "429": 1}
    # another app has its own window
    other = server.app.accounts.mint("another-app", None)
    assert statuses(server, 1, token=other) == [200]


def test_no_rate_limit_by_default(emulator):
    assert set(statuses(emulator, 40)) == {200}


def test_the_window_rolls(emulator_world):
    now = [100.0]
    app = Emulator(
        emulator_world.clone(), Config(rate_limit=3), monotonic=lambda: now[0]
    )
    for _ in range(3):
        app.limits.admit("app")
        now[0] += 5
    with pytest.raises(ApiError) as caught:
        app.limits.admit("app")
    assert caught.value.status == 429
    assert caught.value.headers["Retry-After"] == "15"
    now[0] = 130.5  # the first request has left the window
    app.limits.admit("app")
    with pytest.raises(ApiError) as caught:
        app.limits.admit("app")
    assert caught.value.headers["Retry-After"] == "5"


def test_hammering_can_lengthen_the_wait(emulator_world):
    now = [0.0]
    app = Emulator(
        emulator_world.clone(),
        Config(rate_limit=2, count_rejected=True),
        monotonic=lambda: now[0],
    )
    app.limits.admit("app")
    now[0] = 1.0
    app.limits.admit("app")
    now[0] = 20.0
    with pytest.raises(ApiError) as caught:
        app.limits.admit("app")
    assert caught.value.headers["Retry-After"] == "11"
    now[0] = 29.0
    with pytest.raises(ApiError) as caught:
        app.limits.admit("app")
    # the refused request at 20 s now holds the window until 50 s
    assert caught.value.headers["Retry-After"] == "21"
    now[0] = 31.0
    with pytest.raises(ApiError):
        app.limits.admit("app")


def test_quota_exceeded_has_its_reason(emulator_factory):
    server = emulator_factory(quota=3)
    token = server.client_token()
    with httpx.Client(base_url=server.api_url, headers=auth(token)) as http:
        path = f"/tracks/{next(iter(server.world.tracks))}"
        assert [http.get(path).status_code for _ in range(3)] == [200] * 3
        spent = http.get(path)
    assert spent.status_code == 429
    assert spent.json() == {
        "error": {
            "status": 429,
            "message": "Too many requests",
            "reason": "QUOTA_EXCEEDED",
        }
    }
    assert spent.headers["retry-after"] == "86400"
    assert server.stats()["quota_exceeded"] == 1
    server.reset()
    assert statuses(server, 1, token=token) == [200]


def test_error_rate_is_seeded_and_reproducible(emulator_factory):
    server = emulator_factory(error_rate=0.4, seed=3)
    first = statuses(server, 60)
    errors = [s for s in first if s != 200]
    assert set(errors) <= {500, 502, 503}
    assert 10 <= len(errors) <= 40
    assert server.stats()["faults"] == len(errors)
    server.reset()
    assert statuses(server, 60) == first
    server.configure(error_rate=0.0)
    assert set(statuses(server, 20)) == {200}


def test_fault_answers_are_spotify_errors(emulator_factory):
    server = emulator_factory(error_rate=1.0)
    token = server.client_token()
    with httpx.Client(base_url=server.api_url, headers=auth(token)) as http:
        answer = http.get(f"/tracks/{next(iter(server.world.tracks))}")
    assert answer.status_code in (500, 502, 503)
    assert answer.json()["error"]["status"] == answer.status_code


def test_dropped_connections(emulator_factory):
    server = emulator_factory(drop_rate=0.3, seed=5)
    found = statuses(server, 40)
    dropped = found.count(0)
    assert 4 <= dropped <= 25
    assert set(found) == {0, 200}
    assert server.stats()["dropped"] == dropped
    server.configure(drop_rate=0.0)
    assert set(statuses(server, 10)) == {200}


def test_latency_with_jitter_keeps_requests_concurrent(emulator_factory):
    server = emulator_factory(latency_ms=100, jitter_ms=20)
    token = server.client_token()
    path = f"/tracks/{next(iter(server.world.tracks))}"

    async def burst():
        async with httpx.AsyncClient(
            base_url=server.api_url, headers=auth(token), timeout=5
        ) as http:
            started = time.perf_counter()
            answers = await asyncio.gather(*(http.get(path) for _ in range(20)))
            return time.perf_counter() - started, answers

    elapsed, answers = asyncio.run(burst())
    assert {a.status_code for a in answers} == {200}
    assert 0.1 <= elapsed < 1.0
    assert server.stats()["concurrency_peak"] >= 10


def test_stats_and_reset_over_http(emulator):
    token = emulator.user_token()
    with httpx.Client(base_url=emulator.accounts_url, headers=auth(token)) as http:
        http.get("/v1/me")
        http.get("/v1/me/playlists")
        http.get("/v1/nothing-here")
        stats = http.get("/_emulator/stats").json()
        assert stats["total"] == 3
        assert stats["by_route"]["GET /v1/me"] == {"200": 1}
        assert stats["by_status"]["404"] == 1
        http.post("/_emulator/reset")
        assert http.get("/_emulator/stats").json()["total"] == 0
        configured = http.post("/_emulator/configure", json={"rate_limit": 1})
        assert configured.status_code == 200
        assert http.get("/v1/me").status_code == 200
        assert http.get("/v1/me").status_code == 429
        refused = http.post("/_emulator/configure", json={"error_rate": 2})
        assert refused.status_code == 400
