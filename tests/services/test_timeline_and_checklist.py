"""Services called directly through the unit of work, as the CLI, jobs and integrations do:
concurrent edits merge or conflict, and one incident's rows are not reachable from another."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from incident_room.errors import DomainError
from incident_room.extensions import db
from incident_room.models import ChecklistItem, TimelineEntry, User
from incident_room.services.checklist import toggle_item
from incident_room.services.evidence import find_evidence
from incident_room.services.timeline import EntryEdit, NewEntry, add_entry, edit_entry
from incident_room.unit_of_work import run_change
from tests.conftest import declare


def user(username: str) -> User:
    return db.session.scalar(select(User).filter_by(username=username))


def change(incident_id: int, username: str, action):
    return run_change(
        incident_id, user(username), lambda incident: action(incident, user(username))
    )


def test_two_edits_from_one_version_merge_when_apart_and_conflict_when_not(app, dana, fox):
    incident_id = declare(app, "dana")
    with app.app_context():
        text = "db latency up on the primary since deploy"
        entry = change(incident_id, "dana", lambda i, u: add_entry(i, u, NewEntry("note", text)))
        entry_id = entry["entry"]["id"]

        def edit(new_text: str):
            return lambda i, u: edit_entry(i, u, EntryEdit(entry_id, 1, {"text": new_text}))

        change(incident_id, "dana", edit("DB latency up on the primary since deploy"))
        merged = change(incident_id, "fox", edit("db latency up on the primary since deploy 42"))
        assert merged["merged"] is True
        assert merged["entry"]["text"] == "DB latency up on the primary since deploy 42"
        with pytest.raises(DomainError) as refused:
            change(incident_id, "fox", edit("cache latency up on the primary since deploy"))
        assert refused.value.code == "conflict"
        assert refused.value.details["current"]["version"] == 3
        stored = db.session.get(TimelineEntry, entry_id)
        assert (stored.version, stored.text) == (3, "DB latency up on the primary since deploy 42")


def test_rows_of_another_incident_are_not_found(app, dana) -> None:
    mine, other = declare(app, "dana"), declare(app, "dana", title="Other")
    with app.app_context():
        theirs = change(other, "dana", lambda i, u: add_entry(i, u, NewEntry("note", "theirs")))
        item = db.session.scalar(select(ChecklistItem).where(ChecklistItem.incident_id == other))
        item_id, entry_id = item.id, theirs["entry"]["id"]
        for action in (
            lambda i, u: edit_entry(i, u, EntryEdit(entry_id, 1, {"text": "mine now"})),
            lambda i, u: toggle_item(i, u, item_id, True),
            lambda i, _u: find_evidence(i, entry_id),
        ):
            with pytest.raises(DomainError) as refused:
                change(mine, "dana", action)
            assert refused.value.code == "not_found"
        assert db.session.get(TimelineEntry, entry_id).text == "theirs"
        assert db.session.get(ChecklistItem, item_id).done is False
