"""Post-mortem downloads as a logged-in person asks for them: PDF and Markdown."""

from __future__ import annotations

import time
from dataclasses import dataclass

import aiohttp

from .servers import Process

FORMATS = ("pdf", "md")


@dataclass
class ExportResult:
    entries: int
    format: str
    seconds: float
    cpu_seconds: float  # the server's and its PDF worker's
    size: int
    status: int


async def measure_export(
    server: Process, cookie: str | None, incident_id: int, entries: int
) -> list[ExportResult]:
    results = []
    timeout = aiohttp.ClientTimeout(total=300)
    address = f"{server.url}/incidents/{incident_id}/postmortem"
    async with aiohttp.ClientSession(timeout=timeout, headers={"Cookie": cookie or ""}) as http:
        for fmt in FORMATS:
            cpu, started = server.cpu_seconds(children=True), time.perf_counter()
            async with http.get(f"{address}.{fmt}") as response:
                body = await response.read()
                status = response.status
            seconds = time.perf_counter() - started
            cpu = server.cpu_seconds(children=True) - cpu
            results.append(ExportResult(entries, fmt, seconds, cpu, len(body), status))
    return results
