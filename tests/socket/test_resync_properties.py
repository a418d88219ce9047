"""Resync after any run of writes and reconnects (Hypothesis): a reader who drops off and
comes back with `since` gets exactly the events it missed - each once, in order, none lost
- whatever the interleaving."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import add_user, declare, dispose, make_app, socket_client
from tests.socket.helpers import add_entry, call, received

# Hundreds of joins and writes by two people in seconds: this test is not about the limits.
UNLIMITED = {
    "RATE_LIMIT_EVENTS": 100_000,
    "RATE_LIMIT_SOCKET_READS_PER_CONNECTION": "100000 per minute",
    "RATE_LIMIT_SOCKET_READS_PER_USER": "100000 per minute",
}
STEPS = st.lists(st.sampled_from(["write", "write", "drop", "rejoin"]), min_size=1, max_size=25)


class Reader:
    """A browser tab: live events while connected, `join` with `since` after a drop."""

    def __init__(self, app, incident: int) -> None:
        self.app, self.incident = app, incident
        self.seen: list[int] = []
        self.client = None
        self.rejoin()

    def rejoin(self) -> None:
        if self.client is not None:
            return
        self.client = socket_client(self.app, "fox")
        since = self.seen[-1] if self.seen else 0
        more = True
        while more:
            page = call(self.client, "join", {"incident_id": self.incident, "since": since})
            self.seen += [event["seq"] for event in page["events"]]
            since, more = (self.seen[-1] if self.seen else since), page["more"]
        self.take_live()

    def take_live(self) -> None:
        for event in received(self.client):
            if not self.seen or event["seq"] > self.seen[-1]:
                self.seen.append(event["seq"])

    def drop(self) -> None:
        if self.client is not None:
            self.take_live()
            self.client.disconnect()
            self.client = None


@pytest.fixture
def unlimited_app(sqlite_url):
    app = make_app(sqlite_url, **UNLIMITED)
    add_user(app, "dana")
    add_user(app, "fox")
    yield app
    dispose(app)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(steps=STEPS)
def test_any_interleaving_of_writes_and_reconnects_yields_exactly_the_missed_events(
    unlimited_app, steps
) -> None:
    app = unlimited_app
    incident = declare(app, "dana", severity="SEV3")
    writer = socket_client(app, "dana")
    assert call(writer, "join", {"incident_id": incident})["ok"]
    reader = Reader(app, incident)
    for number, step in enumerate(steps):
        if step == "write":
            add_entry(writer, incident, f"step {number}")
        elif step == "drop":
            reader.drop()
        else:
            reader.rejoin()
    last = call(writer, "join", {"incident_id": incident})["seq"]
    reader.rejoin()
    reader.take_live()
    assert reader.seen == list(range(1, last + 1))
    writer.disconnect()
    reader.drop()
