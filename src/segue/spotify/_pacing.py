"""Adaptive pacing under Spotify's rolling-window rate limit, and retry back-off.

Spotify counts requests over a rolling 30-second window and does not publish the
limit. :class:`Pacer` starts unpaced; when a 429 arrives it takes the number of
requests sent in the 30 seconds before the rejected one as the window's capacity,
slightly reduced, and from then on schedules each request into the earliest slot that
keeps the window under that capacity. A second 429 under a learned capacity lowers it
again. ``Retry-After`` blocks every slot until it has passed.

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
        Fraction by which a learned capacity is reduced below the observed count
        (at least one request).
    capacity
        A known capacity to start with; ``None`` learns it from the first 429.
    """

    def __init__(
        self,
        window: float = 30.0,
        guard: float = 0.25,
        reduction: float = 0.01,
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
        self._seq = 0
        self._learned_seq = -1

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
        """Give back a booked slot that was never used (e.g. on cancellation)."""
        index = bisect.bisect_left(self._sends, booking)
        if index < len(self._sends) and self._sends[index] == booking:
            del self._sends[index]

    def sent_before(self, booking: Booking) -> int:
        """Number of sends booked before ``booking`` within the window before it."""
        low = bisect.bisect_right(self._sends, (booking.time - self.window, _LAST))
        high = bisect.bisect_left(self._sends, booking)
        return max(0, high - low)

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
        if booking.seq <= self._learned_seq:
            return  # booked before the last estimate: same burst, nothing new
        observed = self.sent_before(booking)
        if self.capacity is not None:
            observed = min(observed, self.capacity)
        estimate = observed - max(1, math.ceil(observed * self.reduction))
        self.capacity = max(1, estimate)
        self._learned_seq = self._seq

    def _forget(self, now: float) -> None:
        cut = bisect.bisect_right(self._sends, (now - 2 * self.span, _LAST))
        if cut:
            del self._sends[:cut]


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
