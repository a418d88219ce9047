"""Outbound webhooks to a real local HTTP server: signed, retried, recorded, never in the way."""

import hashlib
import hmac
import json

import pytest

from incident_room.errors import DomainError
from incident_room.extensions import db
from incident_room.models import User, WebhookDelivery, WebhookEndpoint
from incident_room.services.accounts import create_user
from incident_room.services.webhook_sender import deliver_due
from incident_room.services.webhooks import create_endpoint
from tests.conftest import PASSWORD, add_user, declare, dispose, logged_in_client, make_app
from tests.socket.helpers import alone, change, join_all
from tests.support.live import LiveServer, RealClient, wait_until
from tests.support.receiver import webhook_receiver
from tests.support.web import csrf_from

# The local receivers listen on loopback: these apps opt in to it, as an operator with an
# internal receiver would (tests/http/test_outbound.py shows the refusal without it).
RECEIVERS_ALLOWED = {"OUTBOUND_ALLOW_INTERNAL": "127.0.0.1"}


@pytest.fixture
def app(sqlite_url):
    application = make_app(sqlite_url, **RECEIVERS_ALLOWED)
    yield application
    dispose(application)


@pytest.fixture
def receiver():
    with webhook_receiver() as running:
        yield running


def add_endpoint(app, url, severities=(), body_format="json") -> str:
    """As an admin (endpoints are instance-wide settings)."""
    with app.app_context():
        admin = db.session.scalar(db.select(User).filter_by(username="ada"))
        admin = admin or create_user("ada", PASSWORD, "Ada Admin", admin=True)
        return create_endpoint(admin, "Status channel", url, list(severities), body_format)[1]


def send(app) -> int:
    with app.app_context():
        return deliver_due()


def deliveries(app) -> list[tuple[str, str, int]]:
    with app.app_context():
        rows = db.session.scalars(db.select(WebhookDelivery).order_by(WebhookDelivery.id))
        return [(d.kind, d.status, d.attempts) for d in rows]


def test_room_changes_are_sent_signed(app, clock, dana, receiver) -> None:
    secret = add_endpoint(app, receiver.url)
    incident = declare(app, "dana", severity="SEV2")
    [a] = join_all(app, incident, "dana")
    change(a, "incident.update", {"incident_id": incident, "severity": "SEV1"})
    change(a, "incident.update", {"incident_id": incident, "status": "investigating"})
    update = {"incident_id": incident, "kind": "update", "text": "Rolling back deploy 42"}
    change(a, "timeline.add", update)
    change(a, "incident.all_clear", alone(incident))
    assert send(app) == 5
    bodies = [json.loads(r["body"]) for r in receiver.requests]
    assert [b["event"] for b in bodies] == [
        "declared",
        "severity_changed",
        "status_changed",
        "update_posted",
        "all_clear",
    ]
    assert bodies[1]["details"] == {"from": "SEV2", "to": "SEV1"}
    assert bodies[3]["details"]["text"] == "Rolling back deploy 42"
    assert bodies[0]["incident"]["reference"] == "INC-1"
    for request in receiver.requests:
        timestamp = request["headers"]["X-Incident-Room-Timestamp"]
        expected = hmac.new(
            secret.encode(), timestamp.encode() + b"." + request["body"], hashlib.sha256
        ).hexdigest()
        assert request["headers"]["X-Incident-Room-Signature"] == f"sha256={expected}"
    assert {status for _, status, _ in deliveries(app)} == {"delivered"}


def test_a_failed_delivery_is_retried_with_backoff_and_recorded(app, clock, dana, receiver):
    add_endpoint(app, receiver.url)
    receiver.statuses = [500]
    declare(app, "dana", severity="SEV2")
    assert send(app) == 1
    assert deliveries(app) == [("declared", "pending", 1)]
    with app.app_context():
        assert db.session.scalar(db.select(WebhookDelivery)).last_error.startswith("HTTP 500")
    assert send(app) == 0, "not before the backoff has passed"
    clock.advance(seconds=10)
    assert send(app) == 1
    assert deliveries(app) == [("declared", "delivered", 2)]
    assert len(receiver.requests) == 2


def test_an_unreachable_endpoint_fails_for_good_after_the_last_retry(app, clock, dana) -> None:
    add_endpoint(app, "http://127.0.0.1:9/nowhere")
    declare(app, "dana", severity="SEV3")
    for _ in range(6):
        send(app)
        clock.advance(hours=1)
    assert deliveries(app) == [("declared", "failed", 6)]
    with app.app_context():
        assert "unreachable" in db.session.scalar(db.select(WebhookDelivery)).last_error


def test_severity_filter_slack_body_and_private_incidents(app, clock, dana, receiver) -> None:
    add_endpoint(app, receiver.url, severities=["SEV1"], body_format="slack")
    declare(app, "dana", title="Minor glitch", severity="SEV3")
    declare(app, "dana", title="Breach", severity="SEV1", private=True)
    declare(app, "dana", title="Checkout down", severity="SEV1")
    send(app)
    [request] = receiver.requests
    text = json.loads(request["body"])["text"]
    assert text.startswith("[INC-3 SEV1 declared] Checkout down: declared.")


def test_only_admins_see_add_or_remove_webhooks(app, dana, ada, receiver) -> None:
    add_endpoint(app, receiver.url)
    client = logged_in_client(app, "dana")
    assert client.get("/settings/webhooks").status_code == 403
    assert "Webhooks" not in client.get("/incidents").get_data(as_text=True)
    token = csrf_from(client.get("/incidents").get_data(as_text=True))
    form = {"csrf_token": token, "name": "Mine", "url": "https://hooks.example/x"}
    assert client.post("/settings/webhooks", data=form).status_code == 403
    with app.app_context():
        [endpoint] = db.session.scalars(db.select(WebhookEndpoint))
        endpoint_id = endpoint.id
    deleted = client.post(f"/settings/webhooks/{endpoint_id}/delete", data={"csrf_token": token})
    assert deleted.status_code == 403
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(WebhookEndpoint)) == 1
        dana_user = db.session.scalar(db.select(User).filter_by(username="dana"))
        with pytest.raises(DomainError) as refused:
            create_endpoint(dana_user, "Mine", "https://hooks.example/x", [], "json")
        assert refused.value.code == "forbidden"


def test_the_settings_page_shows_the_secret_once(app, ada) -> None:
    client = logged_in_client(app, "ada")
    token = csrf_from(client.get("/settings/webhooks").get_data(as_text=True))
    form = {"csrf_token": token, "name": "Pager", "url": "https://hooks.example/x"}
    created = client.post("/settings/webhooks", data=form)
    assert created.status_code == 201
    page = created.get_data(as_text=True)
    secret = page.split("<code data-secret>")[1].split("</code>")[0]
    assert len(secret) == 64
    assert secret not in client.get("/settings/webhooks").get_data(as_text=True)
    bad = client.post("/settings/webhooks", data={**form, "url": "javascript:alert(1)"})
    assert bad.status_code == 400 and "http:// or https://" in bad.get_data(as_text=True)
    ntfy = {**form, "url": "https://ntfy.example/oncall", "body_format": "ntfy"}
    assert client.post("/settings/webhooks", data=ntfy).status_code == 201
    assert "<td>ntfy</td>" in client.get("/settings/webhooks").get_data(as_text=True)
    unknown = client.post("/settings/webhooks", data={**form, "body_format": "xml"})
    assert unknown.status_code == 400 and "json, slack or ntfy" in unknown.get_data(as_text=True)


def test_a_slow_receiver_does_not_slow_the_room(sqlite_url, receiver) -> None:
    """The sender runs beside the room: entries are acked while the receiver dawdles."""
    app = make_app(sqlite_url, **RECEIVERS_ALLOWED)
    for name in ("dana", "fox"):
        add_user(app, name, name.capitalize())
    add_endpoint(app, receiver.url)
    incident = declare(app, "dana", severity="SEV2")
    dispose(app)
    receiver.delay = 20.0
    server = LiveServer(
        sqlite_url, env={"WEBHOOK_JOB_INTERVAL_SECONDS": "0.1", **RECEIVERS_ALLOWED}
    ).start()
    client = RealClient(server.url, "fox").connect()
    client.call("join", {"incident_id": incident})
    wait_until(lambda: receiver.arrivals >= 1, message="the sender is waiting on the receiver")
    for n in range(5):
        ack = client.change(
            "timeline.add", {"incident_id": incident, "kind": "note", "text": f"note {n}"}
        )
        assert ack["ok"]
    # Every entry was acked while the receiver still sat on the first webhook.
    assert receiver.requests == []
    client.disconnect()
    server.stop()
