"""Options of an emulator: access mode, limits, faults and token lifetimes."""

from __future__ import annotations

import dataclasses
from typing import Any, Literal

__all__ = ["DEFAULT_CLIENT", "Config", "Mode"]

Mode = Literal["development", "extended"]

DEFAULT_CLIENT = ("segue-demo", "segue-demo-secret")
"""The client registered when none is given: ``(client_id, client_secret)``."""

SIX_MONTHS_S = 183 * 24 * 3600


@dataclasses.dataclass
class Config:
    """What an emulator does beyond serving its world; changeable at run time.

    Parameters
    ----------
    mode
        ``development`` (the default for every new app) or ``extended``.
    latency_ms, jitter_ms
        Added to every answer: ``latency_ms`` plus a seeded uniform draw in
        ``[0, jitter_ms]``.
    rate_limit
        Requests per app allowed in any rolling window of ``rate_window_s``
        seconds; None for no limit.
    count_rejected
        Whether requests refused with a 429 also count in the window, so that a
        client retrying at once lengthens its wait (as reported of Spotify).
    quota
        Total requests allowed per app before every answer is a 429 with reason
        ``QUOTA_EXCEEDED``; None for no quota.
    quota_retry_after
        The ``Retry-After`` seconds of a quota answer.
    error_rate
        Share of API requests answered with a 500, 502 or 503.
    drop_rate
        Share of API requests whose connection is dropped without an answer.
    seed
        Seed of the world and of every random draw of faults and jitter.
    max_users
        Users allowed in development mode (the allow-list size).
    refresh_returns_token
        Whether a refresh answer carries a new refresh token (2026: it does not).
    refresh_lifetime_s
        Lifetime of a refresh token, counted from the user's authorization.
    access_lifetime_s
        Lifetime of an access token (``expires_in``).
    authorize_user
        The user ``/authorize`` approves at once.
    authorize_denies
        When true, ``/authorize`` redirects with ``error=access_denied``.
    """

    mode: Mode = "development"
    latency_ms: float = 0.0
    jitter_ms: float = 0.0
    rate_limit: int | None = None
    rate_window_s: float = 30.0
    count_rejected: bool = False
    quota: int | None = None
    quota_retry_after: int = 86400
    error_rate: float = 0.0
    drop_rate: float = 0.0
    seed: int = 0
    max_users: int = 5
    refresh_returns_token: bool = False
    refresh_lifetime_s: float = SIX_MONTHS_S
    access_lifetime_s: int = 3600
    authorize_user: str = "demo"
    authorize_denies: bool = False

    def update(self, **options: Any) -> None:
        """Change options by name.

        Raises
        ------
        TypeError
            An option name is unknown.
        ValueError
            An option value is out of range.
        """
        names = {f.name for f in dataclasses.fields(self)}
        unknown = set(options) - names
        if unknown:
            raise TypeError(f"unknown emulator options: {sorted(unknown)}")
        for name, value in options.items():
            setattr(self, name, value)
        self.check()

    def check(self) -> None:
        """Raise ValueError when an option is out of range."""
        if self.mode not in ("development", "extended"):
            raise ValueError(f"mode must be development or extended, not {self.mode!r}")
        for name in ("error_rate", "drop_rate"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be within [0, 1], not {value!r}")
        if self.latency_ms < 0 or self.jitter_ms < 0:
            raise ValueError("latency_ms and jitter_ms must not be negative")
        if self.rate_limit is not None and self.rate_limit < 1:
            raise ValueError("rate_limit must be at least 1")
        if self.quota is not None and self.quota < 0:
            raise ValueError("quota must not be negative")
