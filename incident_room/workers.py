"""`python -m incident_room.workers --workers N`: N `app.py` workers on consecutive ports.

Each worker is the ordinary single-process server (gevent, websockets) on its own port; a
proxy in front (deploy/nginx.conf) spreads browsers over them. They share PostgreSQL
(DATABASE_URL) and Redis (SOCKETIO_MESSAGE_QUEUE), and every one runs the background jobs:
database locks make each timer rule and webhook fire once. This supervisor checks the
database and Redis once, starts the workers, restarts one that dies (kill -9, out of
memory) and stops them all on SIGTERM or Ctrl-C.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
RESTART_DELAY_SECONDS = 1.0
STOP_TIMEOUT_SECONDS = 10.0

log = logging.getLogger("incident_room.workers")


def multi_worker_problem(workers: int, config: dict[str, Any]) -> str | None:
    """Why `workers` processes cannot share this configuration, or None."""
    if workers < 2:
        return None
    if not config.get("SOCKETIO_MESSAGE_QUEUE"):
        return (
            f"SOCKETIO_MESSAGE_QUEUE is not set: {workers} workers need Redis "
            "(redis://host:6379/0) to share rooms"
        )
    if config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return f"DATABASE_URL is SQLite: {workers} workers need PostgreSQL"
    return None


def _checked_config(workers: int) -> dict[str, Any]:
    """The configuration the workers will load, refused here in one line if it cannot work."""
    from .app_factory import create_app
    from .preflight import app_or_exit, refuse

    app = app_or_exit(create_app)  # also writes instance/secret_key once, before any worker
    if problem := multi_worker_problem(workers, app.config):
        refuse(problem)
    return dict(app.config)


class Supervisor:
    def __init__(self, host: str, ports: list[int]) -> None:
        self.host = host
        self.ports = ports
        self.processes: dict[int, subprocess.Popen[bytes]] = {}
        self.stopping = False

    def _spawn(self, port: int) -> None:
        command = [sys.executable, "app.py", "--host", self.host, "--port", str(port)]
        self.processes[port] = subprocess.Popen(command, cwd=PROJECT_ROOT)
        log.info("worker started", extra={"port": port, "pid": self.processes[port].pid})

    def run(self) -> int:
        for port in self.ports:
            self._spawn(port)
        while not self.stopping:
            time.sleep(0.2)
            for port, process in list(self.processes.items()):
                if process.poll() is not None and not self.stopping:
                    log.error(
                        "worker died; restarting",
                        extra={"port": port, "pid": process.pid, "exit": process.returncode},
                    )
                    time.sleep(RESTART_DELAY_SECONDS)
                    self._spawn(port)
        return self._stop_all()

    def request_stop(self, *_: Any) -> None:
        self.stopping = True

    def _stop_all(self) -> int:
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
        for process in self.processes.values():
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
        log.info("all workers stopped")
        return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve Incident Room with several workers.")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--base-port", type=int, default=5000, help="first worker's port")
    args = parser.parse_args(argv)
    config = _checked_config(args.workers)
    from .observability.logs import configure_logging

    configure_logging(config["LOG_LEVEL"])
    supervisor = Supervisor(args.host, [args.base_port + n for n in range(args.workers)])
    signal.signal(signal.SIGTERM, supervisor.request_stop)
    signal.signal(signal.SIGINT, supervisor.request_stop)
    return supervisor.run()


if __name__ == "__main__":
    sys.exit(main())
