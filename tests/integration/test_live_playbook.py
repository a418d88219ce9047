"""The playbook over real connections: one responder's claim, tick and severity reach the other."""

from __future__ import annotations

from tests.integration.test_live_room import connect_all
from tests.support.live import wait_until


def test_claim_tick_and_severity_change_reach_the_other_client(live_room, database_url) -> None:
    room = live_room(database_url, users=2)
    dana, fox = connect_all(room, 2)
    incident = room.incident_id
    item = dana.call("join", {"incident_id": incident})["checklist"][0]
    acks = [
        fox.change("role.claim", {"incident_id": incident, "role": "technical_lead"}),
        fox.change(
            "checklist.toggle", {"incident_id": incident, "item_id": item["id"], "done": True}
        ),
        fox.change("incident.update", {"incident_id": incident, "severity": "SEV1"}),
    ]
    assert all(ack["ok"] for ack in acks), acks
    wait_until(lambda: acks[-1]["seq"] in dana.seqs(incident), message="changes reach Dana")
    seen = {e["type"]: e["data"] for e in dana.events if e["seq"] >= acks[0]["seq"]}
    holders = {r["role"]: r["holder"] for r in seen["role.changed"]["roles"]}
    assert holders["technical_lead"]["username"] == "user1"
    assert seen["checklist.toggled"]["item"]["done_by"]["username"] == "user1"
    assert seen["incident.updated"]["incident"]["severity"] == "SEV1"
    for client in (dana, fox):
        client.disconnect()
