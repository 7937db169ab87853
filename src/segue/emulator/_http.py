"""Requests, answers and routes: the thin HTTP layer under every router."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import msgspec

from segue.emulator._errors import ApiError

if TYPE_CHECKING:
    from segue.emulator._app import Emulator
    from segue.emulator._auth import Token
    from segue.emulator._objects import Renderer

__all__ = [
    "JSON",
    "Request",
    "Response",
    "Route",
    "Router",
    "error_body",
    "get_ids",
    "get_limit",
    "get_offset",
    "json",
]

JSON = b"application/json; charset=utf-8"
_encode = msgspec.json.Encoder().encode
_decode = msgspec.json.Decoder().decode


@dataclasses.dataclass(slots=True)
class Response:
    """An answer: status, body and extra headers."""

    status: int
    body: bytes
    headers: list[tuple[bytes, bytes]] = dataclasses.field(default_factory=list)
    content_type: bytes = JSON


def json(obj: Any, status: int = 200) -> Response:
    """A JSON answer."""
    return Response(status, _encode(obj))


def error_body(status: int, message: str, reason: str | None = None) -> bytes:
    """Spotify's error body ``{"error": {"status", "message"[, "reason"]}}``."""
    error: dict[str, Any] = {"status": status, "message": message}
    if reason is not None:
        error["reason"] = reason
    return _encode({"error": error})


@dataclasses.dataclass(slots=True)
class Request:
    """What a handler needs of a request."""

    emu: Emulator
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    origin: str
    params: dict[str, str] = dataclasses.field(default_factory=dict)
    token: Token | None = None
    renderer: Renderer = dataclasses.field(default=None)  # type: ignore[assignment]

    @property
    def user_id(self) -> str:
        """The user of the token (routes that need one check it before)."""
        assert self.token is not None
        assert self.token.user_id is not None
        return self.token.user_id

    def json(self) -> Any:
        """The body parsed as JSON; None when empty."""
        if not self.body.strip():
            return None
        try:
            return _decode(self.body)
        except msgspec.DecodeError:
            raise ApiError(400, "Error parsing JSON.") from None

    def require_scope(self, *scopes: str) -> None:
        """Answer 403 unless the token has at least one of ``scopes``."""
        assert self.token is not None
        if not self.token.scopes.intersection(scopes):
            raise ApiError(403, "Insufficient client scope")


Handler = Callable[[Request], Response]


@dataclasses.dataclass(frozen=True)
class Route:
    """One endpoint and its access rules.

    Parameters
    ----------
    method, template
        E.g. ``GET`` and ``/v1/tracks/{id}``.
    handler
        Makes the answer.
    user
        Needs a user's token; a client-credentials token gets 401.
    scopes
        The token needs at least one of these scopes.
    extended_only
        Development-mode apps get 403 (multi-get, top tracks, old paths, ...).
    """

    method: str
    template: str
    handler: Handler
    user: bool = False
    scopes: tuple[str, ...] = ()
    extended_only: bool = False

    @property
    def name(self) -> str:
        """The name statistics count it under."""
        return f"{self.method} {self.template}"


class Router:
    """Finds the route of a method and path."""

    def __init__(self, routes: Iterable[Route]) -> None:
        self._static: dict[str, dict[str, Route]] = {}
        self._dynamic: list[tuple[re.Pattern[str], dict[str, Route]]] = []
        patterns: dict[str, dict[str, Route]] = {}
        for route in routes:
            if "{" not in route.template:
                self._static.setdefault(route.template, {})[route.method] = route
            else:
                patterns.setdefault(route.template, {})[route.method] = route
        for template, methods in patterns.items():
            regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template)
            self._dynamic.append((re.compile(f"^{regex}$"), methods))

    def find(self, method: str, path: str) -> tuple[Route | None, dict[str, str], bool]:
        """The route, its path parameters, and whether the path exists at all."""
        if len(path) > 1 and path.endswith("/"):
            path = path[:-1]
        methods = self._static.get(path)
        if methods is not None:
            return methods.get(method), {}, True
        for regex, methods in self._dynamic:
            match = regex.match(path)
            if match is not None:
                return methods.get(method), match.groupdict(), True
        return None, {}, False


def _int(value: str | None, default: int, message: str) -> int:
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ApiError(400, message) from None


def get_limit(req: Request, default: int, maximum: int) -> int:
    """The ``limit`` parameter; 400 ``Invalid limit`` outside ``[1, maximum]``."""
    limit = _int(req.query.get("limit"), default, "Invalid limit")
    if not 1 <= limit <= maximum:
        raise ApiError(400, "Invalid limit")
    return limit


def get_offset(req: Request, maximum: int = 100_000) -> int:
    """The ``offset`` parameter; 400 ``Invalid offset`` outside ``[0, maximum]``."""
    offset = _int(req.query.get("offset"), 0, "Invalid offset")
    if not 0 <= offset <= maximum:
        raise ApiError(400, "Invalid offset")
    return offset


def get_ids(req: Request, maximum: int) -> list[str]:
    """The comma-separated ``ids`` parameter, at most ``maximum`` of them."""
    raw = req.query.get("ids", "")
    ids = [i for i in raw.split(",") if i]
    if not ids:
        raise ApiError(400, "invalid request: ids is missing")
    if len(ids) > maximum:
        raise ApiError(400, "Too many ids requested")
    return ids
