"""`python -m bench [--quick]`: start the servers as an operator would, drive them with real
Socket.IO clients on 127.0.0.1, and print what a user feels next to the bare stack."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from . import report
from .fanout import FanoutResult, fanout_grid
from .load import LoadProcesses
from .people import People
from .seed import Seeded, seed
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


FULL = Plan([10, 50, 200], [5, 20, 50], 5.0, (200, 20), 2, ["gevent", "threading"], 2, 2)
QUICK = Plan([10], [5, 20], 1.5, (10, 20), 1, ["gevent"], 2, 1)


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


async def single_process(url: str, seeded: Seeded, mode: str, plan: Plan) -> list[FanoutResult]:
    target = start_app(url, mode=mode)
    try:
        people = await People.logged_in(target.urls[0], seeded, max(plan.crowds))
        return await measure_fanout(target, people, seeded.rooms[0], plan)
    finally:
        target.stop()


async def multi_worker(plan: Plan) -> list[FanoutResult]:
    database = PostgresDatabase()
    try:
        upgrade_database(database.url)
        seeded = seed(database.url, max(plan.crowds), rooms=1)
        target = start_app(database.url, workers=plan.workers, queue=REDIS_URL)
        try:
            people = await People.logged_in(target.urls[0], seeded, max(plan.crowds))
            return await measure_fanout(target, people, seeded.rooms[0], plan)
        finally:
            target.stop()
    finally:
        database.drop()


async def run(plan: Plan, sections: set[str]) -> dict:
    results: dict = {"loadavg_start": os.getloadavg(), "started": time.strftime("%H:%M:%S")}
    workdir = Path(tempfile.mkdtemp(prefix="incident-room-bench-"))
    sqlite_url = f"sqlite:///{workdir / 'bench.db'}"
    upgrade_database(sqlite_url)
    seeded = seed(sqlite_url, max(plan.crowds), rooms=1)
    fanout: list[FanoutResult] = []
    if "fanout" in sections:
        for mode in plan.modes:
            fanout += await bare_fanout(mode, plan)
            fanout += await single_process(sqlite_url, seeded, mode, plan)
        fanout += await multi_worker(plan)
    results["fanout"] = fanout
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
    args = parser.parse_args()
    raise_open_files_limit()
    plan = QUICK if args.quick else FULL
    results = asyncio.run(run(plan, set(args.only.split(","))))
    print(report.render(results))
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"bench-{time.strftime('%Y%m%dT%H%M%S')}.json"
    out.write_text(json.dumps(results, default=lambda o: asdict(o), indent=1))
    print(
        f"\nraw numbers: {out.relative_to(Path.cwd()) if out.is_relative_to(Path.cwd()) else out}"
    )
