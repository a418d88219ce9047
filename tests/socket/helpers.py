"""Calling socket events from the in-process test client."""

from __future__ import annotations

import uuid
from typing import Any

from tests.conftest import socket_client


def call(client: Any, event: str, payload: Any) -> dict[str, Any]:
    return client.emit(event, payload, callback=True)


def change(client: Any, event: str, payload: dict[str, Any]) -> dict[str, Any]:
    return call(client, event, {"op_id": str(uuid.uuid4()), **payload})


def received(client: Any, name: str = "incident.event") -> list[dict[str, Any]]:
    return [message["args"][0] for message in client.get_received() if message["name"] == name]


def add_entry(client: Any, incident_id: int, text: str, **extra: Any) -> dict[str, Any]:
    ack = change(
        client, "timeline.add", {"incident_id": incident_id, "kind": "note", "text": text, **extra}
    )
    assert ack["ok"], ack
    return ack["entry"]


def join_all(app: Any, incident_id: int, *usernames: str) -> list[Any]:
    """Socket clients for `usernames`, each joined to the incident, inboxes emptied."""
    clients = [socket_client(app, username) for username in usernames]
    for client in clients:
        assert call(client, "join", {"incident_id": incident_id})["ok"]
    for client in clients:
        client.get_received()
    return clients


def event_types(client: Any) -> list[str]:
    return [event["type"] for event in received(client)]


def resolve(commander: Any, second: Any, incident_id: int, **fields: Any) -> dict[str, Any]:
    """The IC calls all-clear and a second participant confirms it (a SEV1/SEV2 waits for
    one); returns the confirming ack."""
    asked = change(commander, "incident.all_clear", {"incident_id": incident_id, **fields})
    assert asked["ok"], asked
    assert asked["incident"]["all_clear_request"], asked
    confirmed = change(second, "incident.all_clear_confirm", {"incident_id": incident_id})
    assert confirmed["ok"], confirmed
    return confirmed


def alone(incident_id: int) -> dict[str, Any]:
    """An all-clear payload for an IC with nobody to confirm: the override, with a reason."""
    return {"incident_id": incident_id, "override_reason": "Recovered on dashboards; alone"}
