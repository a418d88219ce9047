"""Scheduled maintenance moved by the clock, live: when the clock passes a window's start
and its end, a job announces each once across workers - Statuspage's "in progress" and
"completed" update on the window, the open status pages told, and the subscribers of its
components told once each (a real local SMTP server, a local webhook receiver). On SQLite
and PostgreSQL."""

from __future__ import annotations

import json

from flask import Flask

from incident_room.extensions import db, socketio
from incident_room.models import StatusMaintenance
from incident_room.services.mail.sender import deliver_due_mail
from incident_room.services.status_page.cache import read_key
from incident_room.services.status_page.maintenance import announce_clock_moves
from incident_room.services.status_page.policy import MAINTENANCE_CLOCK_UPDATES
from incident_room.services.status_page.subscriptions import tell_subscribers
from incident_room.services.status_page.webhooks import deliver_status_webhooks
from tests.conftest import logged_in_client
from tests.status_page.helpers import add_component, add_subscriber
from tests.status_page.test_maintenance import schedule
from tests.support.receiver import webhook_receiver
from tests.support.threads import all_at_once

IN_PROGRESS = MAINTENANCE_CLOCK_UPDATES["in_progress"]
COMPLETED = MAINTENANCE_CLOCK_UPDATES["completed"]


def run(app: Flask, job):
    with app.app_context():
        return job()


def on_both(first: Flask, second: Flask, job) -> list[int]:
    """One pass of `job` on each worker at once, how many each did (fewest first)."""
    return sorted(all_at_once(lambda: run(first, job), lambda: run(second, job)))


def plan_upgrade(app: Flask, components: str, starts: str = "03:00", ends: str = "04:00"):
    return schedule(
        logged_in_client(app, "ada"),
        title="Database upgrade",
        starts_at=f"2026-03-14T{starts}",
        ends_at=f"2026-03-14T{ends}",
        components=components,
    )


def body_of(message) -> str:
    return message.get_body(("plain",)).get_content()


def test_a_start_and_an_end_are_told_once_per_subscriber_across_two_workers(
    two_workers, clock, mailbox
):
    first, second = two_workers
    api, checkout = add_component(first, "API"), add_component(first, "Checkout")
    add_subscriber(first, email="ops@example.com", follows=[api])
    add_subscriber(first, email="everything@example.com")
    add_subscriber(first, email="shop@example.com", follows=[checkout])
    with webhook_receiver() as receiver:
        add_subscriber(first, webhook_url=receiver.url, follows=[api])
        assert plan_upgrade(first, str(api)).status_code == 302
        assert on_both(first, second, announce_clock_moves) == [0, 0]

        clock.advance(hours=1)  # 03:00, the start
        assert on_both(first, second, announce_clock_moves) == [0, 1]
        assert on_both(first, second, announce_clock_moves) == [0, 0]
        assert on_both(first, second, tell_subscribers) == [0, 1]
        assert on_both(first, second, tell_subscribers) == [0, 0]
        run(second, deliver_due_mail)
        started = mailbox.wait_for(2)
        assert run(first, deliver_status_webhooks) == 1

        clock.advance(hours=1, minutes=5)  # 04:05, after the end
        assert on_both(first, second, announce_clock_moves) == [0, 1]
        assert on_both(first, second, tell_subscribers) == [0, 1]
        run(first, deliver_due_mail)
        ended = mailbox.wait_for(4)[2:]
        assert run(second, deliver_status_webhooks) == 1
        assert run(first, deliver_status_webhooks) == 0
        hooks = [json.loads(r["body"]) for r in receiver.requests]

    assert len(mailbox.messages) == 4, "one message per subscriber per move, none to shop@"
    with first.app_context():
        maintenance = db.session.scalar(db.select(StatusMaintenance.id))
    for told, words, update in (
        (started, "In progress", IN_PROGRESS),
        (ended, "Completed", COMPLETED),
    ):
        assert sorted(m["To"] for m in told) == ["everything@example.com", "ops@example.com"]
        assert {m["Subject"] for m in told} == {f"[Status] Database upgrade: {words}"}
        link = f"https://status.example.com/status#maintenance-{maintenance}"
        assert [body_of(m).splitlines()[:3] for m in told] == [[update, "", link]] * 2

    assert [h["scheduled_maintenance"]["status"] for h in hooks] == ["in_progress", "completed"]
    [start_update] = hooks[0]["scheduled_maintenance"]["incident_updates"]
    assert start_update == {
        "id": start_update["id"],
        "incident_id": f"maintenance-{maintenance}",
        "status": "in_progress",
        "body": IN_PROGRESS,
        "created_at": "2026-03-14T03:00:00Z",
        "updated_at": "2026-03-14T03:00:00Z",
        "display_at": "2026-03-14T03:00:00Z",
    }
    assert hooks[0]["page"] == {
        "id": "incident-room",
        "status_indicator": "maintenance",
        "status_description": "Service Under Maintenance",
    }
    [end_update] = hooks[1]["scheduled_maintenance"]["incident_updates"]
    assert (end_update["status"], end_update["created_at"]) == ("completed", "2026-03-14T04:00:00Z")

    public = first.test_client().get("/status/api/v2/scheduled-maintenances.json").get_json()
    [window] = public["scheduled_maintenances"]
    assert [u["body"] for u in window["incident_updates"]] == [COMPLETED, IN_PROGRESS]


def test_an_open_status_page_is_told_when_the_clock_passes_the_start(two_workers, clock):
    app, _ = two_workers
    api = add_component(app, "API")
    watcher = socketio.test_client(app, auth={"status_page": True})
    assert watcher.is_connected()
    plan_upgrade(app, str(api))
    watcher.get_received()  # the planning itself was pushed

    clock.advance(minutes=59)
    assert run(app, announce_clock_moves) == 0
    assert watcher.get_received() == []
    clock.advance(minutes=1)  # 03:00
    assert run(app, announce_clock_moves) == 1
    [pushed] = watcher.get_received()
    assert pushed["name"] == "status_page.changed"
    assert pushed["args"] == [{"version": run(app, read_key)}]
    page = app.test_client().get(f"/status?v={pushed['args'][0]['version']}")
    assert "In progress:" in page.get_data(as_text=True)
    assert IN_PROGRESS in page.get_data(as_text=True)
    assert run(app, announce_clock_moves) == 0
    assert watcher.get_received() == []
    watcher.disconnect()


def test_a_window_planned_already_under_way_is_not_announced_as_starting(two_workers, clock):
    app, _ = two_workers
    api = add_component(app, "API")
    add_subscriber(app, email="ops@example.com", follows=[api])
    assert plan_upgrade(app, str(api), starts="01:00", ends="05:00").status_code == 302
    assert run(app, announce_clock_moves) == 0
    assert run(app, tell_subscribers) == 0
    clock.advance(hours=3)  # 05:00: its end is still announced
    assert run(app, announce_clock_moves) == 1
    assert run(app, tell_subscribers) == 1
