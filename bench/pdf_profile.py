"""`python -m bench.pdf_profile --entries 1000`: where the seconds of one post-mortem PDF go.

Seeds an incident with bench/seed.py's timeline on a scratch SQLite database, builds the
document and the print HTML in process as the server does (exports/pdf.py), renders it
through `render_pdf` exactly as served (twice: the first render of a server process starts
its worker cold, the next finds one waiting), then once more in a fresh process phase by phase
(bench/pdf_phases.py: start-up and imports, parse, layout, write_pdf), optionally under
cProfile (`--cprofile FILE`) or py-spy (`--py-spy`). Prints wall and CPU seconds per phase;
CPU is the steadier number on a shared machine, so the load average is printed too.
"""

from __future__ import annotations

import argparse
import json
import os
import pstats
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from incident_room.exports.pdf import print_job, render_pdf
from incident_room.extensions import db
from incident_room.models import Incident
from incident_room.services.postmortem.draft import postmortem_document

from .profile import PY_SPY, top_functions
from .seed import bench_app, seed
from .servers import PROJECT_ROOT, RESULTS, upgrade_database
from .stats import kib, mib, table

T = TypeVar("T")
RENDERING = ("weasyprint", "pydyf", "tinycss2", "cssselect2", "tinyhtml5", "fontTools", "PIL")


@dataclass(frozen=True)
class Phase:
    name: str
    where: str
    seconds: float
    cpu_seconds: float | None


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(name: str, where: str, work: Callable[[], T]) -> tuple[T, Phase]:
    """`work()`, with its wall time and the CPU time of this process and its children."""
    wall, cpu = time.perf_counter(), time.process_time() + _children_cpu()
    result = work()
    cpu = time.process_time() + _children_cpu() - cpu
    return result, Phase(name, where, time.perf_counter() - wall, cpu)


def render_in_phases(
    job_bytes: bytes, assets: str, memory_limit: int, cprofile: Path | None, py_spy: Path | None
) -> tuple[list[Phase], dict[str, Any]]:
    """The job rendered by bench/pdf_phases.py in a fresh process; its phases and report."""
    report = Path(tempfile.mkstemp(prefix="pdf-phases-", suffix=".json")[1])
    command = [sys.executable, "-m", "bench.pdf_phases", assets, str(memory_limit), str(report)]
    if cprofile:
        command += ["--cprofile", str(cprofile)]
    if py_spy:
        command = [PY_SPY, "record", "--rate", "250", "--format", "raw",
                   "--output", str(py_spy), "--", *command]  # fmt: skip
    spawned = time.perf_counter()
    subprocess.run(command, input=job_bytes, cwd=PROJECT_ROOT, check=True, capture_output=True)
    result = json.loads(report.read_text())
    report.unlink()
    phases = [Phase("interpreter start", "worker", result["started"] - spawned, None)]
    phases += [Phase(name, "worker", wall, cpu) for name, wall, cpu in result["phases"]]
    worker = [p for p in phases if p.where == "worker"]
    phases.append(
        Phase(
            "worker in all",
            "worker",
            sum(p.seconds for p in worker),
            sum(p.cpu_seconds or 0 for p in worker),
        )
    )
    return phases, result


def phase_table(phases: list[Phase]) -> str:
    def cpu(phase: Phase) -> str:
        return "-" if phase.cpu_seconds is None else f"{phase.cpu_seconds:.2f}"

    rows = [[p.name, p.where, f"{p.seconds:.2f}", cpu(p)] for p in phases]
    return table(["phase", "where", "seconds", "CPU s"], rows)


def profile(entries: int, cprofile: Path | None, py_spy: bool, top: int) -> None:
    print(f"load average at start {_load()}")
    workdir = Path(tempfile.mkdtemp(prefix="incident-room-pdf-"))
    try:
        url = f"sqlite:///{workdir / 'bench.db'}"
        upgrade_database(url)
        seeded, seeding = timed("seed", "bench", lambda: seed(url, 0, 0, (entries,)))
        print(f"seeded {entries} entries in {seeding.seconds:.1f} s")
        with bench_app(url) as app:
            incident = db.session.get(Incident, seeded.long_incidents[entries])
            document, reading = timed(
                "document from the database", "server", lambda: postmortem_document(incident)
            )
            job, templating = timed("print HTML (Jinja)", "server", lambda: print_job(document))
            _, cold = timed(
                "render_pdf, worker started cold", "server + worker", lambda: render_pdf(job)
            )
            pdf, served = timed(
                "render_pdf, spare worker waiting", "server + worker", lambda: render_pdf(job)
            )
            assets, memory_limit = app.static_folder, app.config["PDF_MEMORY_LIMIT_BYTES"]
        stacks = RESULTS / f"pdf-profile-{entries}.txt" if py_spy else None
        if stacks:
            RESULTS.mkdir(parents=True, exist_ok=True)
        phases, result = render_in_phases(job.pack(), assets, memory_limit, cprofile, stacks)
        print()
        print(phase_table([reading, templating, cold, served, *phases]))
        print(
            f"\n{entries} entries: HTML {kib(len(job.html.encode()))}, "
            f"PDF {kib(len(pdf))}, {result['pages']} pages; "
            f"worker peak RSS {mib(result['max_rss_bytes'])}"
        )
        if cprofile:
            print(f"\ncProfile of parse + layout + write_pdf ({cprofile}):\n")
            pstats.Stats(str(cprofile)).sort_stats("cumulative").print_stats(top)
        if stacks:
            print(f"\nWhere the worker spent its samples (collapsed stacks: {stacks}):\n")
            print(top_functions(stacks.read_text(), top, interesting=RENDERING))
    finally:
        shutil.rmtree(workdir)
    print(f"load average at end {_load()}")


def _load() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.pdf_profile", description=__doc__)
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--cprofile", type=Path, help="write cProfile stats of the render here")
    parser.add_argument("--py-spy", action="store_true", help="sample the render with py-spy")
    parser.add_argument("--top", type=int, default=40, help="functions to list from a profile")
    args = parser.parse_args()
    profile(args.entries, args.cprofile, args.py_spy, args.top)


if __name__ == "__main__":
    main()
