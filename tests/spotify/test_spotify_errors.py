"""The status table and the error tree."""

from __future__ import annotations

import pytest

import segue.spotify as sp
from segue.spotify import (
    STATUS_ERRORS,
    BadGateway,
    BadRequest,
    ClientError,
    Forbidden,
    GatewayTimeout,
    HTTPError,
    InternalServerError,
    NotFound,
    QuotaExceeded,
    RateLimited,
    ServerError,
    ServiceUnavailable,
    SpotifyError,
    Unauthorized,
    error_class,
)


@pytest.mark.parametrize(
    ("status", "cls", "family"),
    [
        (400, BadRequest, ClientError),
        (401, Unauthorized, ClientError),
        (403, Forbidden, ClientError),
        (404, NotFound, ClientError),
        (429, RateLimited, ClientError),
        (409, ClientError, ClientError),
        (418, ClientError, ClientError),
        (500, InternalServerError, ServerError),
        (502, BadGateway, ServerError),
        (503, ServiceUnavailable, ServerError),
        (504, GatewayTimeout, ServerError),
        (501, ServerError, ServerError),
        (599, ServerError, ServerError),
        (399, HTTPError, HTTPError),
    ],
)
def test_status_table(status: int, cls: type[HTTPError], family: type) -> None:
    assert error_class(status) is cls
    assert issubclass(cls, family)
    assert issubclass(cls, SpotifyError)


def test_server_errors_are_never_client_errors() -> None:
    for status, cls in STATUS_ERRORS.items():
        assert issubclass(cls, ServerError) == (status >= 500)
        assert issubclass(cls, ClientError) == (400 <= status < 500)


def test_quota_exceeded_is_told_apart() -> None:
    assert error_class(429, "QUOTA_EXCEEDED") is QuotaExceeded
    assert issubclass(QuotaExceeded, RateLimited)
    assert error_class(429, "OTHER") is RateLimited


def test_every_exception_is_in_the_drawn_tree() -> None:
    doc = sp._errors.__doc__ or ""
    for name in sp._errors.__all__:
        obj = getattr(sp, name)
        if isinstance(obj, type) and issubclass(obj, BaseException):
            assert issubclass(obj, SpotifyError)
            assert f"── {name}" in doc or name == "SpotifyError", name


def test_messages_carry_status_reason_and_scopes() -> None:
    error = Forbidden(
        403,
        "Insufficient client scope",
        method="GET",
        url="https://x/me",
        scopes=("user-top-read",),
    )
    assert "403 Insufficient client scope (GET https://x/me)" in str(error)
    assert "user-top-read" in str(error)
    limited = RateLimited(429, "Too many", retry_after=3600.0)
    assert limited.retry_after == 3600.0
    assert "retry after 3600 s" in str(limited)
