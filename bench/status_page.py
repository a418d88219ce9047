"""`python -m bench.status_page`: the public status page under load while a room is busy.

One single-process server (SQLite, gevent), a public SEV1 on the status page, 200
participants in its room and 20 entries/s written. Measured: the page's requests/s alone
(HTTP clients in other processes fetching `/status` and `summary.json` as fast as it
answers), then the room's fan-out p99 alone, while those clients fetch the page at
`--page-rate` requests/s in all (default 2,000) from the room's own process, and while
they fetch it from a second process (a status worker on the same database, as a
deployment routes `/status` to workers of its own), and the rate they got.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from incident_room.extensions import db
from incident_room.models import User
from incident_room.services.status_page.components import ComponentSettings, save_component
from incident_room.services.status_page.incidents import publish_incident
from incident_room.services.updates.posting import post_update
from incident_room.unit_of_work import run_change

from .fanout import Crowd, FanoutResult, scribes_for
from .load import LoadProcesses
from .people import People
from .report import fanout_table
from .seed import bench_app, seed
from .servers import Process, app_env, raise_open_files_limit, start_app, upgrade_database

PATHS = ("/status", "/status/api/v2/summary.json")


@dataclass(frozen=True)
class PageLoad:
    path: str
    requests: int
    seconds: float
    errors: int

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds


def make_public(database_url: str, incident_id: int, ic: str) -> None:
    """The room's incident on the status page, with one posted update, as its IC does it."""
    with bench_app(database_url):
        user = db.session.scalar(db.select(User).filter_by(username=ic))
        user.is_admin = True
        db.session.commit()
        components = [
            save_component(user, ComponentSettings(name, "Shop", n)).id
            for n, name in enumerate(("Checkout", "API", "Dashboard"))
        ]
        run_change(
            incident_id, user, lambda i: publish_incident(i, user, {components[0]: "major_outage"})
        )
        text = "We are investigating failed checkouts."
        run_change(incident_id, user, lambda i: post_update(i, user, "status_page", text, True))


async def _hammer(url: str, seconds: float, concurrency: int, rate: float) -> tuple[int, int]:
    """GET `url` on `concurrency` keep-alive connections for `seconds`: as fast as the
    server answers, or paced to `rate` requests/s in all when it is given."""
    import aiohttp

    done = errors = 0
    start = time.perf_counter()
    deadline = start + seconds
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def loop(offset: int) -> None:
            nonlocal done, errors
            sent = 0
            while time.perf_counter() < deadline:
                if rate:
                    due = start + (sent * concurrency + offset) / rate - time.perf_counter()
                    if due > 0:
                        await asyncio.sleep(due)
                async with session.get(url) as response:
                    await response.read()
                    done += 1
                    errors += response.status != 200
                sent += 1

        await asyncio.gather(*(loop(i) for i in range(concurrency)))
    return done, errors


def _hammer_process(
    url: str, seconds: float, concurrency: int, rate: float, out: multiprocessing.Queue
) -> None:
    out.put(asyncio.run(_hammer(url, seconds, concurrency, rate)))


WRK = shutil.which("wrk")
WRK_PACE = Path(__file__).with_name("wrk_pace.lua")
WRK_PAUSE_MS = 10  # wrk paces in whole milliseconds: a pause per answer on each connection
WRK_REQUESTS = re.compile(r"(\d+) requests in")
WRK_ERRORS = re.compile(r"Non-2xx or 3xx responses: (\d+)|Socket errors: connect (\d+), "
                        r"read (\d+), write (\d+), timeout (\d+)")  # fmt: skip


def _wrk(url: str, seconds: float, concurrency: int, rate: float) -> subprocess.Popen:
    """wrk (C, epoll) on one thread: flat out on `concurrency` connections, or paced to
    `rate` requests/s by enough connections each pausing WRK_PAUSE_MS between requests."""
    command = [WRK, "-t1", f"-d{seconds:g}s"]
    if rate:
        # Enough connections for the rate with answers taking up to 2 ms (a busy server).
        connections = math.ceil(rate * (WRK_PAUSE_MS + 2) / 1000)
        command += [f"-c{connections}", "-s", str(WRK_PACE), url, "--", str(WRK_PAUSE_MS)]
    else:
        command += [f"-c{concurrency}", url]
    return subprocess.Popen(command, stdout=subprocess.PIPE, text=True)


def _wrk_result(path: str, seconds: float, process: subprocess.Popen) -> PageLoad:
    out, _ = process.communicate()
    requests = WRK_REQUESTS.search(out)
    errors = sum(int(n) for match in WRK_ERRORS.findall(out) for n in match if n)
    return PageLoad(path, int(requests.group(1)) if requests else 0, seconds, errors)


def page_load(base: str, seconds: float, concurrency: int, rate: float = 0) -> list[PageLoad]:
    """One client process per path, for `seconds`, each with `concurrency` connections
    (paced to `rate` requests/s over all paths, or flat out when 0). wrk when installed
    (`apt-get install wrk`): written in C, it leaves the two cores to the server and the
    room's clients, as the customers' browsers would; else aiohttp processes."""
    if WRK:
        running = [_wrk(base + path, seconds, concurrency, rate / len(PATHS)) for path in PATHS]
        return [_wrk_result(p, seconds, r) for p, r in zip(PATHS, running, strict=True)]
    queues, processes = [], []
    for path in PATHS:
        out: multiprocessing.Queue = multiprocessing.Queue()
        process = multiprocessing.Process(
            target=_hammer_process,
            args=(base + path, seconds, concurrency, rate / len(PATHS), out),
        )
        process.start()
        queues.append(out)
        processes.append(process)
    results = []
    for path, out, process in zip(PATHS, queues, processes, strict=True):
        done, errors = out.get()
        process.join()
        results.append(PageLoad(path, done, seconds, errors))
    return results


def page_table(title: str, loads: list[PageLoad]) -> str:
    rows = [f"| {title} | {p.path} | {p.per_second:,.0f} | {p.errors} |" for p in loads]
    header = "| while | path | requests/s | errors |\n|---|---|---|---|"
    return "\n".join([header, *rows])


def status_worker(database_url: str) -> Process:
    """A second app process on the same database serving only the page (no background
    jobs), as deploy/nginx.conf routes `/status` to workers of its own."""
    env = app_env(database_url, RUN_BACKGROUND_JOBS="0")
    return Process([sys.executable, "app.py"], env, name="status-worker").start("/status")


async def measure(
    participants: int,
    rate: float,
    seconds: float,
    concurrency: int,
    page_rate: float,
    pin: bool = False,
) -> None:
    load_at_start = os.getloadavg()
    workdir = Path(tempfile.mkdtemp(prefix="incident-room-status-bench-"))
    url = f"sqlite:///{workdir / 'bench.db'}"
    upgrade_database(url)
    seeded = seed(url, participants, rooms=1)
    make_public(url, seeded.rooms[0], seeded.scribes[0])
    target = start_app(url)
    pages = status_worker(url)
    if pin:
        # The servers on core 0, everything else (the room's clients, wrk) on core 1: the
        # clients stand for browsers on other machines, which take no CPU from the server.
        for process in (*target.processes, pages):
            os.sched_setaffinity(process.popen.pid, {0})
        os.sched_setaffinity(0, {1})
    try:
        base = target.urls[0]
        alone = page_load(base, seconds, concurrency)
        people = await People.logged_in(base, seeded, participants)
        crowd = Crowd(target, people, seeded.rooms, LoadProcesses(1))
        await crowd.open(scribes_for(rate))
        await crowd.grow_to(participants)
        loop = asyncio.get_running_loop()
        quiet: FanoutResult = await crowd.measure(rate, seconds)
        same = loop.run_in_executor(None, page_load, base, seconds, concurrency, page_rate)
        busy: FanoutResult = await crowd.measure(rate, seconds)
        during = await same
        apart = loop.run_in_executor(None, page_load, pages.url, seconds, concurrency, page_rate)
        split: FanoutResult = await crowd.measure(rate, seconds)
        beside = await apart
        await crowd.close()
    finally:
        pages.stop()
        target.stop()
        shutil.rmtree(workdir)
    generator = "wrk" if WRK else "aiohttp"
    print(f"load average at start {load_at_start}, at end {os.getloadavg()} (2 cores)")
    pinned = "; servers pinned to core 0, clients to core 1" if pin else ""
    print(f"page load generator: {generator}{pinned}\n")
    print("#### The room: alone; the page on the same process; the page on a process of its own\n")
    print(fanout_table([quiet, busy, split]))
    alone_ms = 1000 * quiet.p(99)
    for what, result in (("the same process", busy), ("a status worker beside it", split)):
        change = 100 * (result.p(99) / quiet.p(99) - 1)
        print(f"\nRoom p99: {alone_ms:.1f} ms alone, {1000 * result.p(99):.1f} ms with the page's")
        print(f"load on {what} ({change:+.0f}%).")
    print(f"\n#### The status page (one process, {concurrency} connections flat out)\n")
    print(page_table("nothing else (flat out)", alone))
    room = f"the room: {participants} x {rate:g}/s (paced to {page_rate:g}/s in all)"
    print(page_table(f"{room}, same process", during).split("\n", 2)[2])
    print(page_table(f"{room}, status worker", beside).split("\n", 2)[2])


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.status_page", description=__doc__)
    parser.add_argument("--participants", type=int, default=200)
    parser.add_argument("--rate", type=float, default=20)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument(
        "--page-rate", type=float, default=2000, help="page requests/s while the room runs"
    )
    parser.add_argument(
        "--pin", action="store_true", help="servers on core 0, the clients on core 1"
    )
    args = parser.parse_args()
    raise_open_files_limit()
    asyncio.run(
        measure(
            args.participants, args.rate, args.seconds, args.concurrency, args.page_rate, args.pin
        )
    )


if __name__ == "__main__":
    main()
