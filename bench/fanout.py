"""Fan-out: one room, N participants, scribes writing at a steady rate; how late does each
entry reach every participant, and how long does the scribe wait for the ack."""

from __future__ import annotations

import asyncio
import math
import time
from collections import Counter
from dataclasses import dataclass

from .clients import Scribe, gather_limited
from .load import LoadProcesses, Spec
from .people import People
from .servers import Target
from .stats import percentile

PER_SCRIBE_RATE = 5.0  # entries/s one account may send (the app allows 30 per 5 s)
DRAIN_SECONDS = 10.0


def scribes_for(rate: float) -> int:
    return math.ceil(rate / PER_SCRIBE_RATE)


@dataclass
class FanoutResult:
    target: str
    participants: int
    rate: float
    sent: int
    expected: int
    latencies: list[float]
    acks: list[float]
    refused: int
    dropped: int  # participants and scribes the server disconnected
    server_cpu: float  # share of one core
    server_cpu_per_entry: float  # seconds of server CPU per entry written
    generator_cpu: float  # share of one core

    def p(self, pct: float) -> float:
        return percentile(self.latencies, pct)

    def ack(self, pct: float) -> float:
        return percentile(self.acks, pct)

    @property
    def lost(self) -> int:
        return self.expected - len(self.latencies)


class Crowd:
    """Participants spread over rooms on one target, with scribes (one per room, round
    robin) ready to write; the crowd only grows, so each step adds connections."""

    def __init__(self, target: Target, people: People, rooms: list[int], load: LoadProcesses):
        self.target = target
        self.people = people
        self.rooms = rooms
        self.load = load
        self.scribes: list[Scribe] = []
        self.held = 0
        self.in_room: Counter[int] = Counter()

    async def open(self, scribes: int) -> Crowd:
        urls, cookies = self.target.urls, self.people.scribe_cookies(scribes)
        self.scribes = [
            Scribe(urls[i % len(urls)], cookie, self.rooms[i % len(self.rooms)])
            for i, cookie in enumerate(cookies)
        ]
        for scribe in self.scribes:
            await scribe.connect()
            await scribe.join()
        return self

    async def grow_to(self, participants: int) -> None:
        urls, rooms = self.target.urls, self.rooms
        specs: list[Spec] = [
            (urls[i % len(urls)], self.people.participant_cookie(i), rooms[i % len(rooms)])
            for i in range(self.held, participants)
        ]
        self.held = await self.load.connect(specs)
        self.in_room.update(incident_id for _, _, incident_id in specs)

    async def measure(self, rate: float, duration: float, scribes: int = 0) -> FanoutResult:
        """Write `rate` entries/s for `duration` s, round robin over the first `scribes`
        scribes (by default as few as the per-account rate limit allows)."""
        active = self.scribes[: scribes or scribes_for(rate)]
        for scribe in active:
            del scribe.acks[:]
            scribe.sent = scribe.refused = 0
        await self.load.reset()
        server_cpu, main_cpu, wall = (
            self.target.cpu_seconds(),
            time.process_time(),
            time.perf_counter(),
        )
        total = max(1, round(rate * duration))
        start = time.perf_counter()
        for i in range(total):
            delay = start + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            active[i % len(active)].write()
        await self._drain(active, total)
        sample = await self.load.sample()
        wall = time.perf_counter() - wall
        return FanoutResult(
            target=self.target.name,
            participants=self.held,
            rate=rate,
            sent=total,
            expected=sum(self.in_room[active[i % len(active)].incident_id] for i in range(total)),
            latencies=sample.latencies,
            acks=[a for s in active for a in s.acks],
            refused=sum(s.refused for s in active),
            dropped=sample.dropped + sum(1 for s in self.scribes if s.dropped),
            server_cpu=(self.target.cpu_seconds() - server_cpu) / wall,
            server_cpu_per_entry=(self.target.cpu_seconds() - server_cpu) / total,
            generator_cpu=(sample.cpu_seconds + time.process_time() - main_cpu) / wall,
        )

    async def _drain(self, active: list[Scribe], total: int) -> None:
        """Wait for every ack, then a moment for the last broadcasts to land."""
        deadline = time.perf_counter() + DRAIN_SECONDS
        while sum(len(s.acks) for s in active) < total and time.perf_counter() < deadline:
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.5)

    async def close(self) -> None:
        await self.load.close()
        await gather_limited([s.disconnect() for s in self.scribes])


async def fanout_grid(
    target: Target,
    people: People,
    incident_id: int,
    crowds: list[int],
    rates: list[float],
    duration: float,
    load: LoadProcesses,
) -> list[FanoutResult]:
    room = await Crowd(target, people, [incident_id], load).open(scribes_for(max(rates)))
    results = []
    try:
        for crowd in crowds:
            await room.grow_to(crowd)
            for rate in rates:
                results.append(await room.measure(rate, duration))
    finally:
        await room.close()
    return results
