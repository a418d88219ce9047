"""`python -m bench.live_text`: live text keystrokes among the editors of one section.

One single-process server (SQLite, gevent) with a resolved incident's post-mortem; N
editors open its summary (`live_text.open`), T of them type at K keystrokes/s each (one
character per update, as the browser sends them, each acked before the next), and every
other editor times the update's arrival. Run beside the bare python-socketio stack, which
relays the same updates with no database, no CRDT and no auth, so the difference is ours.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import os
import random
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from pycrdt import Doc, Text

from incident_room.extensions import db
from incident_room.models import User
from incident_room.services.lifecycle import call_all_clear
from incident_room.services.participants import note_participant
from incident_room.unit_of_work import run_change

from .clients import Participant, gather_limited
from .people import People
from .seed import bench_app, seed
from .servers import Target, raise_open_files_limit, start_app, start_bare, upgrade_database
from .stats import ms, percentile, ratio, table

DOC = "section:summary"
EMPTY_STATE_VECTOR = base64.b64encode(Doc().get_state()).decode()


def open_postmortem(database_url: str, incident_id: int, ic: str, editors: list[str]) -> None:
    """All-clear on the bench's room, so its post-mortem (and the summary) exists, with
    every editor a participant."""
    with bench_app(database_url):
        lead = db.session.scalar(db.select(User).filter_by(username=ic))
        for name in editors:
            user = db.session.scalar(db.select(User).filter_by(username=name))
            run_change(incident_id, user, lambda inc, u=user: note_participant(inc, u))
        reason = "Bench: recovered"
        run_change(
            incident_id, lead, lambda inc: call_all_clear(inc, lead, None, override_reason=reason)
        )


@dataclass
class Result:
    target: str
    editors: int
    typists: int
    rate: float
    sent: int
    expected: int
    latencies: list[float]
    acks: list[float]
    refused: int
    server_cpu_per_key: float

    @property
    def lost(self) -> int:
        return self.expected - len(self.latencies)


class Editor(Participant):
    """One editor's connection (a participant of the room); a typist also keeps a pycrdt
    document to type into."""

    def __init__(self, url: str, cookie: str | None, incident_id: int, sent: dict[str, float]):
        super().__init__(url, cookie, incident_id)
        self.sent = sent  # shared by the editors of this process: update -> when it was sent
        self.acks: list[float] = []
        self.refused = 0
        self.doc = Doc()
        self.text = self.doc.get("text", type=Text)
        self.sio.on("live_text.update", self._on_update)

    def _on_update(self, message: dict) -> None:
        if (sent_at := self.sent.get(message["update"])) is not None:
            self.latencies.append(time.perf_counter() - sent_at)

    async def open(self) -> None:
        await self.connect()
        await self.join()
        payload = {"incident_id": self.incident_id, "doc": DOC, "state_vector": EMPTY_STATE_VECTOR}
        ack = await self.call("live_text.open", payload)
        assert ack["ok"], ack
        self.doc.apply_update(base64.b64decode(ack["update"]))

    async def type(self, rate: float, seconds: float) -> int:
        """One character per update at `rate` a second, each acked before the next; each
        typist starts at a random moment of the first interval (people do not type in step)."""
        await asyncio.sleep(random.uniform(0, 1 / rate))
        start, sent = time.perf_counter(), 0
        while time.perf_counter() - start < seconds:
            before = self.doc.get_state()
            self.text.insert(len(str(self.text).encode()), "abcdefghij"[sent % 10])
            update = base64.b64encode(self.doc.get_update(before)).decode()
            payload = {"incident_id": self.incident_id, "doc": DOC, "update": update}
            sent_at = self.sent[update] = time.perf_counter()
            ack = await self.sio.call("live_text.update", payload, timeout=60)
            self.acks.append(time.perf_counter() - sent_at)
            self.refused += not ack.get("ok")
            sent += 1
            await asyncio.sleep(max(0.0, start + sent / rate - time.perf_counter()))
        return sent


async def run(target: Target, cookies: list, incident_id: int, editors: int, typists: int,
              rate: float, seconds: float) -> Result:  # fmt: skip
    sent: dict[str, float] = {}
    crowd = [Editor(target.urls[0], cookies[i % len(cookies)], incident_id, sent)
             for i in range(editors)]  # fmt: skip
    await gather_limited([editor.open() for editor in crowd], limit=10)
    # Warm up (the first of each statement compiles, the first updates load pycrdt's
    # documents), then forget what was measured.
    await asyncio.gather(*(editor.type(rate, 1.0) for editor in crowd[:typists]))
    await asyncio.sleep(1)
    for editor in crowd:
        del editor.latencies[:], editor.acks[:]
    cpu = target.cpu_seconds()
    counts = await asyncio.gather(*(editor.type(rate, seconds) for editor in crowd[:typists]))
    await asyncio.sleep(2)  # the last updates arrive
    cpu = target.cpu_seconds() - cpu
    await asyncio.gather(*(editor.disconnect() for editor in crowd))
    keys = sum(counts)
    return Result(
        target.name,
        editors,
        typists,
        rate,
        keys,
        keys * (editors - 1),
        [latency for editor in crowd for latency in editor.latencies],
        [ack for editor in crowd for ack in editor.acks],
        sum(editor.refused for editor in crowd),
        cpu / keys if keys else 0.0,
    )


def report(results: list[Result]) -> str:
    def bare_for(r: Result) -> Result | None:
        same = (r.editors, r.typists, r.rate)
        return next((b for b in results if b.target.startswith("bare")
                     and (b.editors, b.typists, b.rate) == same), None)  # fmt: skip

    rows = [
        [
            r.target,
            str(r.editors),
            f"{r.typists} x {r.rate:g}/s",
            ms(percentile(r.latencies, 50)),
            ms(percentile(r.latencies, 99)),
            ms(percentile(r.acks, 50)),
            ms(percentile(r.acks, 99)),
            ratio(percentile(r.latencies, 99), percentile(bare.latencies, 99))
            if (bare := bare_for(r)) and bare is not r
            else "-",
            f"{r.lost} of {r.expected}" if r.lost else "0",
            str(r.refused),
            ms(r.server_cpu_per_key) if r.target.startswith("app") else "-",
        ]
        for r in results
    ]
    headers = ["target", "editors", "typing", "p50 ms", "p99 ms", "ack p50", "ack p99",
               "p99 vs bare", "lost", "refused", "CPU ms/key"]  # fmt: skip
    return table(headers, rows)


async def measure(editors: int, typists_list: list[int], rate: float, seconds: float) -> None:
    load_at_start = os.getloadavg()
    workdir = Path(tempfile.mkdtemp(prefix="incident-room-live-text-bench-"))
    url = f"sqlite:///{workdir / 'bench.db'}"
    upgrade_database(url)
    seeded = seed(url, editors, rooms=1)
    incident_id = seeded.rooms[0]
    open_postmortem(url, incident_id, seeded.scribes[0], seeded.participants[:editors])
    results = []
    for typists in typists_list:
        bare = start_bare()
        try:
            results.append(await run(bare, [None], 1, editors, typists, rate, seconds))
        finally:
            bare.stop()
        app = start_app(url)
        try:
            people = await People.logged_in(app.urls[0], seeded, editors)
            cookies = [people.participant_cookie(i) for i in range(editors)]
            results.append(await run(app, cookies, incident_id, editors, typists, rate, seconds))
        finally:
            app.stop()
    shutil.rmtree(workdir)
    print(f"load average at start {load_at_start}, at end {os.getloadavg()} (2 cores)\n")
    print(report(results))


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.live_text", description=__doc__)
    parser.add_argument("--editors", type=int, default=50)
    parser.add_argument("--typists", type=int, nargs="+", default=[1, 10, 50])
    parser.add_argument("--rate", type=float, default=5, help="keystrokes/s per typist")
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    raise_open_files_limit()
    asyncio.run(measure(args.editors, args.typists, args.rate, args.seconds))


if __name__ == "__main__":
    main()
