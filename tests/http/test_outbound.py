"""Outbound requests (webhooks today) reach public addresses only, unless an operator lists
an internal network: no server-side request forgery into loopback, the private network or
the cloud's metadata service, however the address is spelled, redirected or re-resolved."""

import socket

import pytest

from incident_room.errors import DomainError
from incident_room.extensions import db
from incident_room.models import User, WebhookDelivery, WebhookEndpoint
from incident_room.services import outbound
from incident_room.services.webhook_sender import deliver_due
from incident_room.services.webhooks import create_endpoint
from tests.conftest import add_user, declare, dispose, logged_in_client, make_app
from tests.support.receiver import webhook_receiver
from tests.support.web import csrf_from

INTERNAL_URLS = [
    "http://127.0.0.1:5000/hook",
    "http://localhost/hook",
    "http://2130706433/hook",  # 127.0.0.1 as one number
    "http://0x7f.1/hook",
    "http://0.0.0.0:8080/",
    "http://169.254.169.254/latest/meta-data/",  # cloud metadata
    "http://10.1.2.3/hook",
    "http://172.16.0.1/hook",
    "http://192.168.1.1/hook",
    "http://100.64.0.1/hook",  # carrier-grade NAT
    "http://224.0.0.1/hook",  # multicast
    "http://[::1]/hook",
    "http://[::ffff:127.0.0.1]/hook",  # IPv4-mapped loopback
    "http://[64:ff9b::a01:203]/hook",  # NAT64 for 10.1.2.3
    "http://[fe80::1]/hook",
    "http://[fd00::1]/hook",
]


@pytest.fixture
def receiver():
    with webhook_receiver() as running:
        yield running


def owner(app) -> User:
    """The admin who adds endpoints (an instance-wide setting)."""
    return db.session.scalar(db.select(User).filter_by(username="ada"))


def store_endpoint(app, url: str) -> None:
    """An endpoint row as an earlier, unguarded version (or another worker's settings) may
    have left it: the send-time check must hold on its own."""
    with app.app_context():
        db.session.add(
            WebhookEndpoint(
                name="Old",
                url=url,
                severities=[],
                body_format="json",
                secret="s" * 64,
                created_by_id=owner(app).id,
            )
        )
        db.session.commit()


def last_delivery(app) -> WebhookDelivery:
    with app.app_context():
        delivery = db.session.scalar(db.select(WebhookDelivery).order_by(WebhookDelivery.id))
        db.session.expunge(delivery)
        return delivery


def send(app) -> int:
    with app.app_context():
        return deliver_due()


@pytest.mark.parametrize("url", INTERNAL_URLS)
def test_an_internal_address_is_refused_when_the_webhook_is_added(app, ada, url) -> None:
    client = logged_in_client(app, "ada")
    token = csrf_from(client.get("/settings/webhooks").get_data(as_text=True))
    answer = client.post(
        "/settings/webhooks", data={"csrf_token": token, "name": "Scan", "url": url}
    )
    assert answer.status_code == 400
    assert "internal" in answer.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(WebhookEndpoint.id))) == 0


@pytest.mark.parametrize("url", INTERNAL_URLS)
def test_an_internal_address_is_refused_at_send_time(app, clock, ada, dana, url) -> None:
    store_endpoint(app, url)
    declare(app, "dana", severity="SEV2")
    assert send(app) == 1
    delivery = last_delivery(app)
    assert delivery.last_error == outbound.client.BLOCKED
    assert delivery.response_status is None and delivery.status == "pending"


def test_the_local_receiver_is_refused_without_the_allow_list(app, clock, ada, dana, receiver):
    """The same receiver the webhook tests use, on 127.0.0.1: refused by default."""
    store_endpoint(app, receiver.url)
    declare(app, "dana", severity="SEV2")
    send(app)
    assert receiver.requests == []
    assert last_delivery(app).last_error == "blocked: not a public address"
    page = logged_in_client(app, "ada").get("/settings/webhooks").get_data(as_text=True)
    assert "blocked: not a public address" in page
    assert logged_in_client(app, "dana").get("/settings/webhooks").status_code == 403


def test_an_operator_allows_an_internal_network(sqlite_url, clock, receiver) -> None:
    app = make_app(sqlite_url, OUTBOUND_ALLOW_INTERNAL="10.0.0.0/8, 127.0.0.1")
    try:
        add_user(app, "dana")
        add_user(app, "ada", admin=True)
        with app.app_context():
            create_endpoint(owner(app), "Internal", receiver.url, [], "json")
            with pytest.raises(DomainError, match="internal"):
                create_endpoint(owner(app), "Other", "http://192.168.1.1/", [], "json")
        declare(app, "dana", severity="SEV2")
        assert send(app) == 1
        assert len(receiver.requests) == 1
        assert last_delivery(app).status == "delivered"
    finally:
        dispose(app)


def test_a_bad_allow_list_stops_the_app_with_the_setting_named(sqlite_url) -> None:
    with pytest.raises(ValueError, match="OUTBOUND_ALLOW_INTERNAL"):
        make_app(sqlite_url, OUTBOUND_ALLOW_INTERNAL="10.0.0.0/33")


@pytest.fixture
def allowed_app(sqlite_url):
    application = make_app(sqlite_url, OUTBOUND_ALLOW_INTERNAL="127.0.0.1")
    add_user(application, "dana")
    add_user(application, "ada", admin=True)
    yield application
    dispose(application)


def test_redirects_are_not_followed(allowed_app, clock) -> None:
    app = allowed_app
    with webhook_receiver() as first, webhook_receiver() as second:
        first.statuses, first.location = [307], second.url
        with app.app_context():
            create_endpoint(owner(app), "Hop", first.url, [], "json")
        declare(app, "dana", severity="SEV2")
        send(app)
        assert len(first.requests) == 1 and second.requests == []
    delivery = last_delivery(app)
    assert (delivery.response_status, delivery.last_error) == (307, "redirect not followed")


def test_the_address_checked_is_the_address_connected_to(allowed_app, receiver, monkeypatch):
    """DNS rebinding: a name answering an allowed address, then an internal one. The
    client resolves once per request and connects to what it checked; the next request
    sees the new answer and is refused before any connection."""
    port = int(receiver.url.rsplit(":", 1)[1].split("/")[0])
    answers = ["127.0.0.1", "10.9.9.9"]
    asked: list[str] = []
    real_getaddrinfo = socket.getaddrinfo

    def rebinding_resolver(host, *args, **kwargs):
        if host != "hooks.rebind.test":
            return real_getaddrinfo(host, *args, **kwargs)
        asked.append(host)
        address = answers.pop(0)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding_resolver)
    url = f"http://hooks.rebind.test:{port}/hook"
    with allowed_app.app_context():
        first = outbound.post(url, b"{}", outbound.JSON_HEADERS, timeout=5)
        assert first.ok and len(asked) == 1
        assert receiver.requests[0]["headers"]["Host"] == f"hooks.rebind.test:{port}"
        second = outbound.post(url, b"{}", outbound.JSON_HEADERS, timeout=5)
    assert (second.status, second.error) == (None, "blocked: not a public address")
    assert len(receiver.requests) == 1


def test_failures_are_told_in_coarse_words(allowed_app, receiver) -> None:
    receiver.statuses = [500]
    with allowed_app.app_context():
        server_error = outbound.post(receiver.url, b"{}", {}, timeout=5)
        closed_port = outbound.post("http://127.0.0.1:9/", b"{}", {}, timeout=5)
        not_http = outbound.post("gopher://127.0.0.1/", b"{}", {}, timeout=5)
    assert (server_error.status, server_error.error) == (500, "HTTP 500")
    assert (closed_port.status, closed_port.error) == (None, "unreachable")
    assert not_http.error == "invalid URL"
