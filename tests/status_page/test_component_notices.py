"""A component's change of state alone tells the subscribers who follow it - an admin
setting it by hand, a public incident setting it and setting it back - once across
workers, through the subscribers' job: e-mail through a real local SMTP server, and
Statuspage's component_update webhook to a local receiver (exact payloads). A state that
is not one is refused and changes nothing. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
import uuid
from typing import Any

from flask import Flask

from incident_room.extensions import db
from incident_room.models import StatusComponent, StatusNotice, StatusStateChange
from incident_room.services.mail.sender import deliver_due_mail
from incident_room.services.status_page.subscriptions import tell_subscribers
from incident_room.services.status_page.webhooks import deliver_status_webhooks
from tests.conftest import declare, logged_in_client
from tests.insights.conftest import resolve
from tests.status_page.helpers import add_component, add_subscriber, form_token, make_public
from tests.status_page.test_maintenance_clock import body_of, on_both, run
from tests.support.receiver import Receiver, webhook_receiver
from tests.support.web import csrf_from


def set_state(client, component: int, state: str):
    token = csrf_from(client.get("/settings/status-page").get_data(as_text=True))
    return client.post(
        f"/settings/status-page/{component}/state", data={"csrf_token": token, "state": state}
    )


def change_ids(app: Flask) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(db.select(StatusStateChange.id).order_by("id")))


def told(first: Flask, second: Flask, receiver: Receiver) -> dict[str, Any]:
    """Both workers tell at once (one of them does), then send; the one webhook sent."""
    assert on_both(first, second, tell_subscribers) == [0, 1]
    assert on_both(first, second, tell_subscribers) == [0, 0]
    run(second, deliver_due_mail)
    assert run(first, deliver_status_webhooks) == 1
    return json.loads(receiver.requests[-1]["body"])


def webhook(change: int, api: int, old: str, new: str, at: str, page: tuple[str, str]):
    """Statuspage's component_update webhook, as this change of API should send it."""
    return {
        "page": {"id": "incident-room", "status_indicator": page[0], "status_description": page[1]},
        "component_update": {
            "created_at": at,
            "new_status": new,
            "old_status": old,
            "id": f"component-update-{change}",
            "component_id": str(api),
        },
        "component": {
            "id": str(api),
            "name": "API",
            "status": new,
            "created_at": "2026-03-14T02:00:00Z",
            "updated_at": at,
            "position": 0,
            "description": None,
            "showcase": True,
            "start_date": "2026-03-14",
            "group_id": None,
            "page_id": "incident-room",
            "group": False,
            "only_show_if_degraded": False,
        },
    }


def test_an_admins_and_an_incidents_changes_tell_the_components_subscribers_once(
    two_workers, clock, mailbox
):
    first, second = two_workers
    api, checkout = add_component(first, "API"), add_component(first, "Checkout")
    add_subscriber(first, email="ops@example.com", follows=[api])
    add_subscriber(first, email="shop@example.com", follows=[checkout])
    ada, dana = logged_in_client(first, "ada"), logged_in_client(first, "dana")
    with webhook_receiver() as receiver:
        add_subscriber(first, webhook_url=receiver.url, follows=[api])

        assert set_state(ada, api, "degraded_performance").status_code == 302
        [by_hand] = change_ids(first)
        assert told(first, second, receiver) == webhook(
            by_hand,
            api,
            "operational",
            "degraded_performance",
            "2026-03-14T02:00:00Z",
            ("minor", "Minor Service Outage"),
        )
        assert set_state(ada, api, "degraded_performance").status_code == 302
        assert run(first, tell_subscribers) == 0, "no change, nothing to tell"

        clock.advance(minutes=10)
        incident = declare(first, "dana", title="Checkout errors", severity="SEV1")
        assert make_public(dana, incident, {api: "major_outage"}).status_code == 302
        [_, by_incident] = change_ids(first)
        assert told(first, second, receiver) == webhook(
            by_incident,
            api,
            "degraded_performance",
            "major_outage",
            "2026-03-14T02:10:00Z",
            ("critical", "Major System Outage"),
        )

        clock.advance(minutes=50)
        with first.app_context():
            resolve(incident, "dana")
        set_back = dana.post(
            f"/incidents/{incident}/status-page/restore",
            data={"csrf_token": form_token(dana, incident), "op_id": str(uuid.uuid4())},
        )
        assert set_back.status_code == 302
        [*_, restored] = change_ids(first)
        # Set back to what the admin chose by hand, not to operational.
        assert told(first, second, receiver) == webhook(
            restored,
            api,
            "major_outage",
            "degraded_performance",
            "2026-03-14T03:00:00Z",
            ("minor", "Minor Service Outage"),
        )
        assert len(receiver.requests) == 3

    mails = mailbox.wait_for(3)
    assert len(mailbox.messages) == 3
    assert [m["To"] for m in mails] == ["ops@example.com"] * 3
    assert [m["Subject"] for m in mails] == [
        "[Status] API: Degraded performance",
        "[Status] API: Major outage",
        "[Status] API: Degraded performance",
    ]
    link = f"https://status.example.com/status#component-{api}"
    assert [body_of(m).splitlines()[:3] for m in mails] == [
        ["API changed from Operational to Degraded performance.", "", link],
        ["API changed from Degraded performance to Major outage.", "", link],
        ["API changed from Major outage to Degraded performance.", "", link],
    ]
    assert all(m["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click" for m in mails)


def test_a_state_that_is_not_one_is_refused_and_changes_nothing(two_workers):
    app, _ = two_workers
    api = add_component(app, "API")
    add_subscriber(app, email="ops@example.com")
    ada = logged_in_client(app, "ada")
    refused = set_state(ada, api, "on_fire")
    assert refused.status_code == 400
    assert "A component is one of" in refused.get_data(as_text=True)
    assert set_state(ada, 987654, "major_outage").status_code == 404
    assert set_state(logged_in_client(app, "dana"), api, "major_outage").status_code == 403
    with app.app_context():
        component = db.session.get(StatusComponent, api)
        assert (component.state, component.manual_state) == ("operational", "operational")
        assert db.session.scalar(db.select(db.func.count(StatusStateChange.id))) == 0
    assert run(app, tell_subscribers) == 0
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(StatusNotice.entry_id))) == 0
