"""Subscribers: e-mail with double opt-in and one-click unsubscribe through a real local
SMTP server, webhooks through the guarded outbound client to a real local receiver, per
component; a bad address is refused with nothing saved; subscribing is rate-limited per
address and per client."""

from __future__ import annotations

import json
import re

import pytest

from incident_room.extensions import db
from incident_room.models import StatusMaintenance, StatusSubscriber
from incident_room.services.mail.sender import deliver_due_mail
from incident_room.services.status_page.subscriptions import tell_subscribers
from incident_room.services.status_page.webhooks import deliver_status_webhooks
from tests.conftest import add_user, declare, dispose, logged_in_client, make_app
from tests.status_page.helpers import add_component, make_public, post_status_update
from tests.support.receiver import webhook_receiver
from tests.support.web import csrf_from

LINK = re.compile(r"https?://\S+/status/subscriptions/(\S+)/(confirm|unsubscribe)")
UPDATE = "Checkout is failing for some customers; we are on it."


@pytest.fixture
def site(database_url, mailbox):
    app = make_app(
        database_url,
        SMTP_URL=mailbox.url,
        PUBLIC_URL="https://status.example.com",
        OUTBOUND_ALLOW_INTERNAL="127.0.0.1",
    )
    add_user(app, "ada", "Ada Admin", admin=True)
    add_user(app, "dana", "Dana Scully")
    components = {"api": add_component(app, "API"), "checkout": add_component(app, "Checkout")}
    yield app, components
    dispose(app)


def run(app, job) -> int:
    with app.app_context():
        return job()


def body_of(message) -> str:
    return message.get_body(("plain",)).get_content()


def test_an_email_subscription_is_confirmed_then_told_then_unsubscribed_in_one_click(site, mailbox):
    app, components = site
    reader = app.test_client()
    asked = reader.post(
        "/status/subscriptions",
        data={"email": "Reader@Example.com", "components": str(components["api"])},
    )
    assert asked.status_code == 202 and "Check your inbox" in asked.get_data(as_text=True)
    assert "Set-Cookie" not in asked.headers
    run(app, deliver_due_mail)
    [confirmation] = mailbox.wait_for(1)
    assert confirmation["To"] == "reader@example.com"
    token, action = LINK.search(body_of(confirmation)).groups()
    assert action == "confirm"

    incident = declare(app, "dana", title="Checkout errors", severity="SEV1")
    dana = logged_in_client(app, "dana")
    make_public(dana, incident, {components["api"]: "major_outage"})
    post_status_update(dana, incident, UPDATE)
    assert reader.get(f"/status/subscriptions/{token}/confirm").status_code == 200
    run(app, tell_subscribers)
    run(app, deliver_due_mail)
    assert len(mailbox.messages) == 1, "a GET confirms nothing, so nothing is sent yet"

    assert reader.post(f"/status/subscriptions/{token}/confirm").status_code == 200
    post_status_update(dana, incident, "A fix is rolling out.")
    assert run(app, tell_subscribers) == 1  # only the update posted since was untold
    assert run(app, tell_subscribers) == 0  # and it is told once
    run(app, deliver_due_mail)
    [_, told] = mailbox.wait_for(2)
    assert "A fix is rolling out." in body_of(told)
    assert told["Subject"] == "[Status] Checkout errors: Investigating"
    assert told["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    leave = told["List-Unsubscribe"].strip("<>")
    assert leave.startswith("https://status.example.com/status/subscriptions/")

    one_click = reader.post(leave.removeprefix("https://status.example.com"))
    assert one_click.status_code == 200 and "Unsubscribed" in one_click.get_data(as_text=True)
    post_status_update(dana, incident, "Recovered.")
    run(app, tell_subscribers)
    run(app, deliver_due_mail)
    assert len(mailbox.messages) == 2
    assert reader.get(leave.removeprefix("https://status.example.com")).status_code == 404


def test_subscribers_hear_only_about_the_components_they_follow(site, mailbox):
    app, components = site
    client = app.test_client()
    for address, component in (("api@example.com", "api"), ("shop@example.com", "checkout")):
        client.post(
            "/status/subscriptions",
            data={"email": address, "components": str(components[component])},
        )
    run(app, deliver_due_mail)
    for confirmation in mailbox.wait_for(2):
        token, _ = LINK.search(body_of(confirmation)).groups()
        client.post(f"/status/subscriptions/{token}/confirm")
    incident = declare(app, "dana", severity="SEV2")
    dana = logged_in_client(app, "dana")
    make_public(dana, incident, {components["checkout"]: "partial_outage"})
    post_status_update(dana, incident, UPDATE)
    run(app, tell_subscribers)
    run(app, deliver_due_mail)
    told = mailbox.wait_for(4)[2:]  # the update, and Checkout's change of state
    assert [m["To"] for m in told] == ["shop@example.com"] * 2
    assert "[Status] Checkout: Partial outage" in {m["Subject"] for m in told}


def test_a_webhook_subscriber_gets_each_update_through_the_outbound_client(site):
    app, components = site
    with webhook_receiver() as receiver:
        subscribed = app.test_client().post(
            "/status/subscriptions", data={"webhook_url": receiver.url}
        )
        assert subscribed.status_code == 201
        incident = declare(app, "dana", title="Checkout errors", severity="SEV2")
        dana = logged_in_client(app, "dana")
        make_public(dana, incident, {components["api"]: "partial_outage"})
        post_status_update(dana, incident, UPDATE)
        run(app, tell_subscribers)
        assert run(app, deliver_status_webhooks) == 2  # the update, and API's change of state
        bodies = [json.loads(request["body"]) for request in receiver.requests]
    [sent] = [body for body in bodies if "incident" in body]
    assert sent["page"]["status_indicator"] == "major"
    assert sent["incident"]["name"] == "Checkout errors"
    assert [u["body"] for u in sent["incident"]["incident_updates"]] == [UPDATE]


def test_a_bad_address_is_refused_and_nothing_is_saved(site):
    app, _ = site
    client = app.test_client()
    for data in (
        {"email": "not an address"},
        {"webhook_url": "ftp://example.com/x"},
        {"email": "a@example.com", "components": "987654"},
        {},
    ):
        refused = client.post("/status/subscriptions", data=data)
        assert refused.status_code == 400, data
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(StatusSubscriber.id))) == 0


def test_subscribing_is_rate_limited_per_address_and_per_client(site):
    app, _ = site
    client = app.test_client()
    answers = [
        client.post("/status/subscriptions", data={"email": "same@example.com"}).status_code
        for _ in range(4)
    ]
    assert answers == [202, 202, 202, 429]
    others = [
        client.post("/status/subscriptions", data={"email": f"r{n}@example.com"}).status_code
        for n in range(20)
    ]
    assert others.count(429) == 4  # 20 per hour from one client, the refused one counted


def test_a_maintenance_update_reaches_the_subscribers_of_its_components(site, mailbox):
    app, components = site
    client = app.test_client()
    client.post(
        "/status/subscriptions",
        data={"email": "ops@example.com", "components": str(components["api"])},
    )
    run(app, deliver_due_mail)
    token, _ = LINK.search(body_of(mailbox.wait_for(1)[0])).groups()
    client.post(f"/status/subscriptions/{token}/confirm")
    ada = logged_in_client(app, "ada")
    form = csrf_from(ada.get("/settings/status-page").get_data(as_text=True))
    ada.post(
        "/settings/status-page/maintenances",
        data={
            "csrf_token": form,
            "title": "Database upgrade",
            "starts_at": "2030-01-01T03:00",
            "ends_at": "2030-01-01T04:00",
            "components": str(components["api"]),
        },
    )
    with app.app_context():
        maintenance = db.session.scalar(db.select(StatusMaintenance.id))
    ada.post(
        f"/settings/status-page/maintenances/{maintenance}/updates",
        data={"csrf_token": form, "body": "The API may be slow for an hour."},
    )
    assert run(app, tell_subscribers) == 1
    assert run(app, tell_subscribers) == 0
    run(app, deliver_due_mail)
    told = mailbox.wait_for(2)[1]
    assert told["Subject"] == "[Status] Database upgrade: Scheduled"
    assert "The API may be slow for an hour." in body_of(told)
