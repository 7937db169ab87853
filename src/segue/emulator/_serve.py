"""Serving an emulator with uvicorn: a listening socket and the server settings."""

from __future__ import annotations

import socket

import uvicorn

from segue.emulator._app import Emulator

__all__ = ["listen", "server"]


def listen(host: str = "127.0.0.1", port: int = 0) -> socket.socket:
    """A listening TCP socket; port 0 picks a free one.

    Accepted connections inherit ``TCP_NODELAY``, so that an answer's headers and
    body are not held apart by Nagle's algorithm (40 ms per request otherwise).
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind((host, port))
        sock.listen(2048)
    except OSError:
        sock.close()
        raise
    return sock


def server(app: Emulator, *, log_level: str = "warning") -> uvicorn.Server:
    """A uvicorn server for the app: HTTP/1.1 parsed by httptools, uvloop where it
    is installed, no lifespan, no websockets."""
    config = uvicorn.Config(
        app,
        log_level=log_level,
        access_log=False,
        lifespan="off",
        http="httptools",
        loop="auto",
        ws="none",
        timeout_keep_alive=30,
        backlog=2048,
    )
    return uvicorn.Server(config)
