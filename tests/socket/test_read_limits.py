"""Reads cost the server too: joins and the other read events are limited per connection
and per user, and the JSON API per token, each refusal saying when to come back."""

from __future__ import annotations

import pytest

from incident_room.app_factory import create_app
from incident_room.config import ConfigError
from incident_room.extensions import socketio
from incident_room.services.accounts import create_api_token, find_user
from tests.conftest import add_user, declare, dispose, logged_in_client, make_app
from tests.support.observers import make_link


def connection(app, username: str):
    return socketio.test_client(app, flask_test_client=logged_in_client(app, username))


def join(room, incident_id: int) -> dict:
    return room.emit("join", {"incident_id": incident_id}, callback=True)


def test_a_flood_of_joins_on_one_connection_is_refused_past_the_limit(app, dana) -> None:
    """1,000 joins cost 11.5 s of server CPU before: now 20 per 10 s per connection."""
    incident_id = declare(app, "dana")
    room = connection(app, "dana")
    acks = [join(room, incident_id) for _ in range(25)]
    assert all(ack["ok"] for ack in acks[:20])
    refused = acks[20]
    assert refused["ok"] is False
    assert refused["error"]["code"] == "rate_limited"
    assert 1 <= refused["error"]["retry_after"] <= 10
    other_reads = [
        room.emit(
            "timeline.history", {"incident_id": incident_id, "entry_id": str(n)}, callback=True
        )
        for n in range(2)
    ]
    assert {ack["error"]["code"] for ack in other_reads} == {"rate_limited"}
    assert join(connection(app, "dana"), incident_id)["ok"], "another tab still reads"


def test_one_person_across_many_connections_is_limited_too(app, dana, fox) -> None:
    incident_id = declare(app, "dana")
    served = 0
    for _ in range(4):
        room = connection(app, "dana")
        served += sum(join(room, incident_id)["ok"] for _ in range(20))
    assert served == 60  # RATE_LIMIT_SOCKET_READS_PER_USER: 60 per minute
    assert join(connection(app, "fox"), incident_id)["ok"], "others are not held back"


def test_an_observer_link_is_limited_per_connection_and_per_link(app, dana) -> None:
    incident_id = declare(app, "dana")
    link = make_link(app, incident_id, "dana")
    observer = socketio.test_client(app, auth={"observer_token": link.token})
    acks = [observer.emit("observe.state", {}, callback=True) for _ in range(21)]
    assert all(ack["ok"] for ack in acks[:20])
    assert acks[20]["error"]["code"] == "rate_limited"


def test_mutating_events_say_when_to_come_back(app, dana) -> None:
    incident_id = declare(app, "dana")
    room = connection(app, "dana")
    join(room, incident_id)
    acks = [
        room.emit("presence.editing", {"incident_id": incident_id, "entry_id": None}, callback=True)
        for _ in range(31)
    ]
    assert acks[30]["error"]["code"] == "rate_limited"
    assert 1 <= acks[30]["error"]["retry_after"] <= 5


@pytest.fixture
def tight_api(sqlite_url):
    application = make_app(sqlite_url, RATE_LIMIT_API="5 per minute")
    yield application
    dispose(application)


def test_the_api_is_limited_per_token(tight_api) -> None:
    app = tight_api
    add_user(app, "dana")
    with app.app_context():
        first, second = (create_api_token(find_user("dana")) for _ in range(2))
    client = app.test_client()

    def get(token: str):
        return client.get("/api/incidents", headers={"Authorization": f"Bearer {token}"})

    assert [get(first).status_code for _ in range(5)] == [200] * 5
    refused = get(first)
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    error = refused.get_json()["error"]
    assert error["code"] == "rate_limited" and error["retry_after"] == int(
        refused.headers["Retry-After"]
    )
    assert get(second).status_code == 200, "each token has its own allowance"
    assert logged_in_client(app, "dana").get("/api/incidents").status_code == 200


def test_a_limit_that_does_not_parse_stops_the_app_naming_it(sqlite_url, monkeypatch) -> None:
    monkeypatch.setenv("RATE_LIMIT_API", "lots")
    with pytest.raises(ConfigError, match="RATE_LIMIT_API"):
        create_app({"SQLALCHEMY_DATABASE_URI": sqlite_url, "SECRET_KEY": "x"})


def test_a_storage_it_cannot_use_stops_the_app_naming_it(sqlite_url, monkeypatch) -> None:
    monkeypatch.setenv("RATELIMIT_STORAGE_URL", "carrier-pigeon://loft")
    with pytest.raises(ConfigError, match="RATELIMIT_STORAGE_URL carrier-pigeon://loft"):
        create_app({"SQLALCHEMY_DATABASE_URI": sqlite_url, "SECRET_KEY": "x"})
