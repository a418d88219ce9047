"""Post-mortem downloads as a logged-in person asks for them: PDF and Markdown."""

from __future__ import annotations

import time
from dataclasses import dataclass

import aiohttp

FORMATS = ("pdf", "md")


@dataclass
class ExportResult:
    entries: int
    format: str
    seconds: float
    size: int
    status: int


async def measure_export(url: str, cookie: str, incident_id: int, entries: int) -> list:
    results = []
    timeout = aiohttp.ClientTimeout(total=300)
    async with aiohttp.ClientSession(timeout=timeout, headers={"Cookie": cookie}) as http:
        for fmt in FORMATS:
            started = time.perf_counter()
            async with http.get(f"{url}/incidents/{incident_id}/postmortem.{fmt}") as response:
                body = await response.read()
                status = response.status
            seconds = time.perf_counter() - started
            results.append(ExportResult(entries, fmt, seconds, len(body), status))
    return results
