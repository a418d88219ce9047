"""One print job rendered phase by phase in a fresh process, as the PDF worker renders it
(the same functions of exports/pdf_worker.py), for bench/pdf_profile.py.

`python -m bench.pdf_phases ASSETS_DIR MEMORY_LIMIT_BYTES REPORT_JSON [--cprofile FILE]`
reads the job on stdin like the worker and writes each phase's wall and CPU seconds to
REPORT_JSON (stdout may be shared with py-spy). Start-up is timed from the first line, so
the worker's imports below are part of it.
"""

import time

STARTED = time.perf_counter()  # CLOCK_MONOTONIC: the parent subtracts its spawn time

import cProfile  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

from weasyprint.text.fonts import FontConfiguration  # noqa: E402

from incident_room.exports import pdf_worker  # noqa: E402
from incident_room.exports.render_job import PrintJob  # noqa: E402

IMPORTED = time.perf_counter()


class Phases:
    """Wall and CPU seconds of each step, in order."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, float, float]] = [
            ("worker imports", IMPORTED - STARTED, time.process_time())
        ]
        self._wall, self._cpu = time.perf_counter(), time.process_time()

    def done(self, name: str) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        self.rows.append((name, wall - self._wall, cpu - self._cpu))
        self._wall, self._cpu = wall, cpu


def main(argv: list[str]) -> int:
    assets, memory_limit, report = Path(argv[1]), int(argv[2]), Path(argv[3])
    profile_to = argv[5] if argv[4:5] == ["--cprofile"] else None
    fonts = FontConfiguration()  # before the memory limit, as the worker does
    pdf_worker.settle_for_one_render(memory_limit)
    phases = Phases()
    job = PrintJob.unpack(sys.stdin.buffer.read())
    phases.done("read the job")
    profiler = cProfile.Profile() if profile_to else None
    if profiler:
        profiler.enable()
    page = pdf_worker.printable_page(job, assets)
    phases.done("parse HTML")
    document = page.render(font_config=fonts)
    phases.done("layout (styles, boxes, pages)")
    pdf = document.write_pdf()
    phases.done("write_pdf (paint, fonts, PDF)")
    if profiler:
        profiler.disable()
        profiler.dump_stats(profile_to)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    result = {
        "started": STARTED,
        "phases": phases.rows,
        "pages": len(document.pages),
        "pdf_bytes": len(pdf),
        "max_rss_bytes": usage.ru_maxrss * 1024,
    }
    report.write_text(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
