"""Per-client rate limits on the endpoints that cost work: a token bucket per client address.

A client may send ``burst`` requests at once and then ``per_minute`` a minute; one more gets a
429 with ``Retry-After`` (whole seconds until a request would be allowed) before its body is
read. Clients are told apart by their address as the server sees it (no proxy header is trusted).
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from api.limits import ASGIApp, Receive, Scope, Send
from api.settings import Settings

MAX_CLIENTS = 10_000  # buckets kept; full ones are dropped first when there are more


@dataclass
class Bucket:
    tokens: float
    stamp: float


class TokenBuckets:
    """Thread-safe token buckets keyed by client; ``take`` returns 0 or the seconds to wait."""

    def __init__(self, per_minute: int, burst: int, clock: Callable[[], float] = time.monotonic) -> None:
        if per_minute < 0 or burst < 1:
            raise ValueError(f"a rate limit needs per_minute >= 0 and burst >= 1 (got {per_minute}, {burst})")
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self.clock = clock
        self._buckets: dict[str, Bucket] = {}
        self._lock = threading.Lock()

    def take(self, client: str) -> float:
        now = self.clock()
        with self._lock:
            bucket = self._buckets.get(client)
            if bucket is None:
                if len(self._buckets) >= MAX_CLIENTS:
                    self._forget(now)
                bucket = self._buckets[client] = Bucket(self.burst, now)
            bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.stamp) * self.rate)
            bucket.stamp = now
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                return 0.0
            return (1.0 - bucket.tokens) / self.rate

    def _forget(self, now: float) -> None:
        """Drop the buckets that have refilled (their clients lose nothing), else the oldest half."""
        full = [k for k, b in self._buckets.items() if b.tokens + (now - b.stamp) * self.rate >= self.burst]
        if not full:
            full = sorted(self._buckets, key=lambda k: self._buckets[k].stamp)[:len(self._buckets) // 2]
        for key in full:
            del self._buckets[key]


def limited_paths(settings: Settings) -> dict[str, TokenBuckets]:
    """The rate-limited (POST) paths and their buckets; a limit of 0 is off."""
    out: dict[str, TokenBuckets] = {}
    if settings.rate_ask_per_minute:
        ask = TokenBuckets(settings.rate_ask_per_minute, settings.rate_burst)
        out["/api/ask"] = out["/api/ask/stream"] = ask  # one budget: the page uses either
    if settings.rate_feedback_per_minute:
        out["/api/feedback"] = TokenBuckets(settings.rate_feedback_per_minute, settings.rate_burst)
    return out


class RateLimit:
    """ASGI middleware: 429 + Retry-After once a client has spent its budget on a path."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.paths = limited_paths(settings)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        buckets = self.paths.get(scope.get("path", "")) if scope["type"] == "http" else None
        if buckets is None or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("unknown", 0))[0]
        wait = buckets.take(client)
        if not wait:
            await self.app(scope, receive, send)
            return
        retry = max(1, math.ceil(wait))
        body = json.dumps({"detail": f"too many requests from {client}; try again in {retry} s"}).encode()
        await send({"type": "http.response.start", "status": 429,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                (b"retry-after", str(retry).encode())]})
        await send({"type": "http.response.body", "body": body})
