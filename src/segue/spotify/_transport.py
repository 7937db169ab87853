"""Sending calls over httpx: pacing, bounded concurrency, retries, token handling.

:class:`SyncTransport` and :class:`AsyncTransport` are twins over ``httpx.Client`` and
``httpx.AsyncClient`` (HTTP/2 enabled). Every decision is taken by the I/O-free
:class:`~segue.spotify._policy.Attempts` and :class:`~segue.spotify._pacing.Pacer`;
these classes only sleep, send and wrap httpx exceptions at this one boundary.
One DEBUG line per request on the ``"segue"`` logger, never with headers.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import logging
import ssl
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import certifi
import httpx

from . import _errors as e
from ._auth import Auth, TokenRequest, token_request_headers
from ._core import Call, Reply
from ._pacing import Pacer, RetryPolicy
from ._policy import REFRESH, Attempts, Stats

__all__ = ["AsyncTransport", "Options", "SyncTransport"]

logger = logging.getLogger("segue")

API_BASE = "https://api.spotify.com/v1"
USER_AGENT = "segue-spotify"


@dataclasses.dataclass(frozen=True)
class Options:
    """Transport settings shared by both client classes.

    Parameters
    ----------
    api_base
        Base URL of the Web API.
    timeout
        Seconds allowed for each of connect, read, write and pool acquisition.
    max_concurrency
        Most requests in flight at once; also the connection pool size.
    retry
        Retry limits and the longest ``Retry-After`` the client will sleep.
    http2
        Whether to negotiate HTTP/2.
    """

    api_base: str = API_BASE
    timeout: float = 10.0
    max_concurrency: int = 16
    retry: RetryPolicy = dataclasses.field(default_factory=RetryPolicy)
    http2: bool = True

    def client_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for ``httpx.Client`` / ``httpx.AsyncClient``."""
        size = self.max_concurrency
        return {
            "verify": _ssl_context(),
            "http2": self.http2,
            "timeout": httpx.Timeout(self.timeout),
            "limits": httpx.Limits(
                max_connections=size, max_keepalive_connections=size
            ),
            "headers": {"User-Agent": USER_AGENT, "Accept": "application/json"},
        }


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """One verifying SSL context for every client (loading CA files takes ~50 ms)."""
    return ssl.create_default_context(cafile=certifi.where())


def _wrap(exc: httpx.HTTPError, method: str, url: str) -> e.TransportError:
    kind = e.RequestTimeout if isinstance(exc, httpx.TimeoutException) else None
    cls = kind or e.TransportError
    return cls(f"{type(exc).__name__}: {exc}", method=method, url=url)


def _not_sent(exc: httpx.HTTPError) -> bool:
    return isinstance(
        exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout
    )


def post_token(client: httpx.Client, request: TokenRequest) -> Reply:
    """Send a token request to the accounts service; log its status, never its body.

    Raises
    ------
    TransportError
        No answer; the httpx exception is the cause.
    """
    try:
        response = client.post(
            request.url, data=request.form, headers=token_request_headers(request)
        )
    except httpx.HTTPError as exc:
        raise _wrap(exc, "POST", request.url) from exc
    logger.debug("POST %s -> %d", request.url, response.status_code)
    return Reply(response.status_code, response.content)


def _log(call: Call, status: int, started: float) -> None:
    logger.debug(
        "%s %s -> %d (%.1f ms)",
        call.method,
        call.url,
        status,
        (time.perf_counter() - started) * 1000,
    )


class _Base:
    def __init__(self, auth: Auth, options: Options, pacer: Pacer | None) -> None:
        if options.max_concurrency < 1:
            raise e.ValidationError("max_concurrency must be at least 1")
        self.auth = auth
        self.options = options
        self.pacer = pacer if pacer is not None else Pacer()
        self.stats = Stats()
        self.clock = time.monotonic

    def _attempts(self, call: Call) -> Attempts:
        return Attempts(
            call,
            self.options.retry,
            self.pacer,
            self.stats,
            can_refresh=True,
        )

    def _failed(self, attempts: Attempts, call: Call, exc: httpx.HTTPError) -> float:
        error = _wrap(exc, call.method, call.url)
        try:
            backoff = attempts.on_transport_error(error, sent=not _not_sent(exc))
        except e.TransportError:
            raise error from exc
        logger.debug("%s failed (%s), retrying", call.label, error)
        return backoff


class SyncTransport(_Base):
    """Blocking transport over ``httpx.Client``; thread-safe.

    Parameters
    ----------
    auth
        Token provider.
    options
        Settings.
    pacer
        A shared pacer; a fresh one when omitted.
    client
        An ``httpx.Client`` to use instead of a new one (e.g. with a MockTransport);
        the transport closes it.
    """

    def __init__(
        self,
        auth: Auth,
        options: Options,
        pacer: Pacer | None = None,
        client: httpx.Client | None = None,
    ) -> None:
        super().__init__(auth, options, pacer)
        self.client = client or httpx.Client(**options.client_kwargs())
        self._slots = threading.BoundedSemaphore(options.max_concurrency)
        self._pace = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None

    def close(self) -> None:
        """Close the connection pool and worker threads."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
        self.client.close()

    def token(self, *, force: bool = False) -> str:
        """Return a valid access token, renewing it under the auth lock if needed."""
        held = self.auth.current()
        if held is not None and self.auth.fresh(held, force):
            return held.access_token
        with self.auth.lock:
            flow = self.auth.token_flow(force=force)
            try:
                request = next(flow)
                while True:
                    request = flow.send(self._post_token(request))
            except StopIteration as stop:
                token = stop.value
        return str(token.access_token)

    def _post_token(self, request: TokenRequest) -> Reply:
        self.stats.token_requests += 1
        return post_token(self.client, request)

    def send(self, call: Call) -> Reply:
        """Send ``call`` with pacing and retries; return the successful answer.

        Raises
        ------
        HTTPError
            An error status that is not retried (any more).
        TransportError
            No answer after the allowed retries.
        """
        attempts = self._attempts(call)
        force = False
        while True:
            token = self.token(force=force)
            force = False
            with self._slots:
                with self._pace:
                    slot = self.pacer.reserve(self.clock())
                    self.stats.requests += 1
                delay = slot.time - self.clock()
                if delay > 0:
                    time.sleep(delay)
                started = time.perf_counter()
                try:
                    response = self.client.request(
                        call.method,
                        call.url,
                        params=call.params or None,
                        json=call.json,
                        headers={"Authorization": f"Bearer {token}"},
                    )
                except httpx.HTTPError as exc:
                    backoff = self._failed(attempts, call, exc)
                    response = None
            if response is None:
                time.sleep(backoff)
                continue
            _log(call, response.status_code, started)
            with self._pace:
                decision = attempts.on_status(
                    response.status_code,
                    response.headers,
                    response.content,
                    slot=slot,
                    now=self.clock(),
                )
            if decision is None:
                return Reply(response.status_code, response.content, response.headers)
            if decision == REFRESH:
                force = True
                continue
            time.sleep(decision)

    def send_many(self, calls: Sequence[Call]) -> list[Reply | e.SpotifyError]:
        """Send ``calls`` concurrently; errors are returned in place, not raised."""
        if len(calls) <= 1:
            return [self._send_caught(call) for call in calls]
        if self._pool is None:
            self._pool = ThreadPoolExecutor(
                self.options.max_concurrency, thread_name_prefix="segue"
            )
        return list(self._pool.map(self._send_caught, calls))

    def _send_caught(self, call: Call) -> Reply | e.SpotifyError:
        try:
            return self.send(call)
        except e.SpotifyError as exc:
            return exc


class AsyncTransport(_Base):
    """Asynchronous twin of :class:`SyncTransport` over ``httpx.AsyncClient``.

    Safe under cancellation: a cancelled request gives back its pacing slot and
    concurrency slot. A request takes its concurrency slot before booking its pacing
    slot, so bookings are made just in time, in the order requests get to go.
    """

    def __init__(
        self,
        auth: Auth,
        options: Options,
        pacer: Pacer | None = None,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        super().__init__(auth, options, pacer)
        self.client = client or httpx.AsyncClient(**options.client_kwargs())
        self._slots = asyncio.Semaphore(options.max_concurrency)
        self._token_lock = asyncio.Lock()

    async def close(self) -> None:
        """Close the connection pool."""
        await self.client.aclose()

    async def token(self, *, force: bool = False) -> str:
        """Return a valid access token, renewing it under the auth lock if needed."""
        held = self.auth.current()
        if held is not None and self.auth.fresh(held, force):
            return held.access_token
        async with self._token_lock:
            flow = self.auth.token_flow(force=force)
            try:
                request = next(flow)
                while True:
                    request = flow.send(await self._post_token(request))
            except StopIteration as stop:
                token = stop.value
        return str(token.access_token)

    async def _post_token(self, request: TokenRequest) -> Reply:
        self.stats.token_requests += 1
        try:
            response = await self.client.post(
                request.url, data=request.form, headers=token_request_headers(request)
            )
        except httpx.HTTPError as exc:
            raise _wrap(exc, "POST", request.url) from exc
        logger.debug("POST %s -> %d", request.url, response.status_code)
        return Reply(response.status_code, response.content)

    async def send(self, call: Call) -> Reply:
        """Send ``call`` with pacing and retries; return the successful answer."""
        attempts = self._attempts(call)
        force = False
        while True:
            token = await self.token(force=force)
            force = False
            async with self._slots:
                slot = self.pacer.reserve(self.clock())
                try:
                    delay = slot.time - self.clock()
                    if delay > 0:
                        await asyncio.sleep(delay)
                except BaseException:
                    self.pacer.release(slot)
                    raise
                started = time.perf_counter()
                self.stats.requests += 1
                try:
                    response = await self.client.request(
                        call.method,
                        call.url,
                        params=call.params or None,
                        json=call.json,
                        headers={"Authorization": f"Bearer {token}"},
                    )
                except httpx.HTTPError as exc:
                    backoff = self._failed(attempts, call, exc)
                    response = None
            if response is None:
                await asyncio.sleep(backoff)
                continue
            _log(call, response.status_code, started)
            decision = attempts.on_status(
                response.status_code,
                response.headers,
                response.content,
                slot=slot,
                now=self.clock(),
            )
            if decision is None:
                return Reply(response.status_code, response.content, response.headers)
            if decision == REFRESH:
                force = True
                continue
            await asyncio.sleep(decision)

    async def send_many(self, calls: Sequence[Call]) -> list[Reply | e.SpotifyError]:
        """Send ``calls`` concurrently; errors are returned in place, not raised."""
        return list(await asyncio.gather(*(self._send_caught(c) for c in calls)))

    async def _send_caught(self, call: Call) -> Reply | e.SpotifyError:
        try:
            return await self.send(call)
        except e.SpotifyError as exc:
            return exc
