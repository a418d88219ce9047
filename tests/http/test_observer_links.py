"""The observer links page: the IC makes and revokes links (a private incident only with an
explicit yes); a link's address is shown once, to its maker; only the IC and a link's maker
list it; a removed member's links die with their access; the observer page refuses forged,
revoked and expired links with a clear page and keeps the token out of referrers."""

from __future__ import annotations

import re

from tests.conftest import declare, logged_in_client
from tests.socket.helpers import change, join_all
from tests.support.observers import make_link, tampered
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
    return re.findall(r'id="new-link" readonly value="([^"]+)"', html)


def made_url(response) -> str:
    """The address the creation page shows, this once."""
    assert response.status_code == 201
    (url,) = shared_urls(response.get_data(as_text=True))
    return url.removeprefix("http://localhost")


def test_a_link_is_shown_once_to_its_maker_and_listed_only_for_the_ic(app, dana, fox, clock):
    incident_id = declare(app, "dana")
    dana_client = logged_in_client(app, "dana")
    url = made_url(create(dana_client, incident_id))
    token = url.rsplit("/", 1)[1]

    again = links_page(dana_client, incident_id).get_data(as_text=True)
    assert token not in again and shared_urls(again) == []
    assert "Dana Scully" in again and "2026-03-14 06:00 UTC" in again
    page = links_page(logged_in_client(app, "fox"), incident_id)
    html = page.get_data(as_text=True)
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert "Only the Incident Commander creates observer links." in html
    assert token not in html and "No observer links yet." in html and "Revoke" not in html

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
    assert made_url(create(dana_client, private, confirm_private="on"))
    listed = links_page(dana_client, private).get_data(as_text=True)
    assert len(re.findall(r'data-link-id="', listed)) == 1
    assert links_page(logged_in_client(app, "fox"), private).status_code == 404


def test_revoked_expired_and_forged_links_get_a_clear_refusal(app, dana, clock):
    incident_id = declare(app, "dana")
    dana_client = logged_in_client(app, "dana")
    oldest = made_url(create(dana_client, incident_id, expires_in="1h"))
    clock.advance(minutes=1)
    newest = made_url(create(dana_client, incident_id, expires_in="24h"))
    html = links_page(dana_client, incident_id).get_data(as_text=True)
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


def test_a_removed_members_links_end_with_their_access(app, dana, fox, clock):
    # Fox, invited to a private incident and IC for a while, made a link; removed from the
    # incident, Fox's link dies with Fox's access. Dana's own link lives on.
    incident_id = declare(app, "dana", title="Payroll export leaks", private=True)
    [room] = join_all(app, incident_id, "dana")
    ref = {"incident_id": incident_id}
    assert change(room, "member.invite", {**ref, "user": "fox"})["ok"]
    [fox_room] = join_all(app, incident_id, "fox")
    handover = {**ref, "role": "incident_commander"}
    assert change(room, "role.claim", {**handover, "user": "fox"})["ok"]
    fox_link = make_link(app, incident_id, "fox", confirm_private=True)
    assert change(fox_room, "role.claim", {**handover, "user": "dana"})["ok"]
    dana_link = make_link(app, incident_id, "dana", confirm_private=True)
    anonymous = app.test_client()
    assert anonymous.get(f"/observe/{fox_link.token}").status_code == 200
    assert change(room, "member.remove", {**ref, "user": "fox"})["ok"]
    refused = anonymous.get(f"/observe/{fox_link.token}")
    assert refused.status_code == 410 and "revoked" in refused.get_data(as_text=True)
    assert anonymous.get(f"/observe/{dana_link.token}").status_code == 200
    listed = links_page(logged_in_client(app, "dana"), incident_id).get_data(as_text=True)
    assert "Revoked by Dana Scully" in listed


def test_a_disabled_accounts_links_are_revoked(app, dana, clock):
    incident_id = declare(app, "dana")
    link = make_link(app, incident_id, "dana")
    result = app.test_cli_runner().invoke(args=["users", "disable", "dana"])
    assert result.exit_code == 0 and "1 observer link(s) it made were revoked" in result.output
    assert app.test_client().get(f"/observe/{link.token}").status_code == 410
