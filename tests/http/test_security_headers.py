"""Every page and download carries the security headers, and no page needs inline script
or style to work, so the Content-Security-Policy can forbid both.

The pages are not listed by hand: every GET rule of the app's URL map is fetched, with the
ids of a seeded incident (an entry, its evidence, an observer link), so a page added later
is checked without anyone remembering to.
"""

import hashlib
from html.parser import HTMLParser

import pytest
from flask import url_for

from incident_room.extensions import db
from incident_room.models import Page, PageNotice, TimelineEntry, User
from incident_room.services.catalog.services import create_service
from incident_room.services.catalog.teams import create_team
from incident_room.services.chat.identities import ChatUser, link_token
from incident_room.services.oncall.feed import new_feed_secret
from incident_room.services.oncall.schedules import create_schedule, link_service
from tests.conftest import PASSWORD, add_user, declare, dispose, logged_in_client, make_app
from tests.status_page.helpers import show_on_status_page
from tests.support.evidence import attach, image_bytes
from tests.support.observers import make_link
from tests.support.runbooks import save_good_runbook
from tests.support.web import csrf_from, login


class InlineCode(HTMLParser):
    """Collects what a strict policy would block: inline scripts, style attributes,
    `<style>` elements and on* event handler attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "script" and "src" not in names and names.get("type") != "application/json":
            self._in_inline_script = True
            self.found.append("<script> without src")
        if tag == "style":
            self.found.append("<style>")
        self.found += [f"{tag} {name}=" for name, _ in attrs if name == "style"]
        self.found += [f"{tag} {name}=" for name, _ in attrs if name.startswith("on")]


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


@pytest.fixture
def seeded(app, clock):
    """An incident with an entry, an image on it and an observer link; an admin (who sees
    every settings page) to look at it."""
    add_user(app, "dana", "Dana Scully", admin=True)
    incident = declare(app, "dana", severity="SEV1")
    client = logged_in_client(app, "dana")
    with app.app_context():
        entry_id = db.session.scalar(
            db.select(TimelineEntry.id).where(TimelineEntry.incident_id == incident)
        )
    evidence = attach(app, incident, entry_id, image_bytes("PNG"), "dana")
    link = make_link(app, incident, "dana")
    with app.app_context():
        dana = db.session.scalar(db.select(User).filter_by(username="dana"))
        payments = create_team("Payments")
        payments_id = payments.id
        schedule_id = create_schedule(dana, payments.id, "Primary").id
        create_service("payments-api", payments)
        link_service(dana, schedule_id, "payments-api")
        runbook_id = save_good_runbook(dana).id
        feed_secret = new_feed_secret(dana)
        ack_token = page_with_known_link(incident, dana)
        invitation = link_token(ChatUser("slack", "T0ACME", "U0DANA", "dana"))
    subscription_token = show_on_status_page(app, incident, "dana")
    values = {
        "incident_id": incident,
        "entry_id": entry_id,
        "evidence_id": evidence["id"],
        "token": link.token,
        "filename": "css/app.css",
        "key": "severity",
        "schedule_id": schedule_id,
        "secret": feed_secret,
        "runbook_id": runbook_id,
        "ack_token": ack_token,
        "kind": "teams",
        "subject_id": payments_id,
        "invitation": invitation,
        "subscription_token": subscription_token,
    }
    return client, values


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def page_with_known_link(incident_id: int, user: User) -> str:
    """A page waiting for `user`, whose e-mailed ack link has a secret the test knows."""
    token = "known-ack-secret"
    page = Page(incident_id=incident_id, service_name="payments-api", status="triggered")
    page.notices.append(
        PageNotice(user_id=user.id, step=0, label="Primary", token_hash=sha256_hex(token))
    )
    db.session.add(page)
    db.session.commit()
    return token


def every_get_url(app, values: dict) -> list[str]:
    query = {
        "updates_api.draft": {"audience": "stakeholders"},
        "oncall_api.who_is_on_call": {"service": "payments-api"},
    }
    with app.test_request_context():
        return sorted(
            url_for(
                rule.endpoint,
                **{name: values[name] for name in rule.arguments},
                **query.get(rule.endpoint, {}),
            )
            for rule in app.url_map.iter_rules()
            if "GET" in rule.methods
        )


def assert_secured(url: str, response) -> None:
    headers = response.headers
    policy = headers.get("Content-Security-Policy", "")
    assert "frame-ancestors 'none'" in policy, url
    assert headers.get("X-Content-Type-Options") == "nosniff", url
    assert headers.get("Referrer-Policy") in ("same-origin", "no-referrer"), url
    if response.mimetype == "text/html":
        assert "script-src 'self'" in policy or "default-src 'self'" in policy, url
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, url
        assert inline_code(response.get_data(as_text=True)) == [], url


def test_every_page_and_download_sends_the_security_headers(app, seeded) -> None:
    client, values = seeded
    urls = every_get_url(app, values)
    assert len(urls) >= 20, urls
    for url in urls:
        response = client.get(url)
        assert response.status_code < 400, (url, response.status_code)
        assert_secured(url, response)


def test_pages_seen_logged_out_and_errors_send_them_too(app, seeded) -> None:
    _, values = seeded
    anonymous = app.test_client()
    for url in ("/login", "/incidents/999", f"/observe/{values['token']}", "/observe/forged"):
        assert_secured(url, anonymous.get(url))
    logged_in, _ = seeded
    for url in ("/incidents/999", "/api/incidents/999", "/no-such-page"):
        response = logged_in.get(url)
        assert response.status_code == 404
        assert_secured(url, response)


def test_the_session_cookie_is_http_only_and_same_site(app) -> None:
    add_user(app, "dana")
    cookie = login(app.test_client(), "dana").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain http in this test


def test_the_session_cookie_is_secure_behind_https(sqlite_url, monkeypatch) -> None:
    monkeypatch.delenv("SESSION_COOKIE_SECURE", raising=False)
    monkeypatch.setenv("PUBLIC_URL", "https://incidents.example.com")
    app = make_app(sqlite_url)
    try:
        add_user(app, "dana")
        client, https = app.test_client(), "https://incidents.example.com"
        token = csrf_from(client.get("/login", base_url=https).get_data(as_text=True))
        form = {"username": "dana", "password": PASSWORD, "csrf_token": token}
        cookie = client.post("/login", data=form, base_url=https).headers["Set-Cookie"]
        assert "Secure" in cookie and "HttpOnly" in cookie
    finally:
        dispose(app)
