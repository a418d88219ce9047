"""Capacity: idle participants (heartbeating) across 20 rooms on the single process, added
step by step while a light trickle of entries measures fan-out; where p99 passes 100 ms is
the limit, and the server's memory growth per connection is what each one costs."""

from __future__ import annotations

import time
from dataclasses import dataclass

from .fanout import Crowd, FanoutResult
from .load import LoadProcesses
from .people import People
from .servers import Target

P99_LIMIT = 0.100
PROBE_RATE = 10.0  # entries/s over all rooms, one scribe per room


@dataclass
class CapacityStep:
    connections: int
    fanout: FanoutResult
    connect_seconds: float
    rss_bytes: int
    bytes_per_connection: float

    @property
    def holds(self) -> bool:
        return self.fanout.p(99) < P99_LIMIT and self.fanout.lost == 0


async def measure_capacity(
    target: Target,
    people: People,
    rooms: list[int],
    steps: list[int],
    duration: float,
    load: LoadProcesses,
) -> list[CapacityStep]:
    server = target.processes[0]
    crowd = await Crowd(target, people, rooms, load).open(len(rooms))
    baseline = server.rss_bytes()
    results = []
    try:
        for step in steps:
            started = time.perf_counter()
            await crowd.grow_to(step)
            connect_seconds = time.perf_counter() - started
            rss = server.rss_bytes()
            fanout = await crowd.measure(PROBE_RATE, duration, scribes=len(rooms))
            per_connection = (rss - baseline) / max(1, crowd.held)
            results.append(CapacityStep(crowd.held, fanout, connect_seconds, rss, per_connection))
            if not results[-1].holds:
                break
    finally:
        await crowd.close()
    return results
