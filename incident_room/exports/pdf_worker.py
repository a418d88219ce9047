"""Renders one PDF in a process of its own: the page and its evidence images on stdin
(render_job), PDF on stdout.

`python -m incident_room.exports.pdf_worker ASSETS_DIR MEMORY_LIMIT_BYTES`

A separate process keeps WeasyPrint's CPU time off the server's event loop, and lets the
server bound its time (kill on timeout) and memory (RLIMIT_AS) without risk to itself.
"""

from __future__ import annotations

import resource
import sys
from pathlib import Path

from weasyprint import HTML

from .fetcher import LockedURLFetcher
from .render_job import PrintJob


def bound_memory(limit_bytes: int) -> None:
    """Past `limit_bytes` of address space this process fails, not the machine."""
    resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, limit_bytes))


def printable_page(job: PrintJob, assets: Path) -> HTML:
    """The job's page for WeasyPrint, loading nothing but through the locked fetcher."""
    fetcher = LockedURLFetcher(assets, job.images)
    return HTML(string=job.html, base_url=assets.as_uri() + "/", url_fetcher=fetcher)


def main(argv: list[str]) -> int:
    assets, memory_limit = Path(argv[1]), int(argv[2])
    bound_memory(memory_limit)
    job = PrintJob.unpack(sys.stdin.buffer.read())
    sys.stdout.buffer.write(printable_page(job, assets).write_pdf())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
