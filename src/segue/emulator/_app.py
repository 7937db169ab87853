"""The ASGI application: accounts service, Web API under ``/v1`` and admin routes.

It is a bare ASGI callable rather than a framework app, so that each request costs
little more than a dictionary look-up and one encoding, and so that it can drop a
connection on purpose.
"""

from __future__ import annotations

import asyncio
import logging
import time
import urllib.parse
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any

import msgspec

from segue.emulator import _albums, _artists, _me, _playlists, _search, _tracks
from segue.emulator._auth import SCOPES, Accounts, Client
from segue.emulator._config import DEFAULT_CLIENT, Config
from segue.emulator._errors import ApiError, ConnectionDropped, OAuthError
from segue.emulator._http import (
    Request,
    Response,
    Route,
    Router,
    error_body,
    json,
)
from segue.emulator._limits import Limits, Stats
from segue.emulator._objects import Renderer
from segue.emulator._world import World

__all__ = ["Emulator", "create_app"]

logger = logging.getLogger("segue")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

ROUTES: list[Route] = [
    *_tracks.ROUTES,
    *_albums.ROUTES,
    *_artists.ROUTES,
    *_search.ROUTES,
    *_playlists.ROUTES,
    *_me.ROUTES,
]

NOT_REGISTERED = (
    "Check settings on developer.spotify.com/dashboard, the user may not be registered."
)


class Emulator:
    """An emulated Spotify Web API and accounts service, as one ASGI app.

    Parameters
    ----------
    world
        What it serves.
    config
        Mode, limits and faults; see :class:`~segue.emulator.Config`.
    clients
        Registered apps; by default ``segue-demo`` / ``segue-demo-secret``.
    clock, monotonic
        Wall-clock and monotonic seconds; tests pass fakes to move time.
    """

    def __init__(
        self,
        world: World,
        config: Config | None = None,
        clients: Iterable[Client] | None = None,
        *,
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.world = world
        self.config = config or Config(seed=world.seed)
        self.config.check()
        if clients is None:
            clients = [Client(*DEFAULT_CLIENT)]
        self.accounts = Accounts(self.config, clients, clock)
        self.limits = Limits(self.config, monotonic)
        self.stats = Stats()
        self.router = Router(ROUTES)
        self.search_index = _search.SearchIndex(world)
        self._renderers: dict[tuple[bool, str], Renderer] = {}
        self._allowed: tuple[int, frozenset[str]] = (-1, frozenset())

    # -- state --------------------------------------------------------------------

    @property
    def extended(self) -> bool:
        """Whether the app has extended quota mode."""
        return self.config.mode == "extended"

    def renderer(self, origin: str) -> Renderer:
        """The renderer of the current mode for a server origin."""
        key = (self.extended, origin)
        renderer = self._renderers.get(key)
        if renderer is None:
            renderer = Renderer(self.world, extended=key[0], base=origin)
            self._renderers[key] = renderer
        return renderer

    def allowed(self, user_id: str) -> bool:
        """Whether a user may use the app (development mode allows a few)."""
        if self.extended:
            return user_id in self.world.users
        limit = self.config.max_users
        if self._allowed[0] != limit:
            self._allowed = (limit, frozenset(self.world.allowed_users(limit)))
        return user_id in self._allowed[1]

    def configure(self, **options: Any) -> None:
        """Change options at run time (see :class:`~segue.emulator.Config`)."""
        self.config.update(**options)
        if "seed" in options:
            self.limits.reset()

    def reset(self) -> None:
        """Forget statistics, rate windows and quota use; reseed the faults."""
        self.stats.reset()
        self.limits.reset()

    # -- ASGI ---------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        path: str = scope["path"]
        method: str = scope["method"]
        if path.startswith("/_emulator/"):  # not counted in the statistics
            await _send(send, self._admin(method, path, await _body(receive)))
            return
        stats = self.stats
        stats.enter()
        name = "unmatched"
        counted = False
        try:
            delay = self.limits.delay()
            if delay:
                await asyncio.sleep(delay)
            body = b"" if method in ("GET", "HEAD") else await _body(receive)
            request = _request(self, scope, body)
            if path.startswith("/v1/"):
                route, request.params, exists = self.router.find(method, path)
                if route is not None:
                    name = route.name
                response = self._api(route, exists, request)
            else:
                if path in ("/api/token", "/authorize"):
                    name = f"{method} {path}"
                response = self._accounts(request)
            # counted before answering, so a client that reads the statistics
            # after its answer finds its request there
            counted = True
            stats.leave(name, response.status)
            await _send(send, response)
        except ConnectionDropped:
            stats.dropped += 1
            if not counted:
                counted = True
                stats.leave(name, 0)
            await _drop(send)
        finally:
            if not counted:
                stats.leave(name, 500)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return

    # -- Web API ------------------------------------------------------------------

    def _api(self, route: Route | None, exists: bool, req: Request) -> Response:
        try:
            token = self.accounts.check(req.headers.get("authorization"))
            req.token = token
            try:
                self.limits.admit(token.client_id)
            except ApiError as error:
                if error.reason == "QUOTA_EXCEEDED":
                    self.stats.quota_exceeded += 1
                self.stats.rate_limited += 1
                raise
            fault = self.limits.fault()
            if fault == "drop":
                raise ConnectionDropped
            if fault is not None:
                self.stats.faults += 1
                raise self.limits.fault_error(fault)
            if route is None:
                if exists:
                    raise ApiError(405, "Method not allowed")
                raise ApiError(404, "Service not found")
            if token.user_id is not None and not self.allowed(token.user_id):
                raise ApiError(403, NOT_REGISTERED)
            if route.extended_only and not self.extended:
                raise ApiError(403, "Forbidden")
            if route.user and token.user_id is None:
                raise ApiError(401, "Unauthorized.")
            if route.scopes:
                req.require_scope(*route.scopes)
            req.renderer = self.renderer(req.origin)
            return route.handler(req)
        except ApiError as error:
            response = Response(
                error.status, error_body(error.status, error.message, error.reason)
            )
            for key, value in error.headers.items():
                response.headers.append((key.lower().encode(), value.encode()))
            return response

    # -- accounts -----------------------------------------------------------------

    def _accounts(self, req: Request) -> Response:
        if req.path == "/api/token":
            if req.method != "POST":
                return Response(405, b"", content_type=b"text/plain")
            form = dict(urllib.parse.parse_qsl(req.body.decode("utf-8", "replace")))
            try:
                answer = self.accounts.token(form, req.headers.get("authorization"))
            except OAuthError as error:
                return json(
                    {"error": error.error, "error_description": error.description},
                    error.status,
                )
            return json(answer)
        if req.path == "/authorize" and req.method == "GET":
            try:
                location = self.accounts.authorize(req.query)
            except OAuthError as error:
                page = f"<html><body><h1>{error.description}</h1></body></html>"
                return Response(
                    400, page.encode(), content_type=b"text/html; charset=utf-8"
                )
            return Response(
                302, b"", [(b"location", location.encode())], content_type=b"text/plain"
            )
        return Response(404, error_body(404, "Service not found"))

    # -- admin --------------------------------------------------------------------

    def _admin(self, method: str, path: str, body: bytes) -> Response:
        if path == "/_emulator/stats" and method == "GET":
            return json(self.stats.as_dict())
        if path == "/_emulator/reset" and method == "POST":
            self.reset()
            return json({"reset": True})
        if path == "/_emulator/configure" and method == "POST":
            try:
                options = msgspec.json.decode(body) if body else {}
                self.configure(**options)
            except (msgspec.DecodeError, TypeError, ValueError) as error:
                return Response(400, error_body(400, str(error)))
            return json({"configured": sorted(options)})
        if path == "/_emulator/token" and method == "POST":
            return self._admin_token(body)
        return Response(404, error_body(404, "Service not found"))

    def _admin_token(self, body: bytes) -> Response:
        """Mint a token for tests: ``{"user", "scopes", "client_id", "expires_in"}``."""
        try:
            ask = msgspec.json.decode(body) if body else {}
            if not isinstance(ask, dict):
                raise TypeError("expected a JSON object")
            client_id = ask.get("client_id") or next(iter(self.accounts.clients))
            user = ask.get("user")
            scopes = ask.get("scopes")
            token = self.accounts.mint(
                client_id,
                user,
                SCOPES if scopes is None and user is not None else scopes or (),
                expires_in=ask.get("expires_in"),
            )
        except (msgspec.DecodeError, TypeError, ValueError) as error:
            return Response(400, error_body(400, str(error)))
        return json({"access_token": token})


def _request(emu: Emulator, scope: Scope, body: bytes) -> Request:
    headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
    host = headers.get("host")
    if host is None:
        server = scope.get("server") or ("127.0.0.1", 80)
        host = f"{server[0]}:{server[1]}"
    query_string: bytes = scope.get("query_string", b"")
    query = (
        dict(
            urllib.parse.parse_qsl(
                query_string.decode("latin-1"), keep_blank_values=True
            )
        )
        if query_string
        else {}
    )
    return Request(
        emu=emu,
        method=scope["method"],
        path=scope["path"],
        query=query,
        headers=headers,
        body=body,
        origin=f"{scope.get('scheme', 'http')}://{host}",
    )


async def _body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


async def _send(send: Send, response: Response) -> None:
    headers = [
        (b"content-type", response.content_type),
        (b"content-length", str(len(response.body)).encode()),
        *response.headers,
    ]
    await send(
        {"type": "http.response.start", "status": response.status, "headers": headers}
    )
    await send({"type": "http.response.body", "body": response.body})


async def _drop(send: Send) -> None:
    """Close the connection without an answer.

    Under uvicorn the transport is aborted and the server told the client left, so
    the client sees the connection close; elsewhere (in-process test transports)
    the exception is raised to the caller, which is the same failure to a client.
    """
    cycle = getattr(send, "__self__", None)
    transport = getattr(cycle, "transport", None)
    if transport is None:
        raise ConnectionDropped("connection dropped by the emulator")
    transport.abort()
    for _ in range(3):
        await asyncio.sleep(0)
        if getattr(cycle, "disconnected", False):
            return
    if cycle is not None:
        cycle.disconnected = True


def create_app(
    world: World,
    *,
    config: Config | None = None,
    clients: Iterable[Client] | None = None,
    **options: Any,
) -> Emulator:
    """Make an emulator app for a world.

    Parameters
    ----------
    world
        What it serves.
    config
        Its options; ``options`` (names of :class:`Config` fields) change them.
    clients
        Registered apps; by default ``segue-demo`` / ``segue-demo-secret``.
    """
    config = config or Config(seed=world.seed)
    if options:
        config.update(**options)
    return Emulator(world, config, clients)
