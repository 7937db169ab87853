"""A small HTTP/1.1 server for the emulator's ASGI app, built on asyncio protocols.

uvicorn parses HTTP with the pure-Python h11 here, which costs several times what
the emulator spends answering. This server parses just what Spotify's clients send
(keep-alive HTTP/1.1, ``Content-Length`` or chunked bodies, ``Expect:
100-continue``), writes each answer in one piece and can drop a connection on
purpose. It serves one request at a time per connection, in order.
"""

from __future__ import annotations

import asyncio
import http
import logging
import socket
import urllib.parse
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

__all__ = ["FastServer"]

logger = logging.getLogger("segue")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
App = Callable[
    [Scope, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]],
    Awaitable[None],
]

_MAX_HEAD = 65536
IDLE_TIMEOUT_S = 60.0
"""Keep-alive connections idle this long are closed."""
_PHRASES = {s.value: s.phrase.encode() for s in http.HTTPStatus}


class _Cycle:
    """One request's answer, gathered from the app's ``send`` calls."""

    __slots__ = ("body", "complete", "disconnected", "headers", "status", "transport")

    def __init__(self, transport: asyncio.Transport) -> None:
        self.transport = transport
        self.disconnected = False
        self.status = 0
        self.headers: list[tuple[bytes, bytes]] = []
        self.body: list[bytes] = []
        self.complete = False

    async def send(self, message: Message) -> None:
        kind = message["type"]
        if kind == "http.response.start":
            self.status = message["status"]
            self.headers = list(message.get("headers", ()))
        elif kind == "http.response.body":
            self.body.append(message.get("body", b""))
            if not message.get("more_body", False):
                self.complete = True


class _Protocol(asyncio.Protocol):
    def __init__(self, server: FastServer) -> None:
        self.server = server
        self.app = server.app
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.busy = False
        self.cycle: _Cycle | None = None
        self.local: tuple[str, int] = ("127.0.0.1", 0)
        self.peer: tuple[str, int] | None = None
        self.idle: asyncio.TimerHandle | None = None

    def _wait_idle(self) -> None:
        self._stop_idle()
        self.idle = asyncio.get_running_loop().call_later(IDLE_TIMEOUT_S, self.close)

    def _stop_idle(self) -> None:
        if self.idle is not None:
            self.idle.cancel()
            self.idle = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        sock = transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        local = transport.get_extra_info("sockname")
        if local:
            self.local = (str(local[0]), int(local[1]))
        peer = transport.get_extra_info("peername")
        if peer:
            self.peer = (str(peer[0]), int(peer[1]))
        self.server.connections.add(self)
        self._wait_idle()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_idle()
        self.server.connections.discard(self)
        if self.cycle is not None:
            self.cycle.disconnected = True
        self.transport = None

    def data_received(self, data: bytes) -> None:
        self._stop_idle()
        self.buffer += data
        if not self.busy:
            self._next()
            if not self.busy and self.transport is not None:
                self._wait_idle()

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()

    def _fail(self, status: int) -> None:
        if self.transport is None:
            return
        self.transport.write(
            b"HTTP/1.1 %d %s\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
            % (status, _PHRASES.get(status, b""))
        )
        self.transport.close()

    def _next(self) -> None:
        """Start the next complete request in the buffer, if any."""
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            if len(self.buffer) > _MAX_HEAD:
                self._fail(431)
            return
        lines = bytes(self.buffer[:end]).split(b"\r\n")
        parts = lines[0].split(b" ")
        if len(parts) != 3 or not parts[2].startswith(b"HTTP/1."):
            self._fail(400)
            return
        method, target, version = parts
        keep_alive = version == b"HTTP/1.1"
        headers: list[tuple[bytes, bytes]] = []
        length = 0
        chunked = False
        expect = False
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            value = value.strip()
            headers.append((name, value))
            if name == b"content-length":
                try:
                    length = int(value)
                except ValueError:
                    self._fail(400)
                    return
            elif name == b"transfer-encoding":
                chunked = b"chunked" in value.lower()
            elif name == b"connection":
                token = value.lower()
                if b"close" in token:
                    keep_alive = False
                elif b"keep-alive" in token:
                    keep_alive = True
            elif name == b"expect" and value.lower() == b"100-continue":
                expect = True
        start = end + 4
        if chunked:
            decoded = _dechunk(self.buffer, start)
            if decoded is None:
                if expect and self.transport is not None:
                    self.transport.write(b"HTTP/1.1 100 Continue\r\n\r\n")
                return
            body, used = decoded
            del self.buffer[:used]
        else:
            if len(self.buffer) < start + length:
                if expect and self.transport is not None and len(self.buffer) == start:
                    self.transport.write(b"HTTP/1.1 100 Continue\r\n\r\n")
                return
            body = bytes(self.buffer[start : start + length])
            del self.buffer[: start + length]
        raw_path, _, query = target.partition(b"?")
        scope: Scope = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": version[5:].decode("latin-1"),
            "method": method.decode("latin-1"),
            "scheme": "http",
            "path": urllib.parse.unquote(raw_path.decode("latin-1")),
            "raw_path": raw_path,
            "query_string": query,
            "root_path": "",
            "headers": headers,
            "server": self.local,
            "client": self.peer,
        }
        self.busy = True
        task = asyncio.get_running_loop().create_task(
            self._run(scope, body, keep_alive)
        )
        self.server.tasks.add(task)
        task.add_done_callback(self.server.tasks.discard)

    async def _run(self, scope: Scope, body: bytes, keep_alive: bool) -> None:
        transport = self.transport
        if transport is None:
            return
        cycle = _Cycle(transport)
        self.cycle = cycle
        sent = False

        async def receive() -> Message:
            nonlocal sent
            if sent:
                await asyncio.Event().wait()  # nothing more: wait for cancellation
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        try:
            await self.app(scope, receive, cycle.send)
        except asyncio.CancelledError:
            raise
        except Exception:
            if cycle.disconnected:
                return
            logger.exception("emulator: the app failed on %s", scope["path"])
            self._fail(500)
            return
        finally:
            self.cycle = None
        if cycle.disconnected or transport.is_closing():
            return
        if not cycle.status:
            self._fail(500)
            return
        payload = b"".join(cycle.body)
        head = [b"HTTP/1.1 %d %s\r\n" % (cycle.status, _PHRASES.get(cycle.status, b""))]
        has_length = False
        for name, value in cycle.headers:
            if name.lower() == b"content-length":
                has_length = True
            head.append(b"%s: %s\r\n" % (name, value))
        if not has_length:
            head.append(b"content-length: %d\r\n" % len(payload))
        if not keep_alive:
            head.append(b"connection: close\r\n")
        head.append(b"\r\n")
        head.append(payload)
        transport.write(b"".join(head))
        if not keep_alive:
            transport.close()
            return
        self.busy = False
        if self.buffer:
            self._next()
        if not self.busy:
            self._wait_idle()


def _dechunk(buffer: bytearray, start: int) -> tuple[bytes, int] | None:
    """A chunked body starting at ``start``: (body, end), or None if incomplete."""
    chunks: list[bytes] = []
    at = start
    while True:
        line_end = buffer.find(b"\r\n", at)
        if line_end < 0:
            return None
        size = int(bytes(buffer[at:line_end]).split(b";")[0] or b"0", 16)
        at = line_end + 2
        if size == 0:
            trailer_end = buffer.find(b"\r\n", at)
            if trailer_end < 0:
                return None
            return b"".join(chunks), trailer_end + 2
        if len(buffer) < at + size + 2:
            return None
        chunks.append(bytes(buffer[at : at + size]))
        at += size + 2


class FastServer:
    """Serves an ASGI app on a listening socket until :meth:`shutdown`.

    Parameters
    ----------
    app
        The emulator (any ASGI app that answers in one body message works).
    """

    def __init__(self, app: App) -> None:
        self.app = app
        self.connections: set[_Protocol] = set()
        self.tasks: set[asyncio.Task[None]] = set()
        self.started = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None

    async def serve(self, sock: socket.socket) -> None:
        """Serve until :meth:`shutdown` is called (from any thread)."""
        loop = asyncio.get_running_loop()
        self._loop = loop
        self._stop = asyncio.Event()
        server = await loop.create_server(
            lambda: _Protocol(self), sock=sock, backlog=2048
        )
        self.started = True
        try:
            await self._stop.wait()
        finally:
            server.close()
            for connection in list(self.connections):
                connection.close()
            for task in list(self.tasks):
                task.cancel()
            if self.tasks:
                await asyncio.gather(*self.tasks, return_exceptions=True)
            await server.wait_closed()
            self.started = False

    def run(self, sock: socket.socket) -> None:
        """Serve in a new event loop in this thread until :meth:`shutdown`."""
        asyncio.run(self.serve(sock))

    def shutdown(self) -> None:
        """Ask the server to stop; safe from any thread."""
        loop, stop = self._loop, self._stop
        if loop is not None and stop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(stop.set)
