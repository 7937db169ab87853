"""Errors raised by :mod:`segue.serve`.

Two families, kept apart on purpose: errors the service answers a request with
(bad input, unknown ids: an HTTP status and a message in Spotify's error shape), and
errors of the service's own setup (a missing model, an unreadable study file), which
stop the service or a command before it answers anything::

    ServeError
    ├── ApiError            answered to the client as {"error": {"status", "message"}}
    │   ├── BadRequest      400: a parameter is missing, malformed or out of range
    │   ├── Unauthorized    401: no valid login or owner token
    │   └── NotFound        404: no such playlist, study or trial (for this participant)
    └── ConfigError         the service is misconfigured: model, catalog, data dir
        └── StudyError      a study file is missing, corrupt or of another version
"""

from __future__ import annotations

__all__ = [
    "ApiError",
    "BadRequest",
    "ConfigError",
    "NotFound",
    "ServeError",
    "StudyError",
    "Unauthorized",
]


class ServeError(Exception):
    """Root of every error raised by :mod:`segue.serve`."""


class ApiError(ServeError):
    """An error answered to the client, with an HTTP status and a message.

    Parameters
    ----------
    message
        What was wrong with the request, for the person who wrote it.
    """

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadRequest(ApiError):
    """A parameter is missing, malformed or out of range (400)."""

    status = 400


class Unauthorized(ApiError):
    """The request needs a login or an owner token it does not carry (401)."""

    status = 401


class NotFound(ApiError):
    """The playlist, study or trial does not exist, or is not the caller's (404)."""

    status = 404


class ConfigError(ServeError):
    """The service cannot start or run as configured."""


class StudyError(ConfigError):
    """A study file is missing, corrupt, or was written by another version."""
