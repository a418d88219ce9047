"""The tables the bench prints."""

from __future__ import annotations

import os
from typing import Any

from .fanout import FanoutResult
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
                f"{r.lost}/{r.expected}" + (f" ({r.refused} refused)" if r.refused else ""),
                percent(r.server_cpu, 1),
                percent(r.generator_cpu, 1),
            ]
        )
    headers = ["target", "N", "rate", "p50 ms", "p95 ms", "p99 ms", "ack p50", "ack p99",
               "p99 vs bare", "lost", "server CPU", "generator CPU"]  # fmt: skip
    return table(headers, rows)


def render(results: dict[str, Any]) -> str:
    parts = [
        f"Incident Room bench, started {results['started']} UTC, {os.cpu_count()} cores",
        f"load average at start {_load(results['loadavg_start'])}, "
        f"at end {_load(results['loadavg_end'])} (other work on the machine shows up here)",
    ]
    if results.get("fanout"):
        parts += ["", "## Fan-out: one room, emit -> receipt at every participant", ""]
        parts.append(fanout_table(results["fanout"]))
        parts.append("CPU columns are shares of one core; 2 cores = 200%.")
    for key in ("capacity", "join", "export"):
        if results.get(key):
            parts += ["", results[key + "_title"], "", results[key + "_table"]]
    return "\n".join(parts)


def _load(loadavg: tuple[float, float, float]) -> str:
    return " / ".join(f"{x:.2f}" for x in loadavg)


__all__ = ["fanout_table", "kib", "mib", "render"]
