"""Joining a room with a long timeline, and catching up with `since` after missing events."""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from .clients import Participant
from .servers import Process

JOIN_REPEATS = 5
MISSED_EVENTS = 100


@dataclass
class JoinResult:
    entries: int
    median: float
    worst: float
    cpu: float  # server CPU seconds per join
    ack_bytes: int


@dataclass
class ReconnectResult:
    entries: int
    missed: int
    connect_and_join: float
    join: float
    events: int


async def _timed_join(client: Participant, since: int | None = None) -> tuple[float, dict]:
    started = time.perf_counter()
    ack = await client.join(since)
    return time.perf_counter() - started, ack


async def measure_join(
    server: Process, cookie: str | None, incident_id: int, entries: int
) -> JoinResult:
    """The first join records the participant; the ones timed after it are what a person
    opening the room (or reloading it) waits for."""
    client = Participant(server.url, cookie, incident_id)
    await client.connect()
    try:
        await client.join()
        timings, ack = [], {}
        cpu = server.cpu_seconds()
        for _ in range(JOIN_REPEATS):
            seconds, ack = await _timed_join(client)
            timings.append(seconds)
        cpu = (server.cpu_seconds() - cpu) / JOIN_REPEATS
        size = len(json.dumps(ack, separators=(",", ":")))
        return JoinResult(entries, statistics.median(timings), max(timings), cpu, size)
    finally:
        await client.disconnect()


async def measure_reconnect(
    url: str,
    cookie: str | None,
    incident_id: int,
    entries: int,
    write_while_away: Callable[[int, int], None],
) -> ReconnectResult:
    """Leave, let `MISSED_EVENTS` entries be written, come back with `since`."""
    client = Participant(url, cookie, incident_id)
    await client.connect()
    await client.join()
    since = client.last_seq
    await client.disconnect()
    write_while_away(incident_id, MISSED_EVENTS)
    started = time.perf_counter()
    client = Participant(url, cookie, incident_id)
    await client.connect()
    join_seconds, ack = await _timed_join(client, since)
    total = time.perf_counter() - started
    await client.disconnect()
    return ReconnectResult(entries, MISSED_EVENTS, total, join_seconds, len(ack["events"]))
