"""The unit of work, called directly as a service would: events leave only after the commit,
each app publishes to its own listeners on its own clock, and the rules of who commits hold."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from incident_room.clock import FrozenClock, now, set_clock
from incident_room.errors import DomainError
from incident_room.extensions import db
from incident_room.models import AppliedOperation, Incident, IncidentEvent, TimelineEntry, User
from incident_room.services.accounts import create_user
from incident_room.services.declare import Declaration, declare_incident
from incident_room.services.timeline import NewEntry, add_entry
from incident_room.unit_of_work import EventType, record_event, run_change
from incident_room.unit_of_work.publish import add_publisher
from tests.conftest import add_user, declare, dispose, make_app

OP_ID = "6b7c1a2e-0d5e-4f6a-9b1c-2d3e4f5a6b7c"


def user(username: str) -> User:
    return db.session.scalar(select(User).filter_by(username=username))


def note(actor: User, text: str):
    return lambda incident: add_entry(incident, actor, NewEntry(kind="note", text=text))


@pytest.fixture
def published(app) -> list[tuple[int, list[dict]]]:
    """What this app's publishers were handed, and whether the change was committed then."""
    seen: list[tuple[int, list[dict]]] = []

    def listener(incident_id: int, events: list[dict]) -> None:
        committed = db.session.scalar(
            select(func.count())
            .select_from(IncidentEvent)
            .where(IncidentEvent.seq == events[-1]["seq"], IncidentEvent.incident_id == incident_id)
        )
        assert committed == 1, "published before the commit"
        seen.append((incident_id, events))

    add_publisher(app, listener)
    return seen


def test_a_change_is_published_once_committed_with_the_next_seq(app, dana, published) -> None:
    incident_id = declare(app, "dana")
    assert [events[0]["type"] for _, events in published] == [EventType.INCIDENT_DECLARED]
    with app.app_context():
        ack = run_change(incident_id, user("dana"), note(user("dana"), "db latency up"))
    assert ack["ok"] and ack["seq"] == 2 and ack["entry"]["text"] == "db latency up"
    incident, [event] = published[-1]
    assert incident == incident_id and event["seq"] == 2 and event["type"] == "timeline.added"


def test_a_failed_change_publishes_nothing(app, dana, published) -> None:
    incident_id = declare(app, "dana")
    published.clear()

    def half(incident):
        note(user("dana"), "half")(incident)
        raise DomainError("conflict", "changed meanwhile")

    with app.app_context(), pytest.raises(DomainError):
        run_change(incident_id, user("dana"), half)
    assert published == []


def test_a_repeated_op_id_returns_the_first_ack_and_applies_once(app, dana, fox) -> None:
    incident_id = declare(app, "dana")
    with app.app_context():
        first = run_change(incident_id, user("dana"), note(user("dana"), "once"), op_id=OP_ID)
        again = run_change(incident_id, user("dana"), note(user("dana"), "twice"), op_id=OP_ID)
        assert again == first
        texts = db.session.scalars(select(TimelineEntry.text)).all()
        assert texts.count("once") == 1 and "twice" not in texts
        with pytest.raises(DomainError) as refused:
            run_change(incident_id, user("fox"), note(user("fox"), "mine"), op_id=OP_ID)
        assert refused.value.details == {"field": "op_id"}
        assert db.session.scalar(select(func.count()).select_from(AppliedOperation)) == 1


def test_events_are_recorded_only_inside_a_change(app, dana) -> None:
    incident_id = declare(app, "dana")
    with app.app_context():
        incident = db.session.get(Incident, incident_id)
        with pytest.raises(RuntimeError, match="inside run_change"):
            record_event(incident, EventType.TIMELINE_ADDED, None, {})
        db.session.rollback()
        assert db.session.get(Incident, incident_id).last_seq == 1


def test_a_function_that_commits_itself_is_refused_inside_a_change(app, dana) -> None:
    incident_id = declare(app, "dana")
    with app.app_context(), pytest.raises(RuntimeError, match="commits by itself"):
        run_change(incident_id, user("dana"), lambda _: create_user("eve", "long-password"))
    with app.app_context():
        assert user("eve") is None


def test_a_private_incident_is_missing_to_others_in_the_unit_of_work(app, dana, fox) -> None:
    incident_id = declare(app, "dana", private=True)
    with app.app_context(), pytest.raises(DomainError) as refused:
        run_change(incident_id, user("fox"), note(user("fox"), "peek"))
    assert refused.value.code == "not_found"


def test_each_app_has_its_own_publishers_and_clock(sqlite_url, tmp_path) -> None:
    one, other = make_app(sqlite_url), make_app(f"sqlite:///{tmp_path / 'other.db'}")
    heard: dict[str, list[int]] = {"one": [], "other": []}
    add_publisher(one, lambda incident_id, _events: heard["one"].append(incident_id))
    set_clock(one, FrozenClock(datetime(2030, 1, 1, tzinfo=UTC)))
    for app in (one, other):
        add_user(app, "dana")
    declared = declare(one, "dana")
    declare(other, "dana")
    assert heard == {"one": [declared], "other": []}
    with one.app_context():
        assert now() == datetime(2030, 1, 1, tzinfo=UTC)
    with other.app_context():
        assert now().year != 2030
        dana = user("dana")
        incident = declare_incident(dana, Declaration(title="Second"))
        assert incident.declared_at.year != 2030
    dispose(one)
    dispose(other)
