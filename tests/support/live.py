"""Real server processes (`python app.py`) and real Socket.IO clients for integration tests."""

from __future__ import annotations

import functools
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests
import socketio

from .services import TEST_CHAIN_KEY
from .web import csrf_from

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    """`python app.py --port N` in a subprocess, as an operator would start it."""

    def __init__(self, database_url: str, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "live-test-secret",
            # The event log's seals are checked by test apps on the same database.
            "CHAIN_KEY": TEST_CHAIN_KEY,
            "PYTHONUNBUFFERED": "1",
            **(env or {}),
        }
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = PROJECT_ROOT / "test-artifacts" / f"server-{self.port}.log"

    def start(self, timeout: float = 20.0) -> LiveServer:
        return self.launch().wait_until_serving(timeout)

    def launch(self) -> LiveServer:
        """Start the process without waiting, so several servers can boot side by side."""
        self.log_path.parent.mkdir(exist_ok=True)
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "app.py", "--port", str(self.port)],
            cwd=PROJECT_ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        return self

    def wait_until_serving(self, timeout: float = 20.0) -> LiveServer:
        assert self.process is not None, "launch() first"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log_path.read_text()[-2000:]}")
            try:
                if requests.get(self.url + "/login", timeout=1).status_code == 200:
                    return self
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.1)
        raise RuntimeError(f"server did not start: {self.log_path.read_text()[-2000:]}")

    def kill(self) -> None:
        """kill -9: no chance to clean up, as in a crash."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()


def http_login(base_url: str, username: str, password: str = "password-123") -> requests.Session:
    session = requests.Session()
    token = csrf_from(session.get(base_url + "/login").text)
    response = session.post(
        base_url + "/login",
        data={"username": username, "password": password, "csrf_token": token},
        allow_redirects=False,
    )
    assert response.status_code == 302, response.text
    return session


class RealClient:
    """A logged-in python-socketio client that records every event it receives."""

    def __init__(self, base_url: str, username: str, *, reconnection: bool = False) -> None:
        self.base_url = base_url
        self.http = http_login(base_url, username)
        self.sio = socketio.Client(reconnection=reconnection)
        self.events: list[dict[str, Any]] = []
        self.presence: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self.sio.on("incident.event", self._on_event)
        self.sio.on("presence", self.presence.append)

    def _on_event(self, event: dict[str, Any]) -> None:
        with self._lock:
            self.events.append(event)

    def connect(self, url: str | None = None) -> RealClient:
        cookie = "; ".join(f"{k}={v}" for k, v in self.http.cookies.items())
        self.sio.connect(url or self.base_url, headers={"Cookie": cookie}, transports=["websocket"])
        return self

    def call(self, event: str, payload: dict[str, Any], timeout: float = 15) -> dict[str, Any]:
        return self.sio.call(event, payload, timeout=timeout)

    def change(self, event: str, payload: dict[str, Any]) -> dict[str, Any]:
        return self.call(event, {"op_id": str(uuid.uuid4()), **payload})

    def seqs(self, incident_id: int) -> list[int]:
        with self._lock:
            return [e["seq"] for e in self.events if e["incident_id"] == incident_id]

    def disconnect(self) -> None:
        """Disconnect without websocket-client's 3 s wait for a closing handshake.

        After a Socket.IO disconnect the server drops the connection without answering
        the client's close frame; browsers do not wait for it, websocket-client does.
        """
        if self.sio.connected:
            ws = self.sio.eio.ws
            ws.close = functools.partial(ws.close, timeout=0.1)
            self.sio.disconnect()


def wait_until(condition: Callable[[], bool], timeout: float = 10.0, message: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting: {message}")


def job_runs(server_url: str, job: str) -> int:
    """Finished passes of a background job in the worker at `server_url` (its /metrics)."""
    text = requests.get(server_url + "/metrics", timeout=5).text
    found = re.search(
        rf'^incident_room_background_job_runs_total{{job="{job}"}} (\S+)$', text, re.M
    )
    return int(float(found.group(1))) if found else 0


def wait_for_job_passes(server_urls: list[str], job: str, passes: int = 3) -> None:
    """A positive sign that time has passed: each worker has finished `passes` more passes
    of `job` since now (what did not happen by then was not going to)."""
    start = {url: job_runs(url, job) for url in server_urls}
    for url in server_urls:
        wait_until(
            lambda u=url: job_runs(u, job) >= start[u] + passes,
            timeout=30,
            message=f"{passes} more passes of {job} on {url}",
        )
