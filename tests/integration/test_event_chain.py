"""The tamper-evident log: `flask incidents verify` finds the first changed or missing event."""

import pytest
from sqlalchemy import delete, update

from incident_room.extensions import db
from incident_room.models import IncidentEvent
from tests.conftest import declare
from tests.socket.helpers import add_entry, change, join_all


@pytest.fixture
def incident(app, clock, dana, fox) -> int:
    """An incident with a few kinds of events: declared, joined, entries, a claim, a tick."""
    incident = declare(app, "dana", severity="SEV2")
    a, b = join_all(app, incident, "dana", "fox")
    entry = add_entry(a, incident, "Rolled back deploy 42")
    change(
        b,
        "timeline.edit",
        {
            "incident_id": incident,
            "entry_id": entry["id"],
            "base_version": 1,
            "text": "Rolled back deploy 41",
        },
    )
    change(b, "role.claim", {"incident_id": incident, "role": "technical_lead"})
    change(a, "incident.update", {"incident_id": incident, "status": "investigating"})
    return incident


def verify(app, reference="INC-1"):
    return app.test_cli_runner().invoke(args=["incidents", "verify", reference])


def tamper(app, statement) -> None:
    with app.app_context():
        db.session.execute(statement)
        db.session.commit()


def test_an_untouched_log_verifies(app, incident) -> None:
    result = verify(app)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("INC-1: chain intact, 6 events, head ")


def test_a_rewritten_event_is_named(app, incident) -> None:
    tamper(
        app,
        update(IncidentEvent)
        .where(IncidentEvent.incident_id == incident, IncidentEvent.seq == 3)
        .values(data={"entry": {"text": "Nobody rolled anything back"}}),
    )
    result = verify(app, "inc-1")
    assert result.exit_code == 1
    assert result.output == "INC-1: chain BROKEN at event 3: its content was changed.\n"


def test_a_removed_event_is_named(app, incident) -> None:
    tamper(app, delete(IncidentEvent).where(IncidentEvent.seq == 4))
    assert "chain BROKEN at event 4: event 4 is missing" in verify(app, "1").output


def test_a_removed_last_event_is_named(app, incident) -> None:
    tamper(app, delete(IncidentEvent).where(IncidentEvent.seq == 6))
    assert "chain BROKEN at event 6: event 6 is missing at the end" in verify(app).output


def test_events_carry_their_hash_to_clients(app, incident) -> None:
    [client] = join_all(app, incident, "fox")
    events = client.emit("join", {"incident_id": incident, "since": 0}, callback=True)["events"]
    hashes = [event["hash"] for event in events]
    assert len(set(hashes)) == 6 and all(len(h) == 64 for h in hashes)


def test_an_unknown_incident_is_a_clear_error(app, incident) -> None:
    result = verify(app, "INC-99")
    assert result.exit_code == 1 and "No incident 'INC-99'" in result.output
