"""`python -m bench.profile`: the key fan-out cell (200 participants, 20 entries/s) on the
single-process server while py-spy samples it; writes a flame graph and a top listing to
bench/results/ so a fix can start from what the server really spends its time on."""

from __future__ import annotations

import argparse
import asyncio
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from .fanout import Crowd, scribes_for
from .load import LoadProcesses
from .people import People
from .report import fanout_table
from .seed import seed
from .servers import RESULTS, raise_open_files_limit, start_app, upgrade_database

PY_SPY = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
INTERESTING = ("incident_room", "socketio", "engineio", "sqlalchemy", "flask", "json", "gevent")


def top_functions(
    collapsed: str, count: int = 25, interesting: tuple[str, ...] = INTERESTING
) -> str:
    """Total (inclusive) share of samples per function, from py-spy's collapsed stacks."""
    totals: Counter[str] = Counter()
    samples = 0
    for line in collapsed.splitlines():
        stack, _, hits = line.rpartition(" ")
        samples += int(hits)
        frames = {frame.split(" (")[0] + " (" + frame.split(" (")[-1].split(":")[0] + ")"
                  for frame in stack.split(";")}  # fmt: skip
        for frame in frames:
            if any(name in frame for name in interesting):
                totals[frame] += int(hits)
    rows = [f"{100 * hits / samples:5.1f}%  {frame}" for frame, hits in totals.most_common(count)]
    return "\n".join(rows)


async def profile(participants: int, rate: float, seconds: float) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="incident-room-profile-"))
    url = f"sqlite:///{workdir / 'bench.db'}"
    upgrade_database(url)
    seeded = seed(url, participants, rooms=1)
    target = start_app(url)
    try:
        people = await People.logged_in(target.urls[0], seeded, participants)
        crowd = Crowd(target, people, seeded.rooms, LoadProcesses(2))
        await crowd.open(scribes_for(rate))
        await crowd.grow_to(participants)
        RESULTS.mkdir(parents=True, exist_ok=True)
        stacks = RESULTS / "profile.txt"
        recorder = subprocess.Popen(
            [PY_SPY, "record", "--pid", str(target.processes[0].popen.pid), "--rate", "250",
             "--duration", str(int(seconds)), "--format", "raw", "--output", str(stacks)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        result = await crowd.measure(rate, seconds)
        recorder.wait()
        await crowd.close()
        print(fanout_table([result]))
        print(f"\nWhere the server spent its samples (collapsed stacks: {stacks}):\n")
        print(top_functions(stacks.read_text()))
    finally:
        target.stop()
        shutil.rmtree(workdir)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__)
    parser.add_argument("--participants", type=int, default=200)
    parser.add_argument("--rate", type=float, default=20)
    parser.add_argument("--seconds", type=float, default=15)
    args = parser.parse_args()
    raise_open_files_limit()
    asyncio.run(profile(args.participants, args.rate, args.seconds))


if __name__ == "__main__":
    main()
