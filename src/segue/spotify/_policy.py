"""What to do after each attempt of a request: return, retry after a delay, or raise.

:class:`Attempts` holds the counters of one request and applies the
:class:`~segue.spotify._pacing.RetryPolicy`: 429 answers are retried after
``Retry-After`` when it is within ``max_wait`` and raised at once otherwise; 5xx
answers and failures whose outcome is unknown are retried with jittered back-off for
idempotent requests only; connection failures (nothing was sent) are retried for all.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Mapping
from typing import Literal

from . import _errors as e
from ._core import Call, error_for, retry_after_seconds
from ._pacing import Booking, Pacer, RetryPolicy

__all__ = ["REFRESH", "Attempts", "Stats"]

REFRESH: Literal["refresh"] = "refresh"


@dataclasses.dataclass
class Stats:
    """Counters of one client, for monitoring and benchmarks."""

    requests: int = 0
    """HTTP requests sent to the Web API (retries included)."""
    rate_limited: int = 0
    """429 answers received."""
    retries: int = 0
    """Requests repeated after a 429, a 5xx or a transport failure."""
    token_requests: int = 0
    """Requests sent to the accounts service."""


class Attempts:
    """Retry book-keeping of one request.

    Parameters
    ----------
    call
        The request.
    policy
        Retry limits and back-off.
    pacer
        The client's pacer, which learns from 429 answers.
    stats
        The client's counters.
    can_refresh
        Whether a 401 may be answered by renewing the token once.
    rng
        Source of jitter.
    """

    def __init__(
        self,
        call: Call,
        policy: RetryPolicy,
        pacer: Pacer,
        stats: Stats,
        *,
        can_refresh: bool = False,
        rng: random.Random | None = None,
    ) -> None:
        self.call = call
        self.policy = policy
        self.pacer = pacer
        self.stats = stats
        self.can_refresh = can_refresh
        self.rng = rng
        self.failures = 0
        self.rate_limits = 0

    def on_status(
        self,
        status: int,
        headers: Mapping[str, str],
        content: bytes,
        *,
        slot: Booking,
        now: float,
    ) -> float | Literal["refresh"] | None:
        """Decide after an answer.

        Returns
        -------
        None
            Success: use the answer.
        float
            Retry after this many seconds (0 means: when the pacer allows).
        "refresh"
            Renew the user token, then retry.

        Raises
        ------
        HTTPError
            The answer is an error that is not retried (any more).
        """
        if status != 429:
            self.pacer.on_accepted(slot, now)
        if status < 400:
            return None
        if status == 429:
            return self._rate_limited(headers, content, slot=slot, now=now)
        if status == 401 and self.can_refresh:
            self.can_refresh = False
            return REFRESH
        if status >= 500 and self.call.idempotent:
            return self._retry_or_raise(error_for(self.call, status, content))
        raise error_for(self.call, status, content)

    def on_transport_error(self, error: e.TransportError, *, sent: bool) -> float:
        """Decide after a failure without an answer; return the back-off or raise.

        Parameters
        ----------
        error
            The wrapped failure, raised when it is not retried.
        sent
            Whether the request may have reached the server.
        """
        if sent and not self.call.idempotent:
            raise error
        return self._retry_or_raise(error)

    def _retry_or_raise(self, error: e.SpotifyError) -> float:
        self.failures += 1
        if self.failures > self.policy.max_retries:
            raise error
        self.stats.retries += 1
        return self.policy.delay(self.failures, self.rng)

    def _rate_limited(
        self, headers: Mapping[str, str], content: bytes, *, slot: Booking, now: float
    ) -> float:
        self.stats.rate_limited += 1
        wait = retry_after_seconds(headers.get("retry-after"))
        error = error_for(self.call, 429, content, retry_after=wait)
        self.rate_limits += 1
        if wait > self.policy.max_wait:
            raise error
        if self.rate_limits > self.policy.max_rate_limit_retries:
            raise error
        if isinstance(error, e.QuotaExceeded):
            self.pacer.blocked_until = max(self.pacer.blocked_until, now + wait)
        else:
            self.pacer.on_rate_limited(slot, now, wait)
        self.stats.retries += 1
        return 0.0
