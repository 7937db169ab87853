"""Adaptive pacing under Spotify's rolling-window rate limit, and retry back-off.

Spotify counts requests over a rolling 30-second window and does not publish the
limit. :class:`Pacer` starts unpaced. When a 429 arrives it counts the requests that
were accepted in the window before it (the limit as the server applied it) and from
then on books each request into the earliest slot that keeps every window of
``window + guard`` seconds at or under that count: the guard keeps the client's rate
just under the server's. An answered request is counted at the time of its answer,
the latest moment the server can have counted it, so that the client's window never
runs ahead of the server's however late a request left. The other 429 answers of
the same burst may only raise the estimate (answers still in flight are counted
late); a later 429 under a learned capacity lowers it by ``reduction``.
``Retry-After`` blocks every slot until it has passed, and rejected requests leave
the window, as the server does not count them.

Pure arithmetic on times passed in by the caller: no clock, no sleeping, no I/O.
"""

from __future__ import annotations

import bisect
import dataclasses
import math
import random
from typing import NamedTuple

__all__ = ["Booking", "Pacer", "RetryPolicy"]


class Booking(NamedTuple):
    """A send slot booked with :meth:`Pacer.reserve`: its time and its place in line."""

    time: float
    seq: int


class Pacer:
    """Schedule requests under a learned rolling-window rate limit.

    Parameters
    ----------
    window
        Length of Spotify's rolling window, in seconds.
    guard
        Extra seconds added to the window, for latency jitter between the client's
        send time and the server's arrival time.
    reduction
        Fraction (at least one request) by which a 429 under an already learned
        capacity lowers it.
    capacity
        A known capacity to start with; ``None`` learns it from the first 429.
    """

    def __init__(
        self,
        window: float = 30.0,
        guard: float = 0.25,
        reduction: float = 0.02,
        capacity: int | None = None,
    ) -> None:
        if window <= 0 or guard < 0 or not 0 <= reduction < 1:
            raise ValueError("window must be > 0, guard >= 0 and 0 <= reduction < 1")
        self.window = window
        self.guard = guard
        self.reduction = reduction
        self.capacity = capacity
        self.blocked_until = 0.0
        self._sends: list[Booking] = []
        self._accepted: list[float] = []
        self._seq = 0
        self._burst_seq = -1
        self._burst_first = False

    @property
    def span(self) -> float:
        """The window the pacer keeps under capacity: ``window + guard``."""
        return self.window + self.guard

    def reserve(self, now: float) -> Booking:
        """Book the earliest send slot at or after ``now``."""
        slot = max(now, self.blocked_until)
        self._forget(now)
        sends = self._sends
        if self.capacity is not None:
            recent = len(sends) - bisect.bisect_right(sends, (slot - self.span, _LAST))
            if recent >= self.capacity:
                slot = max(slot, sends[len(sends) - self.capacity].time + self.span)
        self._seq += 1
        booking = Booking(slot, self._seq)
        bisect.insort(sends, booking)
        return booking

    def release(self, booking: Booking) -> None:
        """Give back a booked slot that was not used or not counted by the server."""
        index = bisect.bisect_left(self._sends, booking)
        if index < len(self._sends) and self._sends[index] == booking:
            del self._sends[index]

    def on_accepted(self, booking: Booking, now: float) -> None:
        """Record that the request booked at ``booking`` was answered at ``now``.

        The server counted it when it arrived, at the latest ``now``: from here on
        the window holds it at ``now``, so that a request that left late (a busy
        client, a slow connection) is never taken for older than it is.
        """
        self.release(booking)
        self._seq += 1
        bisect.insort(self._sends, Booking(max(now, booking.time), self._seq))
        bisect.insort(self._accepted, max(now, booking.time))
        # sent before the learning burst's first 429 and counted by the server, but
        # answered after it: the first estimate was too low
        self._raise_first_estimate(booking, now)

    def booked_within(self, now: float) -> int:
        """Requests booked within the window before ``now`` (and not released)."""
        low = bisect.bisect_right(self._sends, (now - self.span, _LAST))
        high = bisect.bisect_right(self._sends, (now, _LAST))
        return high - low

    def accepted_within(self, now: float) -> int:
        """Accepted requests sent within the window before ``now``."""
        low = bisect.bisect_right(self._accepted, now - self.span)
        return len(self._accepted) - low

    def on_rate_limited(self, booking: Booking, now: float, retry_after: float) -> None:
        """Learn from a 429 answer to the request sent at ``booking``.

        Parameters
        ----------
        booking
            The slot of the rejected request.
        now
            When the 429 arrived.
        retry_after
            The ``Retry-After`` value, in seconds.
        """
        self.blocked_until = max(self.blocked_until, now + max(0.0, retry_after))
        self.release(booking)
        observed = max(1, self.accepted_within(now))
        if booking.seq <= self._burst_seq:
            # another answer of the same burst: later answers see more acceptances
            self._raise_first_estimate(booking, now)
            return
        self._burst_seq = self._seq
        self._burst_first = self.capacity is None
        if self.capacity is None:
            self.capacity = observed
            return
        base = min(self.capacity, observed)
        self.capacity = max(1, base - max(1, math.ceil(base * self.reduction)))

    def _raise_first_estimate(self, booking: Booking, now: float) -> None:
        """Raise a capacity learned from a first 429 by an answer of its burst."""
        if (
            self._burst_first
            and self.capacity is not None
            and booking.seq <= self._burst_seq
        ):
            self.capacity = max(self.capacity, self.accepted_within(now))

    def _forget(self, now: float) -> None:
        horizon = now - 2 * self.span
        cut = bisect.bisect_right(self._sends, (horizon, _LAST))
        if cut:
            del self._sends[:cut]
        cut = bisect.bisect_right(self._accepted, horizon)
        if cut:
            del self._accepted[:cut]


_LAST = 1 << 62


@dataclasses.dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry.

    Parameters
    ----------
    max_retries
        Retries for 5xx answers and connection errors.
    max_rate_limit_retries
        Retries for 429 answers whose ``Retry-After`` is within ``max_wait``.
    backoff
        Base of the exponential back-off, in seconds.
    max_backoff
        Cap of one back-off, in seconds.
    max_wait
        Longest ``Retry-After`` the client sleeps; a longer one raises
        :class:`~segue.spotify.RateLimited` at once.
    """

    max_retries: int = 3
    max_rate_limit_retries: int = 6
    backoff: float = 0.25
    max_backoff: float = 8.0
    max_wait: float = 60.0

    def delay(self, attempt: int, rng: random.Random | None = None) -> float:
        """Jittered exponential back-off before retry number ``attempt`` (from 1).

        Uniform between half and all of ``backoff * 2**(attempt-1)``, capped at
        ``max_backoff``.
        """
        ceiling = min(self.max_backoff, self.backoff * 2.0 ** max(0, attempt - 1))
        draw = rng.random() if rng is not None else random.random()
        return ceiling * (0.5 + 0.5 * draw)
