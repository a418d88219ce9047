"""A scripted incident, played through the socket events on a frozen clock."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask

from incident_room.clock import FrozenClock
from tests.conftest import declare, socket_client
from tests.socket.helpers import add_entry, call, change, resolve


@dataclass
class Scripted:
    incident_id: int
    ic: Any  # Dana's socket client: Incident Commander and post-mortem owner
    responder: Any  # Fox's socket client


def update(client: Any, incident_id: int, **fields: Any) -> None:
    ack = change(client, "incident.update", {"incident_id": incident_id, **fields})
    assert ack["ok"], ack


def play_scripted_incident(app: Flask, clock: FrozenClock) -> Scripted:
    """02:00 SEV2 declared (errors began 01:52), 02:04 investigating, 02:15 SEV1, 02:25
    identified, 02:40:30 mitigated, 03:00:30 all-clear."""
    incident = declare(app, "dana", severity="SEV2")
    ic, responder = socket_client(app, "dana"), socket_client(app, "fox")
    for client in (ic, responder):
        assert call(client, "join", {"incident_id": incident})["ok"]
    add_entry(responder, incident, "Checkout errors began", occurred_at="2026-03-14T01:52:00Z")
    clock.advance(minutes=4)
    update(responder, incident, status="investigating")
    clock.advance(minutes=11)
    update(ic, incident, severity="SEV1")
    add_entry(ic, incident, "Roll back deploy 4211", kind="decision")
    clock.advance(minutes=10)
    update(responder, incident, status="identified")
    clock.advance(minutes=15, seconds=30)
    update(responder, incident, status="mitigated")
    clock.advance(minutes=20)
    resolve(ic, responder, incident)
    clock.advance(hours=2)
    return Scripted(incident, ic, responder)


SECTION_TEXTS = {
    "summary": "Checkout returned 502s for an hour after deploy 4211.",
    "customer_impact": "About 30% of checkouts failed between 01:52 and 02:40 UTC.",
    "why_1": "The checkout API answered 502 because its pods crash-looped.",
    "why_2": "The new build read a config key that was not deployed yet.",
    "lessons": "Config and code ship together, or the code tolerates the key missing.",
}


def write_postmortem(scripted: Scripted) -> None:
    """The team writes some sections and two action items (one without owner or date)."""
    incident = scripted.incident_id
    for key, text in SECTION_TEXTS.items():
        payload = {"incident_id": incident, "section": key, "base_version": 1, "text": text}
        assert change(scripted.ic, "postmortem.edit_section", payload)["ok"]
    for item in (
        {
            "text": "Canary every deploy",
            "owner": "fox",
            "due_on": "2026-04-01",
            "tracker_url": "https://tracker.example/OPS-12",
        },
        {"text": "Alert on config key drift"},
    ):
        ack = change(scripted.ic, "postmortem.action_item.add", {"incident_id": incident, **item})
        assert ack["ok"], ack


@dataclass
class Record:
    evidence_entry: dict[str, Any]
    hypothesis: dict[str, Any]


def record_structured_entries(scripted: Scripted) -> Record:
    """The scribe's structured entries: a decision, a hypothesis confirmed by an evidence
    entry, one ruled out, an action taken; then the evidence entry is corrected once."""
    incident, ic = scripted.incident_id, scripted.ic
    add_entry(
        ic,
        incident,
        "Fail over the payments database",
        kind="decision",
        occurred_at="2026-03-14T02:20:00Z",
        details={"rationale": "Replica lag alarm", "alternatives": "Wait it out"},
    )
    evidence = add_entry(
        ic, incident, "Pod logs: missing key checkout.timeout", occurred_at="2026-03-14T02:22:00Z"
    )
    hypothesis = add_entry(
        ic,
        incident,
        "Build 4211 reads a config key that was never deployed",
        kind="hypothesis",
        details={"status": "confirmed", "evidence_entry_id": evidence["id"]},
        occurred_at="2026-03-14T02:23:00Z",
    )
    add_entry(
        ic,
        incident,
        "Database overload",
        kind="hypothesis",
        details={"status": "ruled_out"},
        occurred_at="2026-03-14T02:18:00Z",
    )
    add_entry(
        ic,
        incident,
        "Roll back to build 4210",
        kind="action",
        details={"owner": "fox", "status": "done"},
        occurred_at="2026-03-14T02:30:00Z",
    )
    edit = {"incident_id": incident, "entry_id": evidence["id"], "base_version": 1}
    corrected = "Pod logs: missing key checkout.timeout_ms"
    ack = change(scripted.responder, "timeline.edit", {**edit, "text": corrected})
    assert ack["ok"], ack
    return Record(ack["entry"], hypothesis)
