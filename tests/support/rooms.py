"""A real server process on a prepared database, with users and an incident."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from incident_room.clock import reset_clock, set_clock
from tests.conftest import add_user, declare, dispose, make_app
from tests.support.live import LiveServer


@dataclass
class LiveRoom:
    server: LiveServer
    incident_id: int
    usernames: list[str]


@pytest.fixture
def live_room() -> Iterator[Callable[..., LiveRoom]]:
    """Start `python app.py` on `database_url` with `users` and one SEV2 incident,
    declared `declared_ago` before now (so the playbook's clocks have run that long)."""
    servers: list[LiveServer] = []

    def start(
        database_url: str, users: int = 2, declared_ago: timedelta = timedelta(0), **env: str
    ) -> LiveRoom:
        app = make_app(database_url)
        usernames = [f"user{n}" for n in range(users)]
        for name in usernames:
            add_user(app, name, f"User {name[4:]}")
        set_clock(lambda: datetime.now(UTC) - declared_ago)
        try:
            incident_id = declare(app, usernames[0], severity="SEV2")
        finally:
            reset_clock()
        dispose(app)
        server = LiveServer(database_url, env=env).start()
        servers.append(server)
        return LiveRoom(server, incident_id, usernames)

    yield start
    for server in servers:
        server.stop()
