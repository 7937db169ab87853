"""The emulator's exceptions; the tree is drawn in the package docstring."""

from __future__ import annotations

__all__ = ["ApiError", "ConnectionDropped", "EmulatorError", "OAuthError"]


class EmulatorError(Exception):
    """Root of every exception the emulator raises on purpose."""


class ApiError(EmulatorError):
    """A Web API error answer: ``{"error": {"status", "message"[, "reason"]}}``.

    Parameters
    ----------
    status
        The HTTP status code.
    message
        The ``message`` of the error body, worded as Spotify words it.
    reason
        The optional ``reason`` (e.g. ``QUOTA_EXCEEDED``).
    headers
        Extra response headers, such as ``Retry-After``.
    """

    def __init__(
        self,
        status: int,
        message: str,
        *,
        reason: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(f"{status} {message}")
        self.status = status
        self.message = message
        self.reason = reason
        self.headers = headers or {}


class OAuthError(EmulatorError):
    """An accounts-service error: ``{"error": ..., "error_description": ...}``.

    Parameters
    ----------
    error
        The OAuth error code, e.g. ``invalid_grant`` or ``invalid_client``.
    description
        The ``error_description``.
    status
        The HTTP status code (400 unless Spotify answers otherwise).
    """

    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(f"{error}: {description}")
        self.error = error
        self.description = description
        self.status = status


class ConnectionDropped(EmulatorError):
    """Raised inside the app to drop the connection without any answer."""
