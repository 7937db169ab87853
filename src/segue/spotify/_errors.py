"""Exceptions raised by :mod:`segue.spotify`.

Every exception the client raises on purpose derives from :class:`SpotifyError`::

    SpotifyError
    ├── ValidationError (a ValueError)  bad id, URI, limit...; nothing was sent
    ├── EndpointUnavailable             removed, or closed to this access mode
    ├── AuthError                       the accounts service refused a token
    │   └── LoginRequired               refresh token expired/revoked: log in again
    ├── TransportError                  no HTTP answer (connection, protocol, ...)
    │   └── RequestTimeout              the request timed out
    └── HTTPError                       the Web API answered with an error status
        ├── ClientError                 4xx
        │   ├── BadRequest              400
        │   ├── Unauthorized            401
        │   ├── Forbidden               403
        │   ├── NotFound                404
        │   └── RateLimited             429 (``retry_after`` in seconds)
        │       └── QuotaExceeded       429 with reason ``QUOTA_EXCEEDED``
        └── ServerError                 5xx
            ├── InternalServerError     500
            ├── BadGateway              502
            ├── ServiceUnavailable      503
            └── GatewayTimeout          504

Statuses are mapped to classes by :data:`STATUS_ERRORS` with a family fallback
(:func:`error_class`). Transport errors are raised ``from`` the httpx exception,
kept as ``__cause__``. No message or repr ever carries a token, secret or code.
"""

from __future__ import annotations

__all__ = [
    "STATUS_ERRORS",
    "AuthError",
    "BadGateway",
    "BadRequest",
    "ClientError",
    "EndpointUnavailable",
    "Forbidden",
    "GatewayTimeout",
    "HTTPError",
    "InternalServerError",
    "LoginRequired",
    "NotFound",
    "QuotaExceeded",
    "RateLimited",
    "RequestTimeout",
    "ServerError",
    "ServiceUnavailable",
    "SpotifyError",
    "TransportError",
    "Unauthorized",
    "ValidationError",
    "error_class",
]


class SpotifyError(Exception):
    """Root of every error raised by :mod:`segue.spotify`."""


class ValidationError(SpotifyError, ValueError):
    """An argument was rejected locally, before any request was sent."""


class EndpointUnavailable(SpotifyError):
    """The endpoint was removed by Spotify or is closed to this app's access mode.

    Parameters
    ----------
    endpoint
        Name of the client method, e.g. ``"recommendations"``.
    replacement
        What to use instead, in a sentence.
    """

    def __init__(self, endpoint: str, replacement: str) -> None:
        self.endpoint = endpoint
        self.replacement = replacement
        super().__init__(f"{endpoint} is not available to this app: {replacement}")


class AuthError(SpotifyError):
    """The accounts service refused a token request.

    Parameters
    ----------
    error
        The OAuth ``error`` code, e.g. ``"invalid_client"``.
    description
        The service's ``error_description``, if any.
    status
        HTTP status of the answer, or 0 when there was none.
    """

    def __init__(self, error: str, description: str = "", status: int = 0) -> None:
        self.error = error
        self.description = description
        self.status = status
        text = f"token request failed: {error}"
        if description:
            text += f" ({description})"
        super().__init__(text)


class LoginRequired(AuthError):
    """The refresh token is no longer valid; the user must authorize the app again."""

    def __init__(self, error: str, description: str = "", status: int = 0) -> None:
        super().__init__(error, description, status)
        self.args = (
            f"{self.args[0]}: the refresh token is expired or revoked, "
            "log in again to authorize the app",
        )


class TransportError(SpotifyError):
    """No HTTP answer was received; the httpx exception is the ``__cause__``.

    Parameters
    ----------
    message
        What failed.
    method, url
        The request that failed (the URL never carries a secret).
    """

    def __init__(self, message: str, *, method: str = "", url: str = "") -> None:
        self.method = method
        self.url = url
        super().__init__(f"{message} ({method} {url})" if method else message)


class RequestTimeout(TransportError):
    """The request timed out."""


class HTTPError(SpotifyError):
    """The Web API answered with an error status.

    Parameters
    ----------
    status
        HTTP status code.
    message
        The ``error.message`` of the body, or the reason phrase.
    method, url
        The request that failed.
    reason
        The ``error.reason`` of the body, e.g. ``"QUOTA_EXCEEDED"``.
    scopes
        The OAuth scopes the endpoint needs (set on 401 and 403).
    """

    def __init__(
        self,
        status: int,
        message: str,
        *,
        method: str = "",
        url: str = "",
        reason: str | None = None,
        scopes: tuple[str, ...] = (),
    ) -> None:
        self.status = status
        self.message = message
        self.method = method
        self.url = url
        self.reason = reason
        self.scopes = scopes
        text = f"{status} {message}"
        if method:
            text += f" ({method} {url})"
        if reason:
            text += f" [{reason}]"
        if scopes and status in (401, 403):
            text += f"; needs scopes: {' '.join(scopes)}"
        super().__init__(text)


class ClientError(HTTPError):
    """A 4xx answer."""


class BadRequest(ClientError):
    """400: the request was malformed."""


class Unauthorized(ClientError):
    """401: the access token is missing, expired or invalid."""


class Forbidden(ClientError):
    """403: not allowed for this user, scope or access mode."""


class NotFound(ClientError):
    """404: no such object."""


class RateLimited(ClientError):
    """429: too many requests; ``retry_after`` is the wait asked for, in seconds.

    Raised at once when the wait is longer than the client's ``max_wait``, or after the
    retries for 429 answers are used up.
    """

    def __init__(
        self,
        status: int,
        message: str,
        *,
        retry_after: float = 0.0,
        method: str = "",
        url: str = "",
        reason: str | None = None,
        scopes: tuple[str, ...] = (),
    ) -> None:
        super().__init__(
            status, message, method=method, url=url, reason=reason, scopes=scopes
        )
        self.retry_after = retry_after
        self.args = (f"{self.args[0]}; retry after {retry_after:g} s",)


class QuotaExceeded(RateLimited):
    """429 with reason ``QUOTA_EXCEEDED``: the developer account's quota is spent."""


class ServerError(HTTPError):
    """A 5xx answer."""


class InternalServerError(ServerError):
    """500."""


class BadGateway(ServerError):
    """502."""


class ServiceUnavailable(ServerError):
    """503."""


class GatewayTimeout(ServerError):
    """504."""


STATUS_ERRORS: dict[int, type[HTTPError]] = {
    400: BadRequest,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    429: RateLimited,
    500: InternalServerError,
    502: BadGateway,
    503: ServiceUnavailable,
    504: GatewayTimeout,
}
"""The one table from HTTP status to exception class."""


def error_class(status: int, reason: str | None = None) -> type[HTTPError]:
    """Return the exception class for an error status.

    Parameters
    ----------
    status
        HTTP status code, 400 or more.
    reason
        The ``error.reason`` of the body; ``QUOTA_EXCEEDED`` on a 429 selects
        :class:`QuotaExceeded`.

    Returns
    -------
    type[HTTPError]
        The class from :data:`STATUS_ERRORS`, else :class:`ClientError` for 4xx,
        :class:`ServerError` for 5xx and :class:`HTTPError` otherwise.
    """
    if status == 429 and reason == "QUOTA_EXCEEDED":
        return QuotaExceeded
    cls = STATUS_ERRORS.get(status)
    if cls is not None:
        return cls
    if 400 <= status < 500:
        return ClientError
    if 500 <= status < 600:
        return ServerError
    return HTTPError
