"""Update drafts from a scripted incident: the right facts for stakeholders, nothing
internal on the public status page, posting only by the IC or Communications Lead (which
restarts the countdown), and the team's own templates."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.conftest import add_user, declare, logged_in_client
from tests.socket.helpers import add_entry, call, change, join_all
from tests.support.web import csrf_from

SUMMARY = (
    "Checkout fails for some customers; errors from api-gw-2.prod.example.net, ask fox@example.com"
)
INTERNAL_ONLY = [
    "Fox",
    "Mulder",
    "Dana",
    "fox@",
    "api-gw-2",
    "example.net",
    "10.0.4.17",
    "db-prod-3",
    "grafana",
    "Connection pool",
    "Rolled back release",
    "paged the DBA",
    "SEV",
]


@pytest.fixture
def scripted(app, dana, fox, clock) -> dict[str, Any]:
    """A SEV3 that became a SEV2, with hypotheses, actions, a shared and an internal entry."""
    incident_id = declare(app, "dana", severity="SEV3", summary=SUMMARY)
    room, fox_room = join_all(app, incident_id, "dana", "fox")
    ref = {"incident_id": incident_id}
    clock.advance(minutes=3)
    add_entry(
        fox_room,
        incident_id,
        "Connection pool exhausted on db-prod-3 (10.0.4.17)",
        kind="hypothesis",
        details={"status": "confirmed"},
    )
    add_entry(
        fox_room, incident_id, "CDN outage", kind="hypothesis", details={"status": "ruled_out"}
    )
    add_entry(
        fox_room,
        incident_id,
        "Rolled back release 2026.03.1",
        kind="action",
        details={"owner": "fox", "status": "done"},
    )
    add_entry(
        fox_room,
        incident_id,
        "Raise the pool size",
        kind="action",
        details={"owner": "fox", "status": "doing", "eta": "2026-03-14T02:30:00Z"},
    )
    add_entry(room, incident_id, "Dana paged the DBA; see https://grafana.internal/d/abc")
    shared = add_entry(room, incident_id, "Fox Mulder rolled back the deploy on web-12.internal")
    assert change(room, "timeline.share", {**ref, "entry_id": shared["id"], "shareable": True})[
        "ok"
    ]
    change(room, "incident.update", {**ref, "status": "investigating"})
    change(room, "incident.update", {**ref, "status": "identified", "severity": "SEV2"})
    clock.advance(minutes=2)
    return {"id": incident_id, "room": room, "fox_room": fox_room}


def draft(client, incident_id: int, audience: str) -> dict[str, Any]:
    response = client.get(f"/api/incidents/{incident_id}/update-draft?audience={audience}")
    assert response.status_code == 200, response.json
    return response.json


def post_update(client, incident_id: int, audience: str, text: str):
    page = client.get(f"/incidents/{incident_id}/updates/new?audience={audience}")
    html = page.get_data(as_text=True)
    op_id = re.search(r'name="op_id" value="([^"]+)"', html).group(1)
    return client.post(
        f"/incidents/{incident_id}/updates",
        data={"csrf_token": csrf_from(html), "op_id": op_id, "audience": audience, "text": text},
    )


def test_stakeholder_draft_says_what_changed_since_the_last_update(app, scripted):
    text = draft(logged_in_client(app, "dana"), scripted["id"], "stakeholders")["text"]

    assert "INC-1: Checkout API returning 502s" in text
    assert "Severity: SEV2" in text and "Status: Identified." in text
    assert "Since 02:00 UTC:" in text
    assert "- Severity SEV3 → SEV2" in text and "- Status Declared → Identified" in text
    assert "Confirmed causes:\n- Connection pool exhausted on db-prod-3 (10.0.4.17)" in text
    assert "CDN outage" not in text
    assert "Done:\n- Rolled back release 2026.03.1" in text
    assert "Under way:\n- Raise the pool size (owner Fox Mulder, ETA 02:30 UTC)" in text
    assert "Incident Commander: Dana Scully. Next update by 02:20 UTC." in text


def test_public_draft_keeps_internal_names_hosts_and_entries_out(app, scripted):
    text = draft(logged_in_client(app, "dana"), scripted["id"], "status_page")["text"]

    assert text.startswith("Identified - Checkout API returning 502s")
    assert (
        "Partial outage. Checkout fails for some customers; errors from [internal], ask [internal]"
        in text
    )
    assert "Status changed from Investigating to Identified." in text
    assert "The team rolled back the deploy on [internal]" in text
    assert "We will post the next update by 02:35 UTC." in text
    for internal in INTERNAL_ONLY:
        assert internal not in text, internal


def test_posting_is_for_the_ic_or_communications_lead_and_restarts_the_countdown(
    app, scripted, clock
):
    fox = logged_in_client(app, "fox")
    page = fox.get(f"/incidents/{scripted['id']}/updates/new").get_data(as_text=True)
    assert "readonly" in page and "Post update" not in page
    assert "Only the Incident Commander or the Communications Lead posts updates" in page
    assert post_update(fox, scripted["id"], "stakeholders", "From Fox").status_code == 403

    change(
        scripted["fox_room"],
        "role.claim",
        {"incident_id": scripted["id"], "role": "communications_lead"},
    )
    clock.advance(minutes=1)
    posted = post_update(fox, scripted["id"], "stakeholders", "Checkout degraded; fix under way.")
    assert posted.status_code == 302

    state = fox.get(f"/api/incidents/{scripted['id']}").json
    updates = [e for e in state["timeline"] if e["kind"] == "update"]
    assert [(u["text"], u["details"]["audience"]) for u in updates] == [
        ("Checkout degraded; fix under way.", "stakeholders")
    ]
    deadlines = {d["key"]: d["due_at"] for d in state["timers"]["deadlines"]}
    assert deadlines["stakeholder_update"] == "2026-03-14T02:21:00Z"
    clock.advance(minutes=1)
    follow_up = draft(fox, scripted["id"], "stakeholders")["text"]
    assert "Since 02:06 UTC:\n- none" in follow_up
    assert "Done:\n- none" in follow_up


def test_a_resubmitted_form_posts_the_update_once(app, scripted):
    dana = logged_in_client(app, "dana")
    html = dana.get(f"/incidents/{scripted['id']}/updates/new").get_data(as_text=True)
    form = {
        "csrf_token": csrf_from(html),
        "op_id": re.search(r'name="op_id" value="([^"]+)"', html).group(1),
        "audience": "status_page",
        "text": "We are investigating.",
    }
    for _ in range(2):
        assert dana.post(f"/incidents/{scripted['id']}/updates", data=form).status_code == 302
    timeline = dana.get(f"/api/incidents/{scripted['id']}").json["timeline"]
    assert [e["text"] for e in timeline if e["kind"] == "update"] == ["We are investigating."]


def test_drafts_refuse_unknown_audiences_and_hide_private_incidents(app, dana, fox):
    incident_id = declare(app, "dana", private=True)
    dana_client = logged_in_client(app, "dana")
    bad = dana_client.get(f"/api/incidents/{incident_id}/update-draft?audience=press")
    assert bad.status_code == 400 and bad.json["error"]["field"] == "audience"
    outsider = logged_in_client(app, "fox")
    assert outsider.get(f"/api/incidents/{incident_id}/update-draft").status_code == 404
    assert outsider.get(f"/incidents/{incident_id}/updates/new").status_code == 404


def save_template(client, audience: str, body: str, action: str = "save"):
    html = client.get("/settings/update-templates").get_data(as_text=True)
    return client.post(
        f"/settings/update-templates/{audience}",
        data={"csrf_token": csrf_from(html), "body": body, "action": action},
    )


def test_only_admins_see_or_change_the_templates(app, scripted):
    dana = logged_in_client(app, "dana")
    assert dana.get("/settings/update-templates").status_code == 403
    token = csrf_from(dana.get("/incidents").get_data(as_text=True))
    refused = dana.post(
        "/settings/update-templates/status_page", data={"csrf_token": token, "body": "$status"}
    )
    assert refused.status_code == 403
    assert "Update templates" not in dana.get("/incidents").get_data(as_text=True)
    text = draft(dana, scripted["id"], "status_page")["text"]
    assert text.startswith("Identified - Checkout API returning 502s")


def test_the_team_edits_its_templates_with_plain_placeholders_only(app, scripted, ada):
    admin = logged_in_client(app, "ada")
    assert "Update templates" in admin.get("/incidents").get_data(as_text=True)
    refused = save_template(admin, "status_page", "$status, handled by $commander")
    assert refused.status_code == 400
    assert "$commander is not available in this template" in refused.get_data(as_text=True)

    body = "{{ 7*7 }} {% raw %} $status for $title. Costs $$0."
    assert save_template(admin, "status_page", body).status_code == 302
    dana = logged_in_client(app, "dana")
    text = draft(dana, scripted["id"], "status_page")["text"]
    assert text == "{{ 7*7 }} {% raw %} Identified for Checkout API returning 502s. Costs $0."

    assert save_template(admin, "status_page", "", action="reset").status_code == 302
    text = draft(dana, scripted["id"], "status_page")["text"]
    assert text.startswith("Identified - Checkout API returning 502s")


def test_the_room_gets_the_same_draft_over_its_socket(app, scripted):
    room = scripted["fox_room"]
    ack = call(room, "update.draft", {"incident_id": scripted["id"], "audience": "status_page"})
    page_draft = draft(logged_in_client(app, "fox"), scripted["id"], "status_page")
    assert ack["ok"] and ack["draft"]["text"] == page_draft["text"]
    assert ack["can_post"] is False
    refused = call(room, "update.draft", {"incident_id": scripted["id"], "audience": "press"})
    assert refused["error"]["field"] == "audience"


def test_public_draft_scrubs_removed_members_and_titled_names(app, dana, fox):
    # Carol was invited to the private incident and removed before she said a word; the
    # entry still names her, after a title word, beside Dana's username.
    add_user(app, "carol", "Carol Danvers")
    incident_id = declare(app, "dana", severity="SEV2", private=True)
    [room] = join_all(app, incident_id, "dana")
    ref = {"incident_id": incident_id}
    assert change(room, "member.invite", {**ref, "user": "carol"})["ok"]
    assert change(room, "member.remove", {**ref, "user": "carol"})["ok"]
    entry = add_entry(
        room, incident_id, "dana and User carol restarted db-prod-3; Dr Okafor agreed"
    )
    assert change(room, "timeline.share", {**ref, "entry_id": entry["id"], "shareable": True})["ok"]
    text = draft(logged_in_client(app, "dana"), incident_id, "status_page")["text"]
    assert "The team restarted [internal]; the team agreed" in text
    for name in ("carol", "Carol", "dana", "User", "Okafor"):
        assert name not in text, name


def test_a_draft_carries_decisions_what_is_investigated_and_what_is_next(app, dana, fox, clock):
    incident_id = declare(app, "dana", severity="SEV1")
    room, fox_room = join_all(app, incident_id, "dana", "fox")
    clock.advance(minutes=5)
    add_entry(
        room,
        incident_id,
        "Roll back payments-svc to 2026.12.02-3",
        kind="decision",
        details={"rationale": "errors began with that deploy"},
    )
    add_entry(fox_room, incident_id, "Connection storms from the new client", kind="hypothesis")
    add_entry(
        fox_room,
        incident_id,
        "Drain the canary pool",
        kind="action",
        details={"owner": "fox", "eta": "2026-03-14T02:30:00Z"},
    )
    client = logged_in_client(app, "dana")
    internal = draft(client, incident_id, "stakeholders")
    text = internal["text"]
    assert internal["news"] is True
    assert (
        "Decisions:\n- Roll back payments-svc to 2026.12.02-3 (because: errors began with that"
        " deploy)" in text
    )
    assert "Investigating:\n- Connection storms from the new client" in text
    assert "Next:\n- Drain the canary pool (owner Fox Mulder, ETA 02:30 UTC)" in text
    assert "Since 02:00 UTC:\n- none" in text  # no severity or status change: said plainly
    public = draft(client, incident_id, "status_page")["text"]
    for internal_only in ("Roll back", "Connection storms", "Drain the canary", "Fox"):
        assert internal_only not in public


def test_an_update_that_says_nothing_new_is_posted_only_when_confirmed(app, scripted, clock):
    incident_id, room = scripted["id"], scripted["room"]
    ref = {"incident_id": incident_id, "kind": "update", "details": {"audience": "stakeholders"}}
    assert change(room, "timeline.add", {**ref, "text": "First update"})["ok"]
    clock.advance(minutes=3)
    assert draft(logged_in_client(app, "dana"), incident_id, "stakeholders")["news"] is False
    again = change(room, "timeline.add", {**ref, "text": "Still on it"})
    assert (again["error"]["code"], again["error"]["field"]) == ("invalid", "confirm_nothing_new")
    assert (
        "Nothing new since the last internal stakeholders update at 02:05 UTC"
        in (again["error"]["message"])
    )
    confirmed = change(
        room, "timeline.add", {**ref, "text": "Still on it", "confirm_nothing_new": True}
    )
    assert confirmed["ok"]
    client = logged_in_client(app, "dana")
    refused = post_update(client, incident_id, "stakeholders", "Nothing to add")
    assert refused.status_code == 400
    assert 'name="confirm_nothing_new"' in refused.get_data(as_text=True)
    clock.advance(minutes=1)
    add_entry(room, incident_id, "Rolled back", kind="decision")
    assert draft(client, incident_id, "stakeholders")["news"] is True
