"""Several real `python app.py` workers sharing one PostgreSQL schema and one Redis channel."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.support.live import LiveServer, RealClient
from tests.support.rooms import prepare_room
from tests.support.services import TEST_REDIS_URL, require_service

# Short enough that dead workers and due timers show up within a test's patience.
FAST_JOBS = {"BACKGROUND_JOB_INTERVAL_SECONDS": "0.5", "PRESENCE_STALE_SECONDS": "5"}
# Workers boot side by side; on a loaded machine importing the app alone can take seconds.
WORKER_START_SECONDS = 60.0


@dataclass
class Cluster:
    database_url: str
    workers: list[LiveServer]
    incident_id: int
    usernames: list[str]
    clients: list[RealClient] = field(default_factory=list)

    def client(self, worker: int, username: str, *, reconnection: bool = False) -> RealClient:
        """A logged-in client connected to `worker` that has joined the incident."""
        client = RealClient(self.workers[worker].url, username, reconnection=reconnection)
        self.clients.append(client.connect())
        ack = client.call("join", {"incident_id": self.incident_id})
        assert ack["ok"], ack
        return client


def cluster_env(**env: str) -> dict[str, str]:
    """Environment for workers of one test: the shared Redis, on a channel of its own."""
    return {
        "SOCKETIO_MESSAGE_QUEUE": TEST_REDIS_URL,
        "SOCKETIO_CHANNEL": f"test-{uuid.uuid4().hex}",
        **FAST_JOBS,
        **env,
    }


@pytest.fixture
def cluster(postgres_url: str) -> Iterator[Callable[..., Cluster]]:
    """Start `workers` servers on one PostgreSQL schema (or `database_url`) and Redis
    channel (`worker_env` overrides settings of worker n), with `users` users and one
    incident; everything is stopped after the test."""
    require_service("redis")
    started: list[Cluster] = []

    def start(
        workers: int = 2,
        users: int = 2,
        declaration: dict[str, Any] | None = None,
        database_url: str = postgres_url,
        worker_env: dict[int, dict[str, str]] | None = None,
        **env: str,
    ) -> Cluster:
        incident_id, usernames = prepare_room(database_url, users, **(declaration or {}))
        shared_env = cluster_env(**env)
        servers = [
            LiveServer(database_url, env={**shared_env, **(worker_env or {}).get(n, {})})
            for n in range(workers)
        ]
        running = Cluster(database_url, [], incident_id, usernames)
        started.append(running)
        for server in servers:
            running.workers.append(server.launch())
        for server in servers:
            server.wait_until_serving(WORKER_START_SECONDS)
        return running

    yield start
    for running in started:
        for client in running.clients:
            client.disconnect()
        for server in running.workers:
            server.stop()
