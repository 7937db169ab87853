"""The I/O-free protocol core shared by :class:`Spotify` and :class:`AsyncSpotify`.

Client operations are written once, as generators ("flows") that yield what they need
and receive the answers, in the manner of httpx's auth flows:

- a :class:`Call` asks the driver to send one request and send back its :class:`Reply`;
- a list of calls asks for them concurrently; the driver sends back a list holding a
  :class:`Reply` or a :class:`~segue.spotify.SpotifyError` for each;
- an :class:`Emit` hands items to the caller of an iterator.

An error raised for a single call is thrown into the flow, which may handle it (for
example, fall back from a multi-get to single requests on 403). The generator's
return value is the operation's result. The sync and async shells only drive flows.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Generator, Mapping, Sequence
from typing import Any, Generic, TypeAlias, TypeVar

import msgspec

from . import _errors as e
from ._endpoints import Endpoint
from ._models import ErrorBody, decode

__all__ = ["Call", "Emit", "Flow", "ItemFlow", "Reply", "Step", "error_for", "parse"]

T = TypeVar("T")


@dataclasses.dataclass(frozen=True, slots=True)
class Call:
    """One HTTP request, as data.

    Parameters
    ----------
    method
        HTTP method.
    url
        Absolute URL without query string.
    params
        Query parameters, in order.
    json
        JSON body, if any.
    endpoint
        The endpoint called, for scopes and idempotency; ``None`` for raw requests.
    """

    method: str
    url: str
    params: tuple[tuple[str, str], ...] = ()
    json: Any = None
    endpoint: Endpoint | None = None

    @property
    def idempotent(self) -> bool:
        """Whether the call may be repeated after a failure of unknown outcome."""
        return self.method != "POST"

    @property
    def label(self) -> str:
        """``METHOD url`` for logs and messages (the URL carries no secret)."""
        return f"{self.method} {self.url}"


@dataclasses.dataclass(frozen=True, slots=True)
class Reply:
    """A successful HTTP answer."""

    status: int
    content: bytes
    headers: Mapping[str, str] = dataclasses.field(default_factory=dict, repr=False)


@dataclasses.dataclass(frozen=True, slots=True)
class Emit(Generic[T]):
    """Items a paging flow hands to its consumer."""

    items: Sequence[T]


Step: TypeAlias = Call | list[Call] | Emit[Any]
Flow: TypeAlias = Generator[Step, Any, T]
ItemFlow: TypeAlias = Generator[Call | list[Call] | Emit[T], Any, None]


def parse(endpoint: Endpoint, reply: Reply) -> Any:
    """Decode ``reply`` into ``endpoint.model``, unwrapping ``endpoint.unwrap``.

    Raises
    ------
    HTTPError
        The body does not fit the model.
    """
    if endpoint.model is None:
        return None
    target: Any = endpoint.model
    if endpoint.unwrap is not None:
        target = _wrapper(endpoint.unwrap, endpoint.model)
    try:
        value = decode(reply.content, target)
    except msgspec.DecodeError as exc:
        raise e.HTTPError(
            reply.status,
            f"malformed {endpoint.name} response: {exc}",
            method=endpoint.method,
            url=endpoint.path,
        ) from exc
    if endpoint.unwrap is not None:
        return getattr(value, endpoint.unwrap)
    return value


_wrappers: dict[tuple[str, Any], Any] = {}


def _wrapper(key: str, model: Any) -> Any:
    found = _wrappers.get((key, model))
    if found is None:
        found = msgspec.defstruct(f"Wrapped_{key}", [(key, model)], kw_only=True)
        _wrappers[(key, model)] = found
    return found


def error_for(
    call: Call, status: int, content: bytes, retry_after: float = 0.0
) -> e.HTTPError:
    """Build the exception for an error answer to ``call``.

    Parameters
    ----------
    call
        The request.
    status
        HTTP status, 400 or more.
    content
        The body; a Web API error object when Spotify sent one.
    retry_after
        ``Retry-After`` in seconds, for 429 answers.
    """
    message, reason = _error_text(content)
    cls = e.error_class(status, reason)
    scopes = call.endpoint.scopes if call.endpoint is not None else ()
    if issubclass(cls, e.RateLimited):
        return cls(
            status,
            message or "Too many requests",
            retry_after=retry_after,
            method=call.method,
            url=call.url,
            reason=reason,
            scopes=scopes,
        )
    return cls(
        status,
        message or "error",
        method=call.method,
        url=call.url,
        reason=reason,
        scopes=scopes,
    )


def _error_text(content: bytes) -> tuple[str, str | None]:
    try:
        body = decode(content, ErrorBody)
    except msgspec.MsgspecError:
        return "", None
    return body.error.message, body.error.reason


def retry_after_seconds(value: str | None, default: float = 1.0) -> float:
    """Parse a ``Retry-After`` header given in seconds; ``default`` when unusable."""
    if value is None:
        return default
    try:
        seconds = float(value.strip())
    except ValueError:
        return default
    return seconds if seconds >= 0 else default
