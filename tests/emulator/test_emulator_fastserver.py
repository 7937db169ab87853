"""The built-in HTTP/1.1 server: keep-alive, bodies, closing, bad requests."""

from __future__ import annotations

import json
import socket

import pytest


def exchange(server, raw: bytes) -> bytes:
    with socket.create_connection((server.host, server.port), timeout=5) as sock:
        sock.sendall(raw)
        chunks = []
        while True:
            data = sock.recv(65536)
            if not data:
                break
            chunks.append(data)
    return b"".join(chunks)


def answers(raw: bytes) -> list[tuple[int, bytes]]:
    found = []
    while raw:
        head, _, rest = raw.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        status = int(lines[0].split(b" ")[1])
        length = next(
            int(line.split(b":")[1])
            for line in lines
            if line.lower().startswith(b"content-length")
        )
        found.append((status, rest[:length]))
        raw = rest[length:]
    return found


def test_pipelined_requests_are_answered_in_order(emulator):
    token = emulator.user_token()
    track = next(iter(emulator.world.tracks))
    one = (
        f"GET /v1/tracks/{track} HTTP/1.1\r\nHost: x\r\n"
        f"Authorization: Bearer {token}\r\n\r\n"
    ).encode()
    last = (
        f"GET /v1/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n"
        "Connection: close\r\n\r\n"
    ).encode()
    got = answers(exchange(emulator, one + one + last))
    assert [s for s, _ in got] == [200, 200, 200]
    assert json.loads(got[0][1])["id"] == track
    assert json.loads(got[2][1])["id"] == "demo"


def test_chunked_and_continued_bodies(emulator):
    token = emulator.user_token()
    body = json.dumps({"name": "chunked"}).encode()
    chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)
    raw = (
        "POST /v1/me/playlists HTTP/1.1\r\nHost: x\r\n"
        f"Authorization: Bearer {token}\r\n"
        "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    ).encode() + chunked
    ((status, payload),) = answers(exchange(emulator, raw))
    assert status == 201
    assert json.loads(payload)["name"] == "chunked"
    raw = (
        "POST /v1/me/playlists HTTP/1.1\r\nHost: x\r\n"
        f"Authorization: Bearer {token}\r\n"
        f"Expect: 100-continue\r\nContent-Length: {len(body)}\r\n"
        "Connection: close\r\n\r\n"
    ).encode()
    with socket.create_connection((emulator.host, emulator.port), timeout=5) as sock:
        sock.sendall(raw)
        assert sock.recv(100).startswith(b"HTTP/1.1 100 Continue")
        sock.sendall(body)
        rest = b""
        while data := sock.recv(65536):
            rest += data
    assert answers(rest)[0][0] == 201


@pytest.mark.parametrize("raw", [b"NONSENSE\r\n\r\n", b"GET / HTTP/2\r\n\r\n"])
def test_bad_requests_are_refused(emulator, raw):
    assert exchange(emulator, raw).startswith(b"HTTP/1.1 400")


def test_idle_connections_are_closed(emulator, monkeypatch):
    from segue.emulator import _fastserver

    monkeypatch.setattr(_fastserver, "IDLE_TIMEOUT_S", 0.2)
    with socket.create_connection((emulator.host, emulator.port), timeout=5) as sock:
        sock.sendall(b"GET /v1/me HTTP/1.1\r\nHost: x\r\n")  # never finished
        assert sock.recv(100) == b""  # closed by the server after 0.2 s
