"""Starting what the bench measures, as an operator would: `python app.py` processes (one on
SQLite, or several on PostgreSQL joined by Redis) and the bare python-socketio server."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, text

PROJECT_ROOT = Path(__file__).resolve().parent.parent
RESULTS = PROJECT_ROOT / "bench" / "results"
POSTGRES_ADMIN_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def raise_open_files_limit() -> int:
    """Thousands of connections need thousands of descriptors, here and in the servers."""
    import resource

    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


@dataclass
class Process:
    """One server process the bench started, with its CPU and memory read from /proc."""

    command: list[str]
    env: dict[str, str]
    name: str
    port: int = field(default_factory=free_port)
    popen: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, ready_path: str, timeout: float = 30.0) -> Process:
        RESULTS.mkdir(parents=True, exist_ok=True)
        log = (RESULTS / f"{self.name}-{self.port}.log").open("wb")
        self.popen = subprocess.Popen(
            [*self.command, "--port", str(self.port)],
            cwd=PROJECT_ROOT,
            env={**os.environ, "PYTHONUNBUFFERED": "1", **self.env},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.popen.poll() is not None:
                raise RuntimeError(f"{self.name} exited; see {log.name}")
            try:
                with urllib.request.urlopen(self.url + ready_path, timeout=1):
                    return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"{self.name} did not start; see {log.name}")

    def stop(self) -> None:
        if self.popen and self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(10)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(10)

    def cpu_seconds(self, children: bool = False) -> float:
        """User + system CPU time of the process so far (and of the children it waited
        for, such as PDF workers). On a busy machine this is steadier than wall time."""
        assert self.popen is not None
        fields = Path(f"/proc/{self.popen.pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks = int(fields[11]) + int(fields[12])
        if children:
            ticks += int(fields[13]) + int(fields[14])
        return ticks / CLOCK_TICKS

    def rss_bytes(self) -> int:
        assert self.popen is not None
        for line in Path(f"/proc/{self.popen.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
        return 0


@dataclass
class Target:
    """What the clients connect to: one or more processes, and whether it is our app."""

    name: str
    processes: list[Process]
    app: bool

    @property
    def urls(self) -> list[str]:
        return [p.url for p in self.processes]

    def cpu_seconds(self) -> float:
        return sum(p.cpu_seconds() for p in self.processes)

    def stop(self) -> None:
        for process in self.processes:
            process.stop()


def app_env(database_url: str, **extra: str) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "SECRET_KEY": "bench-secret",
        # The timers job is part of a real server; keep it, it runs every 15 s.
        "RUN_BACKGROUND_JOBS": "1",
        **extra,
    }


def upgrade_database(database_url: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", "db", "upgrade"],
        cwd=PROJECT_ROOT,
        env={**os.environ, **app_env(database_url)},
        check=True,
        capture_output=True,
    )


def start_app(
    database_url: str, workers: int = 1, mode: str = "gevent", queue: str | None = None
) -> Target:
    command = [sys.executable, "app.py", *(["--threading"] if mode == "threading" else [])]
    # A channel of its own, so nothing else publishing on the same Redis reaches the workers.
    channel = f"bench-{uuid.uuid4().hex}"
    extra = {"SOCKETIO_MESSAGE_QUEUE": queue, "SOCKETIO_CHANNEL": channel} if queue else {}
    processes = [
        Process(command, app_env(database_url, **extra), name=f"app-{mode}-{i}").start("/login")
        for i in range(workers)
    ]
    kind = "sqlite" if database_url.startswith("sqlite") else "pg+redis"
    return Target(f"app {kind} x{workers} ({mode})", processes, app=True)


def start_bare(mode: str = "gevent") -> Target:
    command = [sys.executable, "-m", "bench.bare_server", "--mode", mode]
    process = Process(command, {}, name=f"bare-{mode}").start("/ready")
    return Target(f"bare python-socketio ({mode})", [process], app=False)


class PostgresDatabase:
    """A throwaway database for the multi-worker run, dropped afterwards."""

    def __init__(self) -> None:
        self.name = f"bench_{uuid.uuid4().hex[:10]}"
        self.admin = create_engine(
            POSTGRES_ADMIN_URL.replace("postgresql://", "postgresql+psycopg2://"),
            isolation_level="AUTOCOMMIT",
        )
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{self.name}"'))
        self.url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + "/" + self.name

    def drop(self) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        self.admin.dispose()
