"""The tables the bench prints."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from .capacity import CapacityStep
from .export import ExportResult
from .fanout import FanoutResult
from .join import JoinResult, ReconnectResult
from .stats import kib, mib, ms, percent, ratio, table


def _bare_for(result: FanoutResult, fanout: list[FanoutResult]) -> FanoutResult | None:
    mode = result.target.rsplit("(", 1)[-1]
    return next(
        (
            r
            for r in fanout
            if r.target.startswith("bare")
            and r.target.endswith(mode)
            and (r.participants, r.rate) == (result.participants, result.rate)
        ),
        None,
    )


def fanout_table(fanout: list[FanoutResult]) -> str:
    rows = []
    for r in fanout:
        bare = _bare_for(r, fanout)
        rows.append(
            [
                r.target,
                str(r.participants),
                f"{r.rate:g}/s",
                ms(r.p(50)),
                ms(r.p(95)),
                ms(r.p(99)),
                ms(r.ack(50)),
                ms(r.ack(99)),
                ratio(r.p(99), bare.p(99)) if bare and bare is not r else "-",
                _lost(r),
                percent(r.server_cpu, 1),
                ms(r.server_cpu_per_entry),
                percent(r.generator_cpu, 1),
            ]
        )
    headers = ["target", "N", "rate", "p50 ms", "p95 ms", "p99 ms", "ack p50", "ack p99",
               "p99 vs bare", "lost", "server CPU", "CPU ms/entry", "generator CPU"]  # fmt: skip
    return table(headers, rows)


def capacity_table(steps: list[CapacityStep]) -> str:
    rows = [
        [
            str(step.connections),
            f"{step.connect_seconds:.1f}",
            ms(step.fanout.p(50)),
            ms(step.fanout.p(99)),
            f"{step.fanout.lost}/{step.fanout.expected}",
            mib(step.rss_bytes),
            kib(step.bytes_per_connection),
            percent(step.fanout.server_cpu, 1),
            percent(step.fanout.generator_cpu, 1),
            "yes" if step.holds else "NO",
        ]
        for step in steps
    ]
    headers = ["connections", "connect s", "p50 ms", "p99 ms", "lost", "server RSS",
               "per connection", "server CPU", "generator CPU", "p99 < 100 ms"]  # fmt: skip
    held = [s.connections for s in steps if s.holds]
    verdict = f"Holds {max(held)} connections" if held else "Holds none of the steps"
    if held and len(held) == len(steps):
        verdict += " (the largest step tried; the limit is higher)"
    return table(headers, rows) + "\n" + verdict + "."


def join_table(joins: list[JoinResult], reconnects: list[ReconnectResult]) -> str:
    rows = [
        [f"join, {j.entries} entries", ms(j.median), ms(j.worst), ms(j.cpu), kib(j.ack_bytes)]
        for j in joins
    ]
    rows += [
        [
            f"reconnect + join since, {r.missed} missed ({r.entries} entries)",
            ms(r.join),
            f"{ms(r.connect_and_join)} incl. connect",
            "-",
            f"{r.events} events",
        ]
        for r in reconnects
    ]
    return table(["what", "median ms", "worst ms", "server CPU ms", "ack"], rows)


def export_table(exports: list[ExportResult]) -> str:
    rows = [
        [str(e.entries), e.format, f"{e.seconds:.2f}", f"{e.cpu_seconds:.2f}", kib(e.size),
         str(e.status)]
        for e in exports
    ]  # fmt: skip
    return table(["entries", "format", "seconds", "CPU s", "size", "HTTP"], rows)


def _lost(r: FanoutResult) -> str:
    notes = [f"{r.refused} refused"] * bool(r.refused) + [f"{r.dropped} dropped"] * bool(r.dropped)
    return f"{r.lost}/{r.expected}" + (f" ({', '.join(notes)})" if notes else "")


def render(results: dict[str, Any]) -> str:
    parts = [
        f"Incident Room bench, started {results['started']} UTC, {os.cpu_count()} cores",
        f"load average at start {_load(results['loadavg_start'])}, "
        f"at end {_load(results['loadavg_end'])} (other work on the machine shows up here)",
    ]
    sections = [
        ("Fan-out: one room, emit -> receipt at every participant", results["fanout"],
         fanout_table, "CPU columns are shares of one core; 2 cores = 200%."),
        ("Capacity: single process, 20 rooms, idle participants, 10 entries/s probe",
         results["capacity"], capacity_table, ""),
        ("Join (single process, SQLite)", results["join"] or results["reconnect"],
         lambda _: join_table(results["join"], results["reconnect"]), ""),
        ("Post-mortem export (single process, SQLite)", results["export"], export_table, ""),
    ]  # fmt: skip
    for title, data, render_table, note in sections:
        if data:
            parts += ["", f"## {title}", "", render_table(data)]
            if note:
                parts.append(note)
    if results["failures"]:
        parts += ["", "## FAILED (the rows above are what was measured before)", ""]
        parts += [f"- {failure}" for failure in results["failures"]]
    return "\n".join(parts)


def _load(loadavg: tuple[float, float, float]) -> str:
    return " / ".join(f"{x:.2f}" for x in loadavg)


def load(path: Path) -> dict[str, Any]:
    """Results saved by a run, as objects again (to print them later)."""
    results = json.loads(path.read_text())
    results["fanout"] = [FanoutResult(**r) for r in results["fanout"]]
    results["capacity"] = [
        CapacityStep(**{**r, "fanout": FanoutResult(**r["fanout"])}) for r in results["capacity"]
    ]
    for key, kind in (
        ("join", JoinResult),
        ("reconnect", ReconnectResult),
        ("export", ExportResult),
    ):
        results[key] = [kind(**r) for r in results[key]]
    return results


if __name__ == "__main__":
    print(render(load(Path(sys.argv[1]))))
