"""Load processes: each holds a share of the participants on its own asyncio loop and
answers the conductor's commands over a pipe, so the generator spreads over the cores and
reports its own CPU time."""

from __future__ import annotations

import asyncio
import multiprocessing
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from .clients import Participant, gather_limited

CONNECTING_AT_ONCE = 10  # per load process: people arrive in a rush, not all in one instant

# (url, cookie or None, incident_id) for each participant a process should hold.
Spec = tuple[str, str | None, int]


class LoadError(RuntimeError):
    """A load process could not do what it was asked (sent back to the conductor)."""


@dataclass
class Sample:
    latencies: list[float]
    cpu_seconds: float
    wall_seconds: float
    dropped: int  # connections the server closed


class _Holder:
    def __init__(self) -> None:
        self.participants: list[Participant] = []
        self.cpu_mark = time.process_time()
        self.wall_mark = time.perf_counter()

    async def connect(self, specs: list[Spec]) -> int:
        fresh = [Participant(url, cookie, incident_id) for url, cookie, incident_id in specs]

        async def bring_in(participant: Participant) -> None:
            await participant.connect()
            await participant.join()

        await gather_limited([bring_in(p) for p in fresh], limit=CONNECTING_AT_ONCE)
        self.participants.extend(fresh)
        return len(self.participants)

    def reset(self) -> None:
        for participant in self.participants:
            del participant.latencies[:]
        self.cpu_mark = time.process_time()
        self.wall_mark = time.perf_counter()

    def sample(self) -> Sample:
        latencies = [x for p in self.participants for x in p.latencies]
        return Sample(
            latencies,
            time.process_time() - self.cpu_mark,
            time.perf_counter() - self.wall_mark,
            sum(1 for p in self.participants if p.dropped),
        )

    async def close(self) -> None:
        await gather_limited([p.disconnect() for p in self.participants], limit=200)


async def _answer(holder: _Holder, command: str, argument: Any) -> Any:
    if command == "connect":
        return await holder.connect(argument)
    if command == "reset":
        return holder.reset()
    if command == "sample":
        return holder.sample()
    return await holder.close()


async def _serve(conn: Connection) -> None:
    holder = _Holder()
    loop = asyncio.get_running_loop()
    command = ""
    while command != "close":
        command, argument = await loop.run_in_executor(None, conn.recv)
        try:
            conn.send(await _answer(holder, command, argument))
        except Exception as error:
            conn.send(LoadError(f"{command} failed in a load process: {error!r}"))


def _main(conn: Connection) -> None:
    asyncio.run(_serve(conn))


class LoadProcesses:
    """The conductor's handle on the load processes."""

    def __init__(self, count: int) -> None:
        context = multiprocessing.get_context("spawn")
        self.pipes: list[Connection] = []
        self.processes = []
        for _ in range(count):
            here, there = context.Pipe()
            process = context.Process(target=_main, args=(there,), daemon=True)
            process.start()
            self.pipes.append(here)
            self.processes.append(process)

    async def _ask_all(self, commands: list[tuple[str, Any]]) -> list[Any]:
        for pipe, command in zip(self.pipes, commands, strict=True):
            pipe.send(command)
        loop = asyncio.get_running_loop()
        answers = await asyncio.gather(*(loop.run_in_executor(None, p.recv) for p in self.pipes))
        for answer in answers:
            if isinstance(answer, LoadError):
                raise answer
        return answers

    async def connect(self, specs: list[Spec]) -> int:
        """Spread participants round-robin over the processes; returns how many are held."""
        shares = [specs[i :: len(self.pipes)] for i in range(len(self.pipes))]
        return sum(await self._ask_all([("connect", share) for share in shares]))

    async def reset(self) -> None:
        await self._ask_all([("reset", None)] * len(self.pipes))

    async def sample(self) -> Sample:
        samples = await self._ask_all([("sample", None)] * len(self.pipes))
        return Sample(
            [x for s in samples for x in s.latencies],
            sum(s.cpu_seconds for s in samples),
            max(s.wall_seconds for s in samples),
            sum(s.dropped for s in samples),
        )

    async def close(self) -> None:
        await self._ask_all([("close", None)] * len(self.pipes))
        for process in self.processes:
            process.join(10)
