"""PDF worker processes started one render ahead, so a render does not wait for one to start.

A worker (exports/pdf_worker.py) imports WeasyPrint and Pillow, limits its own memory and
settles its garbage collector as soon as it starts, then waits for its one job on stdin;
each server process keeps one such worker waiting for the next render. A worker still
renders exactly one PDF and exits, with the same memory limit and the same locked fetcher,
and the server still kills it when the render overruns its time (counted from the moment
the job is handed over, as the start-up is no longer part of the render). What a render no
longer waits for is the worker's start-up: 0.5 s.
"""

from __future__ import annotations

import subprocess
import threading


def _start(command: list[str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def stop(worker: subprocess.Popen[bytes]) -> None:
    """Kill `worker` (if it still runs) and reap it."""
    worker.kill()
    worker.communicate()


class SpareWorker:
    """At most one started worker waiting, per server process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiting: subprocess.Popen[bytes] | None = None

    def take(self, command: list[str]) -> subprocess.Popen[bytes]:
        """A started worker for `command`: the waiting one if it is for the same command and
        still alive, else a new one. Another is started to wait for the next render."""
        with self._lock:
            worker, self._waiting = self._waiting, None
            if worker is not None and (worker.args != command or worker.poll() is not None):
                stop(worker)
                worker = None
            if worker is None:
                worker = _start(command)
            self._waiting = _start(command)
        return worker


spare_worker = SpareWorker()
