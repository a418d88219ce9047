"""A real server process on a prepared database, with users and an incident."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from incident_room.clock import set_clock
from tests.conftest import add_user, declare, dispose, make_app
from tests.support.live import LiveServer


@dataclass
class LiveRoom:
    server: LiveServer
    incident_id: int
    usernames: list[str]


def prepare_room(
    database_url: str, users: int = 2, declared_ago: timedelta = timedelta(0), **declaration: Any
) -> tuple[int, list[str]]:
    """Users `user0`..`userN-1` and one incident declared by user0 (SEV2 unless told),
    `declared_ago` before now (so the playbook's clocks have run that long)."""
    app = make_app(database_url)
    usernames = [f"user{n}" for n in range(users)]
    for name in usernames:
        add_user(app, name, f"User {name[4:]}")
    set_clock(app, lambda: datetime.now(UTC) - declared_ago)
    incident_id = declare(app, usernames[0], **{"severity": "SEV2", **declaration})
    dispose(app)
    return incident_id, usernames


@pytest.fixture
def live_room() -> Iterator[Callable[..., LiveRoom]]:
    """Start `python app.py` on `database_url` with `users` and one SEV2 incident (private
    when told: only user0, the declarer and IC, sees it until others are invited)."""
    servers: list[LiveServer] = []

    def start(
        database_url: str,
        users: int = 2,
        declared_ago: timedelta = timedelta(0),
        private: bool = False,
        **env: str,
    ) -> LiveRoom:
        incident_id, usernames = prepare_room(database_url, users, declared_ago, private=private)
        server = LiveServer(database_url, env=env).start()
        servers.append(server)
        return LiveRoom(server, incident_id, usernames)

    yield start
    for server in servers:
        server.stop()
