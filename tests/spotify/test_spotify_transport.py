"""Retries, rate limits, faults, timeouts and cancellation, on the in-memory fake."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import pytest
from spotify_clients import Both
from spotify_fake import FakeSpotify

from segue.spotify import (
    AsyncSpotify,
    BadGateway,
    ClientCredentials,
    Pacer,
    QuotaExceeded,
    RateLimited,
    RequestTimeout,
    ServiceUnavailable,
    TransportError,
)


def api_requests(fake: FakeSpotify) -> list[httpx.Request]:
    return [r for r in fake.requests if r.url.host == "api.test"]


def test_5xx_are_retried_with_backoff(make: Any, fake: FakeSpotify) -> None:
    api = make(fake)
    fake.faults.extend([500, 503])
    assert api("me").id == "me"
    assert len(api_requests(fake)) == 3
    assert api.client.stats.retries == 2


def test_5xx_retries_are_bounded(make: Any, fake: FakeSpotify) -> None:
    api = make(fake, max_retries=2)
    fake.faults.extend([502] * 5)
    with pytest.raises(BadGateway, match="502 injected fault"):
        api("me")
    assert len(api_requests(fake)) == 3


def test_post_is_not_retried_after_a_5xx(api: Both, fake: FakeSpotify) -> None:
    fake.faults.append(503)
    with pytest.raises(ServiceUnavailable):
        api("create_playlist", "Mix")
    assert len(api_requests(fake)) == 1


def test_connection_errors_are_retried_then_wrapped(
    make: Any, fake: FakeSpotify
) -> None:
    api = make(fake, max_retries=1)
    fake.faults.append(httpx.ConnectError("refused"))
    assert api("me").id == "me"
    fake.faults.extend([httpx.ConnectError("refused")] * 2)
    with pytest.raises(TransportError) as info:
        api("me")
    assert isinstance(info.value.__cause__, httpx.ConnectError)
    assert "ConnectError: refused (GET https://api.test/v1/me)" in str(info.value)


def test_read_errors_on_post_are_not_retried(api: Both, fake: FakeSpotify) -> None:
    fake.faults.append(httpx.ReadError("reset"))
    with pytest.raises(TransportError):
        api("create_playlist", "Mix")
    assert len(api_requests(fake)) == 1


def test_timeouts_are_wrapped(make: Any, fake: FakeSpotify) -> None:
    api = make(fake, max_retries=0)
    fake.faults.append(httpx.ReadTimeout("slow"))
    with pytest.raises(RequestTimeout) as info:
        api("me")
    assert isinstance(info.value.__cause__, httpx.ReadTimeout)


def test_retry_after_is_honoured_and_the_limit_learned(make: Any) -> None:
    fake = FakeSpotify(rate_limit=3, window=1.0, retry_after="1", clock=time.monotonic)
    api = make(fake, max_wait=5, pacer=Pacer(window=1.0, guard=0.05))
    started = time.monotonic()
    for _ in range(4):
        api("me")
    assert time.monotonic() - started >= 1.0
    assert api.client.stats.rate_limited == 1
    assert api.client.pacer.capacity == 3
    for _ in range(6):
        api("me")  # paced under the learned limit: no more 429s
    assert api.client.stats.rate_limited == 1
    assert time.monotonic() - started >= 2.0


def test_long_retry_after_raises_at_once_with_the_wait(make: Any) -> None:
    fake = FakeSpotify(rate_limit=1, retry_after="3600")
    api = make(fake, max_wait=60)
    api("me")
    started = time.monotonic()
    with pytest.raises(RateLimited) as info:
        api("me")
    assert time.monotonic() - started < 1.0
    assert info.value.retry_after == 3600
    assert not isinstance(info.value, QuotaExceeded)


def test_quota_exceeded_is_its_own_error(make: Any) -> None:
    fake = FakeSpotify(rate_limit=10, quota_exceeded=True, retry_after="86400")
    api = make(fake)
    with pytest.raises(QuotaExceeded) as info:
        api("me")
    assert info.value.reason == "QUOTA_EXCEEDED"
    assert info.value.retry_after == 86400


def test_429_retries_are_bounded(make: Any) -> None:
    fake = FakeSpotify(rate_limit=1, retry_after="0", always_429=True)
    api = make(fake, max_wait=1, pacer=Pacer(window=0.01, guard=0.0))
    with pytest.raises(RateLimited):
        api("me")
    assert api.client.stats.rate_limited == 7  # 1 + 6 retries


def test_401_renews_the_app_token_once(api: Both, fake: FakeSpotify) -> None:
    api("me")
    fake.issued.clear()  # every token revoked
    assert api("me").id == "me"
    grants = [r for r in fake.requests if r.url.path == "/api/token"]
    assert len(grants) == 2


def test_expired_app_token_is_renewed_before_use(make: Any, fake: FakeSpotify) -> None:
    now = [1000.0]
    auth = ClientCredentials(
        fake.client_id,
        fake.client_secret,
        accounts_base="https://accounts.test",
        clock=lambda: now[0],
    )
    api = make(fake, auth=auth)
    api("me")
    now[0] += 3600 - 59  # within the 60-second margin
    api("me")
    grants = [r for r in fake.requests if r.url.path == "/api/token"]
    assert len(grants) == 2
    assert not any(r.url.host == "api.test" and r.headers.get("x") for r in grants)


def test_concurrency_is_bounded(fake: FakeSpotify) -> None:
    active = 0
    peak = 0

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal active, peak
        active += 1
        peak = max(peak, active)
        await asyncio.sleep(0.01)
        active -= 1
        return fake(request)

    async def run() -> None:
        client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        async with AsyncSpotify(
            client_id=fake.client_id,
            client_secret=fake.client_secret,
            api_base="https://api.test/v1",
            accounts_base="https://accounts.test",
            max_concurrency=4,
            http_client=client,
        ) as sp:
            tracks = await sp.tracks(fake.track_ids[:40])
            assert len(tracks) == 40

    asyncio.run(run())
    assert 2 <= peak <= 4


def test_cancellation_gives_back_slots(fake: FakeSpotify) -> None:
    fake.rate_limit = 1
    fake.retry_after = "5"

    async def run() -> None:
        client = httpx.AsyncClient(transport=httpx.MockTransport(fake))
        async with AsyncSpotify(
            client_id=fake.client_id,
            client_secret=fake.client_secret,
            api_base="https://api.test/v1",
            accounts_base="https://accounts.test",
            max_concurrency=1,
            pacer=Pacer(window=0.2, guard=0.0),
            http_client=client,
        ) as sp:
            await sp.me()
            task = asyncio.create_task(sp.me())  # 429, then waits 5 s
            await asyncio.sleep(0.05)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            assert sp.pacer.booked_within(time.monotonic()) == 1
            fake.rate_limit = None
            sp.pacer.blocked_until = 0.0
            await asyncio.sleep(0.3)
            assert (await asyncio.wait_for(sp.me(), 1.0)).id == "me"

    asyncio.run(run())
