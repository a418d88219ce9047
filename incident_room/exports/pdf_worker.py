"""Renders one PDF in a process of its own: the page and its evidence images on stdin
(render_job), PDF on stdout.

`python -m incident_room.exports.pdf_worker ASSETS_DIR MEMORY_LIMIT_BYTES`

A separate process keeps WeasyPrint's CPU time off the server's event loop, and lets the
server bound its time (kill on timeout) and memory (RLIMIT_AS) without risk to itself. The
server starts it ahead of the render it will do (exports/spare_worker.py), so everything
before reading stdin is start-up, and each process renders one PDF only.
"""

from __future__ import annotations

import gc
import resource
import sys
from pathlib import Path

from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from .fetcher import LockedURLFetcher
from .render_job import PrintJob


def settle_for_one_render(memory_limit_bytes: int) -> None:
    """Past `memory_limit_bytes` of address space this process fails, not the machine.

    The cyclic garbage collector is switched off: this process renders one PDF and exits,
    and while WeasyPrint builds hundreds of thousands of boxes the collector kept walking
    them all, for almost nothing (1,000 entries: 30% of the layout time; peak memory
    263 MiB with it, 267 MiB without). The memory limit bounds the process all the same."""
    resource.setrlimit(resource.RLIMIT_AS, (memory_limit_bytes, memory_limit_bytes))
    gc.disable()


def printable_page(job: PrintJob, assets: Path) -> HTML:
    """The job's page for WeasyPrint, loading nothing but through the locked fetcher."""
    fetcher = LockedURLFetcher(assets, job.images)
    return HTML(string=job.html, base_url=assets.as_uri() + "/", url_fetcher=fetcher)


def main(argv: list[str]) -> int:
    assets, memory_limit = Path(argv[1]), int(argv[2])
    # Fonts are found before the memory limit: fontconfig short of memory may take the
    # system's font cache for broken and write an empty one, for every later process.
    fonts = FontConfiguration()
    settle_for_one_render(memory_limit)
    packed = sys.stdin.buffer.read()
    if not packed:  # a worker started ahead whose server went away before using it
        return 0
    page = printable_page(PrintJob.unpack(packed), assets)
    sys.stdout.buffer.write(page.write_pdf(font_config=fonts))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
