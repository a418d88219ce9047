"""Rate limits on socket events, so one runaway or hostile client cannot flood a room or
burn the server's CPU.

Mutating events: a per-user sliding window in this process (`RATE_LIMIT_EVENTS` per
`RATE_LIMIT_WINDOW_SECONDS`), kept in memory because it sits on the room's busiest path.
Reads (`join`, `leave`, `timeline.history`, `update.draft`, `postmortem.get`,
`observe.state`): per connection and per user (an observer: per link), in the rate-limit
storage every worker shares (`limits`' moving window, through Flask-Limiter's storage), as
a `join` of a long incident costs far more than a round trip to Redis.
"""

from __future__ import annotations

import functools
import logging
import math
import threading
import time
from collections import defaultdict, deque

from flask import current_app
from limits import RateLimitItem, parse_many

from ..extensions import limiter

log = logging.getLogger("incident_room.realtime")


class RateLimiter:
    def __init__(self, limit: int, window_seconds: float) -> None:
        self.limit = limit
        self.window = window_seconds
        self._hits: dict[int, deque[float]] = defaultdict(deque)
        self._guard = threading.Lock()

    def wait(self, user_id: int) -> float:
        """0 and one more hit counted when `user_id` may send now; else seconds to wait."""
        moment = time.monotonic()
        with self._guard:
            hits = self._hits[user_id]
            while hits and hits[0] <= moment - self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                return hits[0] + self.window - moment
            hits.append(moment)
            return 0.0


@functools.lru_cache(maxsize=32)
def _limits(value: str) -> tuple[RateLimitItem, ...]:
    return tuple(parse_many(value))


def read_wait(sid: str, reader: str) -> int:
    """0 when connection `sid` and `reader` ("user:7", "observer-link:...") may read now
    (the read is counted); else whole seconds until they may. A storage that cannot be
    reached lets reads through (logged), as Flask-Limiter does for HTTP."""
    config = current_app.config
    checks = (
        ("RATE_LIMIT_SOCKET_READS_PER_CONNECTION", f"connection:{sid}"),
        ("RATE_LIMIT_SOCKET_READS_PER_USER", reader),
    )
    try:
        for setting, key in checks:
            for item in _limits(config[setting]):
                scope = (config["SOCKETIO_CHANNEL"], "socket-read", key)
                if not limiter.limiter.hit(item, *scope):
                    reset = limiter.limiter.get_window_stats(item, *scope).reset_time
                    return max(1, math.ceil(reset - time.time()))
    except Exception:  # the storage (Redis) failed: reads are not worth refusing for it
        log.exception("socket read limit unavailable")
    return 0
