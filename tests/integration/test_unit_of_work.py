"""A change is all or nothing: what it recorded before failing is never written, not even by
the next change that commits in the same session."""

import pytest
from sqlalchemy import func, select

from incident_room.errors import DomainError
from incident_room.extensions import db
from incident_room.models import Incident, IncidentEvent, TimelineEntry, TimelineRevision, User
from incident_room.services.timeline import NewEntry, add_entry
from incident_room.unit_of_work import run_change
from incident_room.unit_of_work.chain import verify_chain
from tests.conftest import add_user, declare

OP_ID = "3f0c8a53-7a51-4c43-8a0e-1e1f5a6b0c11"


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_change_that_fails_after_writing_leaves_nothing_and_the_next_one_commits_whole(
    app_on_each_database,
) -> None:
    app = app_on_each_database
    add_user(app, "dana")
    incident_id = declare(app, "dana")
    with app.app_context():
        dana = db.session.scalar(select(User).filter_by(username="dana"))
        before = (_count(IncidentEvent), _count(TimelineEntry), _count(TimelineRevision))

        def write_then_fail(incident):
            add_entry(incident, dana, NewEntry(kind="note", text="half a change"))
            raise DomainError("conflict", "Something changed meanwhile.")

        with pytest.raises(DomainError):
            run_change(incident_id, dana, write_then_fail, op_id=OP_ID)
        assert (_count(IncidentEvent), _count(TimelineEntry), _count(TimelineRevision)) == before

        # The failed op_id was not recorded as applied: its retry is applied, not replayed.
        ack = run_change(
            incident_id,
            dana,
            lambda incident: add_entry(incident, dana, NewEntry(kind="note", text="whole")),
            op_id=OP_ID,
        )
        texts = db.session.scalars(select(TimelineEntry.text)).all()
        assert "half a change" not in texts and "whole" in texts
        assert _count(TimelineRevision) == before[2] + 1
        seqs = db.session.scalars(
            select(IncidentEvent.seq).where(IncidentEvent.incident_id == incident_id)
        ).all()
        assert sorted(seqs) == list(range(1, ack["seq"] + 1))
        assert verify_chain(db.session.get(Incident, incident_id)).intact
