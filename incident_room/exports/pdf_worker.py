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


def main(argv: list[str]) -> int:
    assets, memory_limit = Path(argv[1]), int(argv[2])
    resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    job = PrintJob.unpack(sys.stdin.buffer.read())
    fetcher = LockedURLFetcher(assets, job.images)
    document = HTML(string=job.html, base_url=assets.as_uri() + "/", url_fetcher=fetcher)
    sys.stdout.buffer.write(document.write_pdf())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
