"""A per-user sliding window on socket events, so one runaway client cannot flood a room."""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque


class RateLimiter:
    def __init__(self, limit: int, window_seconds: float) -> None:
        self.limit = limit
        self.window = window_seconds
        self._hits: dict[int, deque[float]] = defaultdict(deque)
        self._guard = threading.Lock()

    def allow(self, user_id: int) -> bool:
        moment = time.monotonic()
        with self._guard:
            hits = self._hits[user_id]
            while hits and hits[0] <= moment - self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                return False
            hits.append(moment)
            return True
