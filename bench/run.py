"""`python -m bench [--quick]`: start the servers as an operator would, drive them with real
Socket.IO clients on 127.0.0.1, and print what a user feels next to the bare stack."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import tempfile
import time
from collections.abc import Awaitable
from dataclasses import asdict, dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any

from . import report
from .capacity import measure_capacity
from .export import measure_export
from .fanout import FanoutResult, fanout_grid
from .join import measure_join, measure_reconnect
from .load import LoadProcesses
from .people import People
from .seed import Seeded, add_entries, seed
from .servers import (
    REDIS_URL,
    RESULTS,
    PostgresDatabase,
    Target,
    raise_open_files_limit,
    start_app,
    start_bare,
    upgrade_database,
)


@dataclass(frozen=True)
class Plan:
    crowds: list[int]
    rates: list[float]
    duration: float
    key: tuple[int, float]  # the cell repeated, to show the noise
    repeats: int
    modes: list[str]
    workers: int
    load_processes: int
    timelines: tuple[int, ...]
    capacity_steps: list[int]
    accounts: int  # participant accounts; capacity's connections reuse them


FULL = Plan(
    crowds=[10, 50, 200],
    rates=[5, 20, 50],
    duration=5.0,
    key=(200, 20),
    repeats=2,
    modes=["gevent", "threading"],
    workers=2,
    load_processes=2,
    timelines=(100, 1000, 5000),
    capacity_steps=[250, 500, 1000, 2000, 3000, 4000],
    accounts=400,
)
QUICK = Plan(
    crowds=[10],
    rates=[5, 20],
    duration=1.5,
    key=(10, 20),
    repeats=1,
    modes=["gevent"],
    workers=2,
    load_processes=1,
    timelines=(100, 1000),
    capacity_steps=[40, 100],
    accounts=40,
)
ROOMS_FOR_CAPACITY = 20


async def measure_fanout(target: Target, people: People, incident_id: int, plan: Plan) -> list:
    load = LoadProcesses(plan.load_processes)
    results = await fanout_grid(
        target, people, incident_id, plan.crowds, plan.rates, plan.duration, load
    )
    crowd, rate = plan.key
    for _ in range(plan.repeats - 1):
        load = LoadProcesses(plan.load_processes)
        results += await fanout_grid(
            target, people, incident_id, [crowd], [rate], plan.duration, load
        )
    return results


async def bare_fanout(mode: str, plan: Plan) -> list[FanoutResult]:
    target = start_bare(mode)
    try:
        return await measure_fanout(target, People.anonymous(), 1, plan)
    finally:
        target.stop()


async def single_process(
    url: str, seeded: Seeded, mode: str, plan: Plan, sections: set[str], results: dict
) -> None:
    """Everything measured on the one-process server: join, export, fan-out, capacity."""
    target = start_app(url, mode=mode)
    try:
        people = await People.logged_in(target.urls[0], seeded, plan.accounts)
        if mode == "gevent":
            await _join_and_export(target, people, url, seeded, sections, results)
        if "fanout" in sections:
            results["fanout"] += await measure_fanout(target, people, seeded.rooms[0], plan)
        if mode == "gevent" and "capacity" in sections:
            load = LoadProcesses(plan.load_processes)
            results["capacity"] = await measure_capacity(
                target, people, seeded.rooms[1:], plan.capacity_steps, plan.duration, load
            )
    finally:
        target.stop()


async def _join_and_export(
    target: Target, people: People, url: str, seeded: Seeded, sections: set[str], results: dict
) -> None:
    server, cookie = target.processes[0], people.participant_cookie(0)
    base = server.url
    for entries, incident_id in seeded.long_incidents.items():
        if "join" in sections:
            results["join"].append(await measure_join(server, cookie, incident_id, entries))
        if "export" in sections:
            results["export"] += await measure_export(server, cookie, incident_id, entries)
    if "join" in sections:
        entries, incident_id = max(seeded.long_incidents.items())
        results["reconnect"].append(
            await measure_reconnect(base, cookie, incident_id, entries, partial(add_entries, url))
        )


async def multi_worker(plan: Plan) -> list[FanoutResult]:
    database = PostgresDatabase()
    try:
        upgrade_database(database.url)
        seeded = seed(database.url, plan.accounts, rooms=1)
        target = start_app(database.url, workers=plan.workers, queue=REDIS_URL)
        try:
            people = await People.logged_in(target.urls[0], seeded, plan.accounts)
            return await measure_fanout(target, people, seeded.rooms[0], plan)
        finally:
            target.stop()
    finally:
        database.drop()


async def attempt(results: dict, what: str, measurement: Awaitable[Any]) -> Any:
    """Run one measurement; a failure is reported in the tables instead of ending the run."""
    try:
        return await measurement
    except Exception as error:
        results["failures"].append(f"{what}: {error!r}")
        return []


async def run(plan: Plan, sections: set[str]) -> dict:
    results: dict = {
        "loadavg_start": os.getloadavg(),
        "started": time.strftime("%H:%M:%S"),
        **{key: [] for key in ("fanout", "capacity", "join", "reconnect", "export", "failures")},
    }
    workdir = Path(tempfile.mkdtemp(prefix="incident-room-bench-"))
    sqlite_url = f"sqlite:///{workdir / 'bench.db'}"
    upgrade_database(sqlite_url)
    timelines = plan.timelines if sections & {"join", "export"} else ()
    seeded = seed(sqlite_url, plan.accounts, 1 + ROOMS_FOR_CAPACITY, timelines)
    for mode in plan.modes:
        if "fanout" in sections:
            results["fanout"] += await attempt(results, f"bare {mode}", bare_fanout(mode, plan))
        if mode == "gevent" or "fanout" in sections:
            await attempt(
                results,
                f"app single process {mode}",
                single_process(sqlite_url, seeded, mode, plan, sections, results),
            )
    if "fanout" in sections:
        results["fanout"] += await attempt(results, "app multi-worker", multi_worker(plan))
    shutil.rmtree(workdir)
    results["loadavg_end"] = os.getloadavg()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small N, short runs (< 1 min)")
    parser.add_argument(
        "--only",
        default="fanout,capacity,join,export",
        help="comma-separated sections to run (default: all)",
    )
    parser.add_argument("--modes", help="async modes to compare (default gevent,threading)")
    args = parser.parse_args()
    raise_open_files_limit()
    plan = QUICK if args.quick else FULL
    if args.modes:
        plan = replace(plan, modes=args.modes.split(","))
    results = asyncio.run(run(plan, set(args.only.split(","))))
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"bench-{time.strftime('%Y%m%dT%H%M%S')}.json"
    out.write_text(json.dumps(results, default=lambda o: asdict(o), indent=1))
    print(report.render(results))
    print(
        f"\nraw numbers: {out.relative_to(Path.cwd()) if out.is_relative_to(Path.cwd()) else out}"
    )
