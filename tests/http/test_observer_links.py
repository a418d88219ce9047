"""The observer links page: the IC makes and revokes links (a private incident only with an
explicit yes); everyone in the incident sees who made which; the observer page refuses
forged, revoked and expired links with a clear page and keeps the token out of referrers."""

from __future__ import annotations

import re

from tests.conftest import declare, logged_in_client
from tests.support.observers import tampered
from tests.support.web import csrf_from


def links_page(client, incident_id: int):
    return client.get(f"/incidents/{incident_id}/observers")


def create(client, incident_id: int, **form: str):
    html = links_page(client, incident_id).get_data(as_text=True)
    op_id = re.search(r'name="op_id" value="([^"]+)"', html)
    data = {"csrf_token": csrf_from(html), "expires_in": "4h", **form}
    if op_id:
        data["op_id"] = op_id.group(1)
    return client.post(f"/incidents/{incident_id}/observers", data=data)


def shared_urls(html: str) -> list[str]:
    return re.findall(r'aria-label="Link to share" value="([^"]+)"', html)


def test_the_ic_creates_a_link_everyone_in_the_incident_sees_who_made_it(app, dana, fox, clock):
    incident_id = declare(app, "dana")
    dana_client = logged_in_client(app, "dana")
    assert create(dana_client, incident_id).status_code == 302

    page = links_page(logged_in_client(app, "fox"), incident_id)
    html = page.get_data(as_text=True)
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert "Dana Scully" in html and "2026-03-14 06:00 UTC" in html
    assert "Only the Incident Commander creates observer links." in html
    assert "Revoke" not in html
    (url,) = shared_urls(html)

    observer = app.test_client().get(url.removeprefix("http://localhost"))
    assert observer.status_code == 200
    assert observer.headers["Referrer-Policy"] == "no-referrer"
    assert observer.headers["Cache-Control"] == "no-store"
    assert "default-src 'self'" in observer.headers["Content-Security-Policy"]
    assert "Checkout API returning 502s" in observer.get_data(as_text=True)


def test_only_the_ic_creates_and_a_private_incident_needs_an_explicit_yes(app, dana, fox):
    public = declare(app, "dana")
    refused = create(logged_in_client(app, "fox"), public)
    assert refused.status_code == 403
    assert "Only the Incident Commander creates observer links." in refused.get_data(as_text=True)

    private = declare(app, "dana", title="Payroll export leaks", private=True)
    dana_client = logged_in_client(app, "dana")
    unconfirmed = create(dana_client, private)
    assert unconfirmed.status_code == 400
    assert shared_urls(unconfirmed.get_data(as_text=True)) == []
    assert create(dana_client, private, confirm_private="on").status_code == 302
    assert len(shared_urls(links_page(dana_client, private).get_data(as_text=True))) == 1
    assert links_page(logged_in_client(app, "fox"), private).status_code == 404


def test_revoked_expired_and_forged_links_get_a_clear_refusal(app, dana, clock):
    incident_id = declare(app, "dana")
    dana_client = logged_in_client(app, "dana")
    create(dana_client, incident_id, expires_in="1h")
    clock.advance(minutes=1)
    create(dana_client, incident_id, expires_in="24h")
    html = links_page(dana_client, incident_id).get_data(as_text=True)
    newest, oldest = [url.removeprefix("http://localhost") for url in shared_urls(html)]
    anonymous = app.test_client()

    prefix, token = newest.rsplit("/", 1)
    forged = anonymous.get(f"{prefix}/{tampered(token)}")
    assert forged.status_code == 403
    assert "This observer link is not valid." in forged.get_data(as_text=True)

    link_id = re.findall(r'data-link-id="([0-9a-f]+)"', html)[0]
    revoke = dana_client.post(
        f"/incidents/{incident_id}/observers/{link_id}/revoke", data={"csrf_token": csrf_from(html)}
    )
    assert revoke.status_code == 302
    revoked = anonymous.get(newest)
    assert revoked.status_code == 410
    assert "This link was revoked." in revoked.get_data(as_text=True)
    assert "Revoked by Dana Scully" in links_page(dana_client, incident_id).get_data(as_text=True)

    clock.advance(minutes=60)
    expired = anonymous.get(oldest)
    assert expired.status_code == 410
    assert "This link has expired." in expired.get_data(as_text=True)
