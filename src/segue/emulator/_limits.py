"""Rate limit, quota, injected faults and the request statistics.

Every random draw comes from generators seeded by the configuration, so a run of
the same requests in the same order meets the same faults and the same delays.
"""

from __future__ import annotations

import math
import random
import time
from collections import Counter, deque
from collections.abc import Callable
from typing import Any, Literal

from segue.emulator._config import Config
from segue.emulator._errors import ApiError

__all__ = ["Fault", "Limits", "Stats"]

Fault = Literal["drop", 500, 502, 503] | None

_FAULT_MESSAGES = {
    500: "Server error.",
    502: "Bad gateway.",
    503: "Service unavailable",
}


class Stats:
    """Counts of requests by route template and status, concurrency and 429s."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Forget everything counted so far."""
        self.by_route: Counter[str] = Counter()
        self.by_status: Counter[int] = Counter()
        self.by_route_status: Counter[tuple[str, int]] = Counter()
        self.total = 0
        self.rate_limited = 0
        self.quota_exceeded = 0
        self.dropped = 0
        self.faults = 0
        self.active = 0
        self.peak = 0

    def enter(self) -> None:
        """A request began."""
        self.active += 1
        self.peak = max(self.peak, self.active)

    def leave(self, route: str, status: int) -> None:
        """A request ended with ``status`` (0 for a dropped connection)."""
        self.active -= 1
        self.total += 1
        self.by_route[route] += 1
        self.by_status[status] += 1
        self.by_route_status[(route, status)] += 1

    def as_dict(self) -> dict[str, Any]:
        """The statistics as JSON-ready data."""
        routes: dict[str, dict[str, int]] = {}
        for (route, status), count in sorted(self.by_route_status.items()):
            routes.setdefault(route, {})[str(status)] = count
        return {
            "total": self.total,
            "by_status": {str(s): c for s, c in sorted(self.by_status.items())},
            "by_route": routes,
            "rate_limited": self.rate_limited,
            "quota_exceeded": self.quota_exceeded,
            "dropped": self.dropped,
            "faults": self.faults,
            "active": self.active,
            "concurrency_peak": self.peak,
        }


class Limits:
    """The rolling-window rate limit and quota per app, and the fault draws.

    Parameters
    ----------
    config
        Limits and rates; read on every request, so changes apply at once.
    clock
        Monotonic seconds; tests pass a fake one.
    """

    def __init__(
        self, config: Config, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.config = config
        self.clock = clock
        self.reset()

    def reset(self) -> None:
        """Empty the windows and quotas and reseed the random draws."""
        self._windows: dict[str, deque[float]] = {}
        self._used: Counter[str] = Counter()
        self._faults = random.Random(self.config.seed)
        self._jitter = random.Random(self.config.seed + 1)

    def admit(self, app: str) -> None:
        """Count one request of ``app``.

        Raises
        ------
        ApiError
            429 with ``Retry-After``: reason ``QUOTA_EXCEEDED`` when the quota is
            spent, else the rolling window is full.
        """
        config = self.config
        if config.quota is not None and self._used[app] >= config.quota:
            raise ApiError(
                429,
                "Too many requests",
                reason="QUOTA_EXCEEDED",
                headers={"Retry-After": str(config.quota_retry_after)},
            )
        if config.rate_limit is not None:
            now = self.clock()
            window = self._windows.get(app)
            if window is None:
                window = self._windows[app] = deque()
            horizon = now - config.rate_window_s
            while window and window[0] <= horizon:
                window.popleft()
            if len(window) >= config.rate_limit:
                if config.count_rejected:
                    window.append(now)
                wait = window[-config.rate_limit] + config.rate_window_s - now
                raise ApiError(
                    429,
                    "API rate limit exceeded",
                    headers={"Retry-After": str(max(1, math.ceil(wait)))},
                )
            window.append(now)
        self._used[app] += 1

    def fault(self) -> Fault:
        """Draw whether this request is dropped or fails with a 5xx."""
        config = self.config
        if config.drop_rate <= 0 and config.error_rate <= 0:
            return None
        draw = self._faults.random()
        if draw < config.drop_rate:
            return "drop"
        if draw < config.drop_rate + config.error_rate:
            status: Literal[500, 502, 503] = self._faults.choice((500, 502, 503))
            return status
        return None

    def delay(self) -> float:
        """Seconds to wait before answering: latency plus seeded jitter."""
        config = self.config
        if config.latency_ms <= 0 and config.jitter_ms <= 0:
            return 0.0
        jitter = self._jitter.uniform(0, config.jitter_ms) if config.jitter_ms else 0.0
        return (config.latency_ms + jitter) / 1000.0

    @staticmethod
    def fault_error(status: int) -> ApiError:
        """The answer of an injected server error."""
        return ApiError(status, _FAULT_MESSAGES[status])
