"""The tamper-evident log: `flask incidents verify` finds the first changed or missing event,
a rewrite whose plain hashes were all recomputed (the seals need the server's key), and an
edit to what people read (entries, roles, checklist) made behind the log's back."""

import pytest
from sqlalchemy import delete, select, update

from incident_room.extensions import db
from incident_room.models import (
    ChecklistItem,
    Incident,
    IncidentEvent,
    RoleAssignment,
    TimelineEntry,
)
from incident_room.unit_of_work.chain import GENESIS, event_hash
from tests.conftest import add_user, declare, dispose, make_app
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
    assert result.output.startswith("INC-1: chain intact and sealed, 6 events, head ")
    assert result.output.endswith("timeline, roles and checklist match the log.\n")


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


def rewrite_and_rehash(app, incident_id: int, seq: int, data: dict) -> None:
    """What someone with only database access would do: change an event, then recompute
    every plain hash after it (the algorithm is public) and the incident's head."""
    with app.app_context():
        events = db.session.scalars(
            select(IncidentEvent)
            .where(IncidentEvent.incident_id == incident_id)
            .order_by(IncidentEvent.seq)
        ).all()
        previous = GENESIS
        for event in events:
            if event.seq == seq:
                event.data = data
            event.prev_hash = previous
            event.hash = event_hash(previous, event)
            previous = event.hash
        db.session.get(Incident, incident_id).chain_head = previous
        db.session.commit()


def test_a_rewrite_with_every_hash_recomputed_is_still_caught(app, incident) -> None:
    rewrite_and_rehash(app, incident, 3, {"entry": {"text": "Nobody rolled anything back"}})
    result = verify(app)
    assert result.exit_code == 1
    assert "chain BROKEN at event 3: it is not sealed with this server's chain key" in (
        result.output
    )


def test_winding_the_end_back_is_caught(app, incident) -> None:
    # The last event cut off and the head wound back to the event before, consistently.
    with app.app_context():
        fifth = db.session.scalar(
            select(IncidentEvent.hash).where(
                IncidentEvent.incident_id == incident, IncidentEvent.seq == 5
            )
        )
    tamper(app, delete(IncidentEvent).where(IncidentEvent.seq == 6))
    tamper(app, update(Incident).values(last_seq=5, chain_head=fifth))
    result = verify(app)
    assert result.exit_code == 1
    assert "chain BROKEN at event 5: the log's end is not sealed with this key" in result.output


def test_a_different_key_fails_every_seal(sqlite_url, clock) -> None:
    first = make_app(sqlite_url, CHAIN_KEY="the-servers-key")
    add_user(first, "dana")
    declare(first, "dana", severity="SEV2")
    dispose(first)
    other = make_app(sqlite_url, CHAIN_KEY="someone-elses-key")
    result = verify(other)
    assert result.exit_code == 1 and "chain BROKEN at event 1: it is not sealed" in result.output
    dispose(other)


@pytest.mark.parametrize(
    ("statement", "named"),
    [
        (
            update(TimelineEntry)
            .where(TimelineEntry.kind == "note")
            .values(text="Nobody rolled anything back"),
            "text is 'Nobody rolled anything back' but the log says 'Rolled back deploy 41'",
        ),
        (
            update(TimelineEntry).where(TimelineEntry.kind == "note").values(deleted=True),
            "deleted is True but the log says False",
        ),
        (
            delete(TimelineEntry).where(TimelineEntry.kind == "note"),
            "existence is 'missing' but the log says 'present'",
        ),
        (
            update(RoleAssignment).where(RoleAssignment.role == "technical_lead").values(user_id=1),
            "role technical_lead: holder is 1 but the log says 2",
        ),
        (
            update(ChecklistItem).where(ChecklistItem.position == 1).values(done=True),
            "done is True but the log says False",
        ),
    ],
)
def test_an_edit_to_what_people_read_is_named_though_the_chain_holds(
    app_on_each_database, clock, statement, named
) -> None:
    app = app_on_each_database
    add_user(app, "dana", "Dana Scully")
    add_user(app, "fox", "Fox Mulder")
    incident = seeded(app)
    tamper(app, statement)
    result = verify(app, str(incident))
    assert result.exit_code == 1, result.output
    assert "what people read DIFFERS from the event log" in result.output
    assert named in result.output


def seeded(app) -> int:
    incident = declare(app, "dana", severity="SEV2")
    a, b = join_all(app, incident, "dana", "fox")
    entry = add_entry(a, incident, "Rolled back deploy 42")
    ref = {"incident_id": incident}
    change(
        b,
        "timeline.edit",
        {**ref, "entry_id": entry["id"], "base_version": 1, "text": "Rolled back deploy 41"},
    )
    change(b, "role.claim", {**ref, "role": "technical_lead"})
    return incident


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"actor_id": None}, "its content was changed"),
        ({"type": "timeline.deleted"}, "its content was changed"),
        ({"prev_hash": "f" * 64}, "it does not follow the event before"),
    ],
)
def test_each_field_the_hash_covers_is_checked(app, incident, change, reason) -> None:
    tamper(
        app,
        update(IncidentEvent)
        .where(IncidentEvent.incident_id == incident, IncidentEvent.seq == 4)
        .values(**change),
    )
    assert f"chain BROKEN at event 4: {reason}" in verify(app).output


def test_the_time_of_an_event_is_covered(app, incident) -> None:
    with app.app_context():
        event = db.session.scalar(select(IncidentEvent).where(IncidentEvent.seq == 4))
        event.at = event.at.replace(year=event.at.year - 1)
        db.session.commit()
    assert "chain BROKEN at event 4: its content was changed" in verify(app).output


def test_swapping_two_events_is_caught_at_the_first(app, incident) -> None:
    with app.app_context():
        third, fourth = db.session.scalars(
            select(IncidentEvent).where(IncidentEvent.seq.in_((3, 4))).order_by(IncidentEvent.seq)
        ).all()
        third.seq, fourth.seq = 99, 3
        db.session.flush()
        third.seq = 4
        db.session.commit()
    assert "chain BROKEN at event 3: it does not follow the event before" in verify(app).output
