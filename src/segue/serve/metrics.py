"""Request counts and a latency histogram, in Prometheus' text format.

One :class:`Metrics` per process, fed by :class:`MetricsMiddleware`. Paths are
recorded by route template (``/study/{study_id}``), never with ids or query strings,
so the series stay few and carry nothing private. The middleware also logs one
INFO line per request, by route template: never a query string (it may hold an
OAuth code), never a header.
"""

from __future__ import annotations

import bisect
import logging
import threading
import time
from collections import defaultdict

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["BUCKETS", "Metrics", "MetricsMiddleware"]

log = logging.getLogger("segue")

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
"""Upper bounds in seconds of the latency histogram's buckets."""


class Metrics:
    """Counters of requests by method, route and status, and latency by route."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests: defaultdict[tuple[str, str, int], int] = defaultdict(int)
        self.buckets: defaultdict[str, list[int]] = defaultdict(
            lambda: [0] * (len(BUCKETS) + 1)
        )
        self.sums: defaultdict[str, float] = defaultdict(float)
        self.started = time.time()

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        """Count one finished request."""
        with self._lock:
            self.requests[(method, route, status)] += 1
            self.buckets[route][bisect.bisect_left(BUCKETS, seconds)] += 1
            self.sums[route] += seconds

    def render(self) -> str:
        """The metrics in Prometheus' text exposition format (version 0.0.4)."""
        lines = [
            "# HELP segue_requests_total HTTP requests answered.",
            "# TYPE segue_requests_total counter",
        ]
        with self._lock:
            for (method, route, status), n in sorted(self.requests.items()):
                lines.append(
                    f'segue_requests_total{{method="{method}",route="{route}",'
                    f'status="{status}"}} {n}'
                )
            lines += [
                "# HELP segue_request_duration_seconds Time to answer a request.",
                "# TYPE segue_request_duration_seconds histogram",
            ]
            for route, counts in sorted(self.buckets.items()):
                total = 0
                for bound, n in zip((*BUCKETS, float("inf")), counts, strict=True):
                    total += n
                    le = "+Inf" if bound == float("inf") else repr(bound)
                    lines.append(
                        f'segue_request_duration_seconds_bucket{{route="{route}",'
                        f'le="{le}"}} {total}'
                    )
                lines.append(
                    f'segue_request_duration_seconds_sum{{route="{route}"}} '
                    f"{self.sums[route]:.6f}"
                )
                lines.append(
                    f'segue_request_duration_seconds_count{{route="{route}"}} {total}'
                )
        lines += [
            "# HELP segue_uptime_seconds Seconds since this process started.",
            "# TYPE segue_uptime_seconds gauge",
            f"segue_uptime_seconds {time.time() - self.started:.3f}",
        ]
        return "\n".join(lines) + "\n"


class MetricsMiddleware:
    """ASGI middleware that times every HTTP request into a :class:`Metrics`."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            route = scope.get("route")
            template = getattr(route, "path", None) or (
                "/static" if scope["path"].startswith("/static/") else "unmatched"
            )
            seconds = time.perf_counter() - start
            self.metrics.observe(scope["method"], template, status, seconds)
            log.info(
                "%s %s %d %.1f ms", scope["method"], template, status, seconds * 1e3
            )
