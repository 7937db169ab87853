"""A small in-memory Web API and accounts service, as an httpx MockTransport handler.

Used by the unit tests of the client's HTTP behaviour. It serves a generated catalogue,
one user's playlists and library, multi-gets only in extended mode, PKCE and refresh
grants, a rolling-window rate limit on a fake clock, and injected faults.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode

import httpx

API = "https://api.test/v1"
ACCOUNTS = "https://accounts.test"
ALPHABET = string.digits + string.ascii_letters


def make_id(kind: str, n: int) -> str:
    """A deterministic 22-character base-62 id."""
    digest = hashlib.sha256(f"{kind}{n}".encode()).digest()
    value = int.from_bytes(digest, "big")
    chars = []
    for _ in range(22):
        value, rest = divmod(value, 62)
        chars.append(ALPHABET[rest])
    return "".join(chars)


def _error(status: int, message: str, **extra: Any) -> httpx.Response:
    body = {"error": {"status": status, "message": message, **extra}}
    return httpx.Response(status, json=body)


@dataclass
class FakeSpotify:
    """State and behaviour of the fake services."""

    extended: bool = False
    tracks_count: int = 300
    omit_refresh_token: bool = False
    access_ttl: int = 3600
    rate_limit: int | None = None
    window: float = 30.0
    retry_after: str = "1"
    quota_exceeded: bool = False
    always_429: bool = False
    clock: Callable[[], float] = lambda: 0.0
    faults: list[int | Exception] = field(default_factory=list)
    requests: list[httpx.Request] = field(default_factory=list)
    arrivals: list[float] = field(default_factory=list)
    issued: dict[str, str] = field(default_factory=dict)
    refresh_tokens: set[str] = field(default_factory=set)
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    secrets: set[str] = field(default_factory=set)
    """Every code, token and verifier seen, for the no-secret-leaks test."""
    client_id: str = "client-id-123"
    client_secret: str = "client-secret-456"

    def __post_init__(self) -> None:
        self.tracks = {
            make_id("track", n): self._track(n) for n in range(self.tracks_count)
        }
        self.track_ids = list(self.tracks)
        self.album = {
            "id": make_id("album", 0),
            "name": "Album",
            "uri": "spotify:album:x",
            "type": "album",
            "album_type": "album",
            "total_tracks": 30,
            "tracks": {"items": [], "total": 30, "limit": 50, "offset": 0},
            "label": "L" if self.extended else None,
        }
        self.artist = {
            "id": make_id("artist", 0),
            "name": "Artist",
            "type": "artist",
            "uri": f"spotify:artist:{make_id('artist', 0)}",
        }
        self.playlists: dict[str, dict[str, Any]] = {}
        for n, size in enumerate((0, 1, 50, 51, 237)):
            pid = make_id("playlist", n)
            self.playlists[pid] = {
                "id": pid,
                "name": f"P{n}",
                "owner": {"id": "me"},
                "items": [self.track_ids[k % self.tracks_count] for k in range(size)],
                "snapshot": 0,
            }
        self.library: set[str] = set()
        self.plays = [
            {"track": self.tracks[t], "played_at": f"2026-01-01T00:{i:02d}:00Z"}
            for i, t in enumerate(self.track_ids[:57])
        ]
        self.followed = [
            {"id": make_id("artist", n), "name": f"A{n}", "uri": "spotify:artist:x"}
            for n in range(73)
        ]

    def _track(self, n: int) -> dict[str, Any]:
        tid = make_id("track", n)
        data: dict[str, Any] = {
            "id": tid,
            "name": f"Track {n}",
            "type": "track",
            "uri": f"spotify:track:{tid}",
            "duration_ms": 1000 + n,
            "artists": [{"id": make_id("artist", n % 7), "name": f"A{n % 7}"}],
            "album": {"id": make_id("album", n % 5), "name": f"Al{n % 5}"},
            "external_ids": {"isrc": f"ISRC{n:08d}"},
            "brand_new_field": [1, 2],
        }
        if self.extended:
            data["popularity"] = n % 100
        return data

    # token service -------------------------------------------------------------

    def new_tokens(self, with_refresh: bool) -> dict[str, Any]:
        access = "AT-" + secrets.token_hex(12)
        self.issued[access] = "ok"
        self.secrets.add(access)
        body: dict[str, Any] = {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": self.access_ttl,
            "scope": "playlist-read-private",
        }
        if with_refresh:
            refresh = "RT-" + secrets.token_hex(12)
            self.refresh_tokens.add(refresh)
            self.secrets.add(refresh)
            body["refresh_token"] = refresh
        return body

    def authorize(self, request: httpx.Request) -> httpx.Response:
        q = dict(request.url.params)
        code = "CODE-" + secrets.token_hex(8)
        self.codes[code] = q
        self.secrets.add(code)
        target = (
            q["redirect_uri"] + "?" + urlencode({"code": code, "state": q["state"]})
        )
        return httpx.Response(302, headers={"Location": target})

    def token(self, request: httpx.Request) -> httpx.Response:
        form = dict(parse_qsl(request.content.decode()))
        if "code_verifier" in form:
            self.secrets.add(form["code_verifier"])
        basic = request.headers.get("authorization", "")
        if basic:
            pair = base64.b64decode(basic.split()[1]).decode()
            if pair != f"{self.client_id}:{self.client_secret}":
                return httpx.Response(401, json={"error": "invalid_client"})
        grant = form.get("grant_type")
        if grant == "client_credentials":
            if not basic:
                return httpx.Response(400, json={"error": "invalid_client"})
            return httpx.Response(200, json=self.new_tokens(False))
        if grant == "authorization_code":
            asked = self.codes.pop(form.get("code", ""), None)
            if asked is None:
                return httpx.Response(400, json={"error": "invalid_grant"})
            if "code_challenge" in asked:
                digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
                challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
                if challenge != asked["code_challenge"]:
                    return httpx.Response(400, json={"error": "invalid_grant"})
            return httpx.Response(200, json=self.new_tokens(True))
        if grant == "refresh_token":
            if form.get("refresh_token") not in self.refresh_tokens:
                return httpx.Response(
                    400,
                    json={"error": "invalid_grant", "error_description": "revoked"},
                )
            body = self.new_tokens(not self.omit_refresh_token)
            return httpx.Response(200, json=body)
        return httpx.Response(400, json={"error": "unsupported_grant_type"})

    # web API -------------------------------------------------------------------

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path = request.url.path
        if request.url.host == "accounts.test":
            if path == "/authorize":
                return self.authorize(request)
            return self.token(request)
        if self.faults:
            fault = self.faults.pop(0)
            if isinstance(fault, Exception):
                raise fault
            return _error(fault, "injected fault")
        auth = request.headers.get("authorization", "")
        if not auth.startswith("Bearer ") or auth[7:] not in self.issued:
            return _error(401, "The access token expired")
        if self.rate_limit is not None:
            now = self.clock()
            recent = [t for t in self.arrivals if t > now - self.window]
            busy = self.quota_exceeded or self.always_429
            if len(recent) >= self.rate_limit or busy:
                extra = {"reason": "QUOTA_EXCEEDED"} if self.quota_exceeded else {}
                response = _error(429, "Too many requests", **extra)
                response.headers["Retry-After"] = self.retry_after
                return response
            self.arrivals.append(now)
        return self.route(request, path.removeprefix("/v1"))

    def route(self, request: httpx.Request, path: str) -> httpx.Response:
        q = request.url.params
        parts = path.strip("/").split("/")
        limit = int(q.get("limit", "20"))
        offset = int(q.get("offset", "0"))
        if parts[0] == "tracks":
            if len(parts) == 2:
                track = self.tracks.get(parts[1])
                return httpx.Response(200, json=track) if track else _error(404, "nf")
            if not self.extended:
                return _error(403, "Forbidden")
            ids = q["ids"].split(",")
            if len(ids) > 50:
                return _error(400, "Too many ids")
            return httpx.Response(
                200, json={"tracks": [self.tracks.get(i) for i in ids]}
            )
        if parts[0] in ("albums", "artists"):
            return self.catalogue(parts, q, limit, offset)
        if parts[0] == "audio-features":
            if not self.extended:
                return _error(403, "Forbidden")
            ids = q["ids"].split(",")
            feats = [
                {"id": i, "tempo": 120.0, "x": 1} if i in self.tracks else None
                for i in ids
            ]
            return httpx.Response(200, json={"audio_features": feats})
        if parts[0] == "search":
            if limit > (50 if self.extended else 10):
                return _error(400, "Invalid limit")
            hits = [t for t in self.tracks.values() if q["q"].split()[0] in t["name"]]
            page = self.page(hits, limit, offset)
            return httpx.Response(200, json={"tracks": page})
        if parts[0] == "playlists":
            playlist = self.playlists.get(parts[1])
            if playlist is None:
                return _error(404, "Not found")
            if len(parts) == 2:
                body = {k: v for k, v in playlist.items() if k != "items"}
                body["items"] = self.page(self.items(playlist), 50, 0)
                return httpx.Response(200, json=body)
            return self.playlist_items(request, playlist, limit, offset)
        if path == "/me":
            return httpx.Response(200, json={"id": "me", "display_name": "Me", "x": 1})
        if path == "/me/playlists":
            if request.method == "POST":
                body = json.loads(request.content)
                pid = make_id("playlist", len(self.playlists) + 100)
                self.playlists[pid] = {
                    "id": pid,
                    "name": body["name"],
                    "items": [],
                    "snapshot": 0,
                }
                return httpx.Response(201, json={"id": pid, "name": body["name"]})
            listed = [
                {"id": p["id"], "name": p["name"], "items": {"total": len(p["items"])}}
                for p in self.playlists.values()
            ]
            return httpx.Response(200, json=self.page(listed, limit, offset))
        if path == "/me/tracks":
            saved = [
                {"added_at": "2026-01-01T00:00:00Z", "track": t}
                for t in list(self.tracks.values())[:120]
            ]
            return httpx.Response(200, json=self.page(saved, limit, offset))
        if path == "/me/albums":
            saved = [{"added_at": "2026-01-01T00:00:00Z", "album": self.album}] * 3
            return httpx.Response(200, json=self.page(saved, limit, offset))
        if path.startswith("/me/library"):
            uris = q["uris"].split(",")
            if len(uris) > 40:
                return _error(400, "Too many URIs")
            if path.endswith("contains"):
                return httpx.Response(200, json=[u in self.library for u in uris])
            if request.method == "PUT":
                self.library.update(uris)
            else:
                self.library.difference_update(uris)
            return httpx.Response(200)
        if path.startswith("/me/top/"):
            if q.get("time_range") not in ("short_term", "medium_term", "long_term"):
                return _error(400, "bad time_range")
            things = (
                list(self.tracks.values())[:75]
                if parts[2] == "tracks"
                else [
                    {"id": a["id"], "name": a["name"], "uri": a["uri"]}
                    for a in self.followed
                ]
            )
            return httpx.Response(200, json=self.page(things, limit, offset))
        if path == "/me/player/recently-played":
            return self.cursor(self.plays, limit, q.get("before"), "before", path, None)
        if path == "/me/following":
            return self.cursor(
                self.followed, limit, q.get("after"), "after", path, "artists"
            )
        return _error(404, "Service not found")

    def catalogue(
        self, parts: list[str], q: httpx.QueryParams, limit: int, offset: int
    ) -> httpx.Response:
        one = self.album if parts[0] == "albums" else self.artist
        if len(parts) == 1:
            if not self.extended:
                return _error(403, "Forbidden")
            found = [one if i == one["id"] else None for i in q["ids"].split(",")]
            return httpx.Response(200, json={parts[0]: found})
        if parts[1] != one["id"]:
            return _error(404, "Not found")
        if len(parts) == 2:
            return httpx.Response(200, json=one)
        if parts[2] == "top-tracks":
            if not self.extended:
                return _error(403, "Forbidden")
            return httpx.Response(200, json={"tracks": list(self.tracks.values())[:10]})
        if limit > (50 if self.extended or parts[0] == "albums" else 10):
            return _error(400, "Invalid limit")
        children = (
            list(self.tracks.values())[:30]
            if parts[0] == "albums"
            else [self.album] * 23
        )
        return httpx.Response(200, json=self.page(children, limit, offset))

    def items(self, playlist: dict[str, Any]) -> list[dict[str, Any]]:
        return [
            {
                "added_at": "2026-01-01T00:00:00Z",
                "added_by": {"id": "me"},
                "item": self.tracks[t],
            }
            for t in playlist["items"]
        ]

    def playlist_items(
        self, request: httpx.Request, playlist: dict[str, Any], limit: int, offset: int
    ) -> httpx.Response:
        if request.method == "GET":
            if limit > 50:
                return _error(400, "Invalid limit")
            return httpx.Response(
                200, json=self.page(self.items(playlist), limit, offset)
            )
        body = json.loads(request.content)
        if request.method == "POST":
            uris = [u.split(":")[2] for u in body["uris"]]
            if len(uris) > 100:
                return _error(400, "Too many")
            at = body.get("position", len(playlist["items"]))
            playlist["items"][at:at] = uris
        elif request.method == "PUT" and "uris" in body:
            if len(body["uris"]) > 100:
                return _error(400, "Too many")
            playlist["items"] = [u.split(":")[2] for u in body["uris"]]
        elif request.method == "PUT":
            start, length = body["range_start"], body.get("range_length", 1)
            moved = playlist["items"][start : start + length]
            del playlist["items"][start : start + length]
            before = body["insert_before"]
            if before > start:
                before -= length
            playlist["items"][before:before] = moved
        else:
            gone = {u["uri"].split(":")[2] for u in body["items"]}
            playlist["items"] = [t for t in playlist["items"] if t not in gone]
        playlist["snapshot"] += 1
        status = 201 if request.method == "POST" else 200
        return httpx.Response(status, json={"snapshot_id": f"s{playlist['snapshot']}"})

    def page(self, items: list[Any], limit: int, offset: int) -> dict[str, Any]:
        chunk = items[offset : offset + limit]
        nxt = None if offset + limit >= len(items) else f"{API}/next?o={offset + limit}"
        return {
            "items": chunk,
            "total": len(items),
            "limit": limit,
            "offset": offset,
            "next": nxt,
            "previous": None,
            "href": API,
        }

    def cursor(
        self,
        items: list[dict[str, Any]],
        limit: int,
        cursor: str | None,
        name: str,
        path: str,
        wrap: str | None,
    ) -> httpx.Response:
        start = int(cursor) if cursor else 0
        chunk = items[start : start + limit]
        end = start + len(chunk)
        more = end < len(items)
        nxt = f"{API}{path}?limit={limit}&{name}={end}" if more else None
        if wrap:
            nxt = nxt and nxt + "&type=artist"
        body: dict[str, Any] = {
            "items": chunk,
            "limit": limit,
            "next": nxt,
            "cursors": {name: str(end)} if more else None,
            "href": API,
        }
        if wrap:
            body["total"] = len(items)
            return httpx.Response(200, json={wrap: body})
        return httpx.Response(200, json=body)
