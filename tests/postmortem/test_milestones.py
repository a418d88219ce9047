"""The post-mortem's schedule kept: milestones due from the all-clear, done by the status or
the owner, one reminder to the owner when each falls due (in the app, the webhooks and
e-mail) across two workers, the meeting's invite, and the page of overdue milestones. On
SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from icalendar import Calendar
from sqlalchemy import select

from incident_room.clock import FrozenClock
from incident_room.extensions import db
from incident_room.models import MailMessage, User, WebhookDelivery, WebhookEndpoint
from incident_room.realtime.postmortem_events import send_milestone_reminders
from incident_room.services.catalog.services import create_service, service_named
from incident_room.services.catalog.teams import create_team
from incident_room.services.declare import Declaration, declare_incident
from incident_room.services.mail.sender import deliver_due_mail
from incident_room.services.postmortem.milestones import remind_due_milestones
from tests.conftest import add_user, declare, dispose, logged_in_client, make_app, socket_client
from tests.socket.helpers import call, change
from tests.support.followup import all_clear
from tests.support.smtp import smtp_server
from tests.support.threads import all_at_once

RESOLVED = "2026-03-14T02:00:00Z"
DUE = {
    "draft": "2026-03-15T02:00:00Z",
    "meeting": "2026-03-17T02:00:00Z",
    "review": "2026-03-18T02:00:00Z",
    "publish": "2026-03-19T02:00:00Z",
    "action_review": "2026-04-13T02:00:00Z",
}


def schedule(client: Any, incident: int) -> dict[str, dict[str, Any]]:
    assert call(client, "join", {"incident_id": incident})["ok"]
    state = call(client, "postmortem.get", {"incident_id": incident})
    return {m["key"]: m for m in state["milestones"]}


def test_each_milestone_is_due_from_the_all_clear_and_done_by_the_status(db_app, clock) -> None:
    incident = declare(db_app, "dana", severity="SEV1")
    all_clear(db_app, incident)
    dana = socket_client(db_app, "dana")
    milestones = schedule(dana, incident)
    assert {key: m["due_at"] for key, m in milestones.items()} == DUE
    assert list(milestones) == list(DUE)
    clock.advance(days=1, minutes=1)
    milestones = schedule(dana, incident)
    assert milestones["draft"]["overdue"] and not milestones["meeting"]["overdue"]
    status = {"incident_id": incident, "status": "in_review"}
    assert change(dana, "postmortem.set_status", status)["ok"]
    milestones = schedule(dana, incident)
    assert milestones["draft"]["done_at"] == "2026-03-15T02:01:00Z"
    assert not milestones["draft"]["overdue"]
    published = {**status, "status": "published", "reason": "Reviewed together in the meeting"}
    assert change(dana, "postmortem.set_status", published)["ok"]
    done = {key for key, m in schedule(dana, incident).items() if m["done_at"]}
    assert done == {"draft", "review", "publish"}


def test_the_owner_marks_the_meeting_held_and_nobody_else_can(db_app, clock) -> None:
    incident = declare(db_app, "dana", severity="SEV1")
    all_clear(db_app, incident)
    dana, fox = socket_client(db_app, "dana"), socket_client(db_app, "fox")
    schedule(fox, incident)
    done = {"incident_id": incident, "milestone": "meeting"}
    assert change(fox, "postmortem.milestone.done", done)["error"]["code"] == "forbidden"
    refused = change(dana, "postmortem.milestone.done", {**done, "milestone": "party"})
    assert (refused["error"]["code"], refused["error"]["field"]) == ("invalid", "milestone")
    assert schedule(dana, incident)["meeting"]["done_at"] is None
    ack = change(dana, "postmortem.milestone.done", done)
    meeting = next(m for m in ack["milestones"] if m["key"] == "meeting")
    assert meeting["done_at"] == RESOLVED


def _seed_endpoint(app: Flask) -> None:
    with app.app_context():
        dana = db.session.scalar(select(User).filter_by(username="dana"))
        dana.email = "dana@example.com"
        db.session.add(
            WebhookEndpoint(
                name="ops", url="https://hooks.example/ops", secret="s" * 64, created_by_id=dana.id
            )
        )
        db.session.commit()


@pytest.fixture
def two_workers(database_url: str, clock: FrozenClock) -> Iterator[tuple[Flask, Flask, Any]]:
    """Two workers on one database, a mail server, and an endpoint for the webhooks."""
    with smtp_server() as mailbox:
        settings = {"SMTP_URL": mailbox.url, "PUBLIC_URL": "https://ir.example"}
        first, second = make_app(database_url, **settings), make_app(database_url, **settings)
        add_user(first, "dana", "Dana Scully")
        add_user(first, "fox", "Fox Mulder")
        _seed_endpoint(first)
        yield first, second, mailbox
        dispose(first)
        dispose(second)


def _remind(app: Flask) -> list[str]:
    with app.app_context():
        return [reminder.milestone["key"] for reminder in remind_due_milestones()]


def _told(app: Flask) -> tuple[list[str], list[str]]:
    with app.app_context():
        mails = db.session.scalars(select(MailMessage).order_by(MailMessage.id))
        hooks = db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id))
        return (
            [mail.subject for mail in mails if mail.purpose == "postmortem_milestone"],
            [h.body["details"]["milestone"] for h in hooks if h.kind == "postmortem_milestone_due"],
        )


def test_the_owner_is_reminded_once_across_two_workers_when_each_is_due(two_workers, clock) -> None:
    first, second, mailbox = two_workers
    incident = declare(first, "dana", severity="SEV1", title="Checkout down")
    all_clear(first, incident)
    clock.advance(hours=23, minutes=59)
    assert all_at_once(lambda: _remind(first), lambda: _remind(second)) == [[], []]
    clock.advance(minutes=1)
    sent = all_at_once(lambda: _remind(first), lambda: _remind(second))
    assert sorted(sent, key=len) == [[], ["draft"]]
    assert _remind(first) == [] and _remind(second) == []
    clock.advance(days=2)
    sent = all_at_once(lambda: _remind(first), lambda: _remind(second))
    assert sorted(sent, key=len) == [[], ["meeting"]]
    mails, hooks = _told(first)
    assert mails == [
        "Due: Draft the timeline and first analysis (INC-1 Checkout down)",
        "Due: Hold the post-mortem meeting (INC-1 Checkout down)",
    ]
    assert hooks == ["draft", "meeting"]
    with second.app_context():
        deliver_due_mail()
    messages = mailbox.wait_for(2)
    assert [m["To"] for m in messages] == ["dana@example.com"] * 2
    body = messages[0].get_body(("plain",)).get_content()
    assert "https://ir.example/incidents/1/postmortem" in body


def test_a_post_mortem_not_held_a_drill_or_a_milestone_done_is_not_reminded(
    two_workers, clock
) -> None:
    first, _, _ = two_workers
    all_clear(first, declare(first, "dana", severity="SEV4"))
    all_clear(first, declare(first, "dana", severity="SEV1", drill=True))
    held = declare(first, "dana", severity="SEV1")
    all_clear(first, held)
    dana = socket_client(first, "dana")
    assert call(dana, "join", {"incident_id": held})["ok"]
    done = {"incident_id": held, "milestone": "draft"}
    assert change(dana, "postmortem.milestone.done", done)["ok"]
    clock.advance(days=1)
    assert _remind(first) == []
    assert _told(first) == ([], [])


def test_the_meeting_invite_downloads_and_is_sent_to_everyone_who_took_part(db_app, clock) -> None:
    incident = declare(db_app, "dana", severity="SEV1", title="Checkout down")
    fox = socket_client(db_app, "fox")
    assert call(fox, "join", {"incident_id": incident})["ok"]
    all_clear(db_app, incident)
    response = logged_in_client(db_app, "fox").get(f"/incidents/{incident}/postmortem/meeting.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    [event] = Calendar.from_ical(response.data).walk("VEVENT")
    assert event.decoded("dtstart").isoformat() == "2026-03-16T02:00:00+00:00"
    assert event.decoded("dtend").isoformat() == "2026-03-16T03:00:00+00:00"
    assert str(event["summary"]) == "Post-mortem meeting: INC-1 Checkout down"
    dana = socket_client(db_app, "dana")
    assert call(dana, "join", {"incident_id": incident})["ok"]
    refused = change(dana, "postmortem.meeting.invite", {"incident_id": incident})
    assert (refused["error"]["code"], refused["error"]["field"]) == ("invalid", "mail")


def test_the_invite_is_mailed_with_its_calendar(sqlite_url, clock) -> None:
    with smtp_server() as mailbox:
        app = make_app(sqlite_url, SMTP_URL=mailbox.url)
        try:
            add_user(app, "dana", "Dana Scully")
            add_user(app, "fox", "Fox Mulder")
            with app.app_context():
                for user in db.session.scalars(select(User)):
                    user.email = f"{user.username}@example.com"
                db.session.commit()
            incident = declare(app, "dana", severity="SEV1", title="Checkout down")
            fox = socket_client(app, "fox")
            assert call(fox, "join", {"incident_id": incident})["ok"]
            all_clear(app, incident)
            dana = socket_client(app, "dana")
            assert call(dana, "join", {"incident_id": incident})["ok"]
            ack = change(dana, "postmortem.meeting.invite", {"incident_id": incident})
            assert sorted(ack["invited"]) == ["Dana Scully", "Fox Mulder"]
            with app.app_context():
                deliver_due_mail()
            messages = mailbox.wait_for(2)
            assert sorted(m["To"] for m in messages) == ["dana@example.com", "fox@example.com"]
            parts = [part.get_content_type() for part in messages[0].walk()]
            assert "text/calendar" in parts
        finally:
            dispose(app)


def test_overdue_milestones_show_on_the_team_page_and_the_incident_list(db_app, clock) -> None:
    incident = declare(db_app, "dana", severity="SEV1", title="Checkout down")
    all_clear(db_app, incident)
    client = logged_in_client(db_app, "fox")
    page = client.get("/postmortems/overdue").get_data(as_text=True)
    assert "Nothing overdue" in page
    listing = client.get("/incidents").get_data(as_text=True)
    assert "Draft the timeline and first analysis, due" in listing
    clock.advance(days=3, minutes=1)
    page = client.get("/postmortems/overdue").get_data(as_text=True)
    assert page.count('class="overdue"') == 2
    assert 'data-milestone="draft"' in page and 'data-milestone="meeting"' in page
    assert "Overdue: Draft the timeline" in client.get("/incidents").get_data(as_text=True)
    bad = client.get("/postmortems/overdue?team=999")
    assert bad.status_code == 400


def test_the_owner_sees_the_reminder_at_once_in_every_tab(db_app, clock) -> None:
    incident = declare(db_app, "dana", severity="SEV1", title="Checkout down")
    all_clear(db_app, incident)
    tabs = [socket_client(db_app, "dana") for _ in range(2)]
    fox = socket_client(db_app, "fox")
    for client in (*tabs, fox):
        client.get_received()
    clock.advance(days=1)
    with db_app.app_context():
        send_milestone_reminders()
    for tab in tabs:
        [notice] = [p["args"][0] for p in tab.get_received() if p["name"] == "milestone_due"]
        assert (notice["reference"], notice["milestone"]["label"]) == (
            "INC-1",
            "Draft the timeline and first analysis",
        )
    assert [p for p in fox.get_received() if p["name"] == "milestone_due"] == []


def test_the_team_page_lists_only_that_teams_overdue_milestones(db_app, clock) -> None:
    with db_app.app_context():
        payments = create_team("Payments")
        create_service("payments-api", payments)
        create_team("Search")
        dana = db.session.scalar(select(User).filter_by(username="dana"))
        service = service_named("payments-api")
        ours = declare_incident(dana, Declaration("Card payments failing", "SEV1", service=service))
        team_ids = (payments.id, payments.id + 1)
        ours_id = ours.id
    theirs = declare(db_app, "dana", severity="SEV1", title="Search index stale")
    for incident in (ours_id, theirs):
        all_clear(db_app, incident)
    clock.advance(days=1, minutes=1)
    client = logged_in_client(db_app, "fox")
    page = client.get(f"/postmortems/overdue?team={team_ids[0]}").get_data(as_text=True)
    assert "Card payments failing" in page and "Search index stale" not in page
    assert page.count('class="overdue"') == 1
    every = client.get("/postmortems/overdue").get_data(as_text=True)
    assert every.count('class="overdue"') == 2
    other = client.get(f"/postmortems/overdue?team={team_ids[1]}").get_data(as_text=True)
    assert "Nothing overdue" in other
