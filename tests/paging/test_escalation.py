"""From alert to a person (issue 19): a page to the on-call, escalation on the clock exactly
once across workers, acks from a socket and from the e-mailed one-time link."""

from __future__ import annotations

import json
import re

import pytest

from incident_room.config import network_list
from incident_room.errors import DomainError
from incident_room.extensions import db
from incident_room.models import EscalationPolicy, IncidentEvent, Page
from incident_room.services.accounts import create_api_token, find_user, set_email
from incident_room.services.catalog.services import service_named
from incident_room.services.declare import Declaration, declare_incident
from incident_room.services.mail.sender import deliver_due_mail
from incident_room.services.paging.pages import escalate_due_pages
from incident_room.services.paging.policies import PolicyDraft, StepDraft, create_policy
from tests.conftest import add_user, declare, dispose, logged_in_client, make_app, socket_client
from tests.http.test_webhooks import add_endpoint, send
from tests.paging.conftest import users
from tests.socket.helpers import alone, call, change, join_all, received
from tests.support.receiver import webhook_receiver
from tests.support.runbooks import save_good_runbook
from tests.support.smtp import smtp_server
from tests.support.threads import all_at_once
from tests.support.web import csrf_from

ALERT = {
    "title": "Checkout 502s above 5%",
    "source": "prometheus",
    "alert_key": "checkout-502",
    "service": "payments-api",
}


def alert(app, **body):
    with app.app_context():
        token = create_api_token(find_user("tess"))
    headers = {"Authorization": f"Bearer {token}"}
    return app.test_client().post("/api/alerts", json={**ALERT, **body}, headers=headers)


def timeline(app, incident_id: int) -> list[str]:
    with app.app_context():
        events = db.session.scalars(
            db.select(IncidentEvent)
            .filter_by(incident_id=incident_id)
            .where(IncidentEvent.type.like("page.%"))
            .order_by(IncidentEvent.seq)
        )
        return [event.data["entry"]["text"] for event in events]


def background_pass(app) -> int:
    with app.app_context():
        return escalate_due_pages()


def test_a_sev1_nobody_acks_escalates_primary_secondary_manager_on_the_clock(paging, clock):
    response = alert(paging, severity="critical")
    assert response.status_code == 201
    incident = response.get_json()["incident"]["id"]
    assert timeline(paging, incident) == [
        "Paged Bo (Primary on-call), Tess (Manager) at once (SEV1) for payments-api; "
        "ack within 5 minutes or it escalates."
    ]
    clock.advance(minutes=4, seconds=59)
    assert background_pass(paging) == 0
    clock.advance(seconds=1)
    assert background_pass(paging) == 1
    clock.advance(minutes=5)
    assert background_pass(paging) == 1
    clock.advance(minutes=5)
    assert background_pass(paging) == 1
    clock.advance(minutes=30)
    assert background_pass(paging) == 0
    assert timeline(paging, incident)[1:] == [
        "No ack from Bo, Tess: escalated to Mo (Secondary).",
        "No ack from Bo, Mo, Tess: escalated to Tess (Manager).",
        "No ack from Bo, Mo, Tess: every step of the escalation policy has been paged.",
    ]


def test_escalation_happens_once_however_many_workers_run_the_job(paging, clock, database_url):
    incident = alert(paging, severity="error").get_json()["incident"]["id"]
    other_worker = make_app(database_url)
    try:
        clock.advance(minutes=15)
        all_at_once(lambda: background_pass(paging), lambda: background_pass(other_worker))
        assert timeline(paging, incident)[1:] == ["No ack from Bo: escalated to Mo (Secondary)."]
    finally:
        dispose(other_worker)


def test_every_tab_of_the_paged_person_hears_it_and_an_ack_stops_escalation(paging, clock):
    bo = socket_client(paging, "bo")
    assert [m["args"][0]["pages"] for m in bo.get_received() if m["name"] == "pages"] == [[]]
    incident = alert(paging, severity="error").get_json()["incident"]["id"]
    [page] = [m["args"][0] for m in bo.get_received() if m["name"] == "page"]
    assert (page["reference"], page["status"], page["service"]) == (
        "INC-1",
        "triggered",
        "payments-api",
    )
    later_tab = socket_client(paging, "bo")
    [opened] = [m["args"][0]["pages"] for m in later_tab.get_received() if m["name"] == "pages"]
    assert [p["id"] for p in opened] == [page["id"]]
    watcher = join_all(paging, incident, "tess")[0]

    ack = change(bo, "page.ack", {"page_id": page["id"], "take_command": True})
    assert ack["page"]["status"] == "acknowledged" and ack["page"]["acked_by"]["username"] == "bo"
    events = received(watcher)
    assert [e["type"] for e in events] == ["participant.joined", "page.acknowledged"]
    assert events[-1]["data"]["entry"]["text"] == (
        "Bo acknowledged the page for payments-api and took over Incident Commander from Tess."
    )
    [commander] = [r for r in events[-1]["data"]["roles"] if r["role"] == "incident_commander"]
    assert commander["holder"]["username"] == "bo"
    again = change(bo, "page.ack", {"page_id": page["id"]})
    assert (
        again["error"]["code"] == "invalid"
        and "already acknowledged (by Bo)" in (again["error"]["message"])
    )
    clock.advance(hours=1)
    assert background_pass(paging) == 0


def test_the_emailed_link_acknowledges_once_without_logging_in(paging, clock):
    with smtp_server() as mailbox:
        paging.config["SMTP_URL"] = mailbox.url
        with paging.app_context():
            set_email(users(paging)["bo"], "bo@example.com")
        incident = alert(paging, severity="error").get_json()["incident"]["id"]
        with paging.app_context():
            assert deliver_due_mail() == 1
        [message] = mailbox.wait_for(1)
    assert message["To"] == "bo@example.com"
    assert message["Subject"] == "[SEV2] INC-1 Checkout 502s above 5%: you are paged"
    [link] = re.findall(r"/pages/ack/[\w-]+", message.get_content())
    anonymous = paging.test_client()
    shown = anonymous.get(link)
    assert shown.status_code == 200 and "Acknowledge as Bo" in shown.text
    assert timeline(paging, incident)[1:] == []  # opening the link acknowledges nothing
    done = anonymous.post(link)
    assert done.status_code == 200 and "Acknowledged: you are on it" in done.text
    assert timeline(paging, incident)[1:] == ["Bo acknowledged the page for payments-api."]
    assert anonymous.post(link).status_code == 404
    assert anonymous.get(link).status_code == 404
    clock.advance(hours=1)
    assert background_pass(paging) == 0


def test_bad_input_names_the_field_and_changes_nothing(paging, clock):
    unknown = alert(paging, service="no-such-service")
    assert unknown.status_code == 400 and unknown.get_json()["error"]["field"] == "service"
    with paging.app_context():
        tess = users(paging)["tess"]
        for draft, field in (
            (PolicyDraft(1, "Empty", ()), "steps"),
            (PolicyDraft(99, "Nobody's", ()), "team_id"),
            (PolicyDraft(1, "Both", (StepDraft("x", schedule_id=1, user_id=1),)), "steps.0"),
            (PolicyDraft(1, "Slow", (StepDraft("x", user_id=1),), 0), "ack_minutes_sev1"),
        ):
            with pytest.raises(DomainError) as refused:
                create_policy(tess, draft)
            assert refused.value.details["field"] == field
        assert db.session.scalar(db.select(db.func.count()).select_from(Page)) == 0
        assert db.session.scalar(db.select(db.func.count()).select_from(EscalationPolicy)) == 1


def test_a_drill_pages_nobody_and_the_all_clear_resolves_pages(paging, clock):
    with paging.app_context():
        drill = Declaration("Rehearsal", "SEV1", drill=True, service=service_named("payments-api"))
        drill_id = declare_incident(users(paging)["tess"], drill).id
    incident = alert(paging, severity="error").get_json()["incident"]["id"]
    assert timeline(paging, drill_id) == []
    [ic] = join_all(paging, incident, "tess")
    assert change(ic, "incident.all_clear", alone(incident))["ok"]
    with paging.app_context():
        assert db.session.scalar(db.select(Page.status)) == "resolved"
    clock.advance(hours=1)
    assert background_pass(paging) == 0


def test_team_admins_make_policies_on_the_page_and_others_only_read_them(paging, clock):
    tess = logged_in_client(paging, "tess")
    listed = tess.get("/oncall/policies")
    assert "Primary on-call" in listed.text and "payments-api" in listed.text
    form = {
        "csrf_token": csrf_from(listed.text),
        "team_id": "1",
        "name": "Payments nights",
        "ack_minutes_sev1": "3",
        "ack_minutes_sev2": "10",
        "ack_minutes_other": "30",
        "steps-0-label": "Night on-call",
        "steps-0-target": "schedule:1",
        "steps-1-label": "Tess",
        "steps-1-target": "user:7",
        "steps-1-manager": "on",
    }
    assert tess.post("/oncall/policies", data=form).status_code == 302
    shown = tess.get("/oncall/policies").text
    assert "Payments nights" in shown and "SEV1 3 min" in shown
    refused = tess.post(
        "/oncall/policies", data={**form, "steps-0-target": "", "steps-1-label": ""}
    )
    assert refused.status_code == 400 and "Step 1: choose a schedule or a person." in refused.text
    ann = logged_in_client(paging, "ann")
    page = ann.get("/oncall/policies")
    assert "Payments nights" in page.text and "New escalation policy" not in page.text
    forbidden = ann.post("/oncall/policies", data={**form, "csrf_token": csrf_from(page.text)})
    assert forbidden.status_code == 403
    with paging.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(EscalationPolicy)) == 2


def test_a_runbooks_escalation_contact_is_one_click_from_a_page(paging, clock):
    add_user(paging, "payments-lead", "Pat Lead")
    with paging.app_context():
        runbook_id = save_good_runbook(users(paging)["tess"]).id
    incident = declare(paging, "tess", severity="SEV2")
    ic, lead = join_all(paging, incident, "tess"), socket_client(paging, "payments-lead")
    ic = ic[0]
    assert change(ic, "runbook.attach", {"incident_id": incident, "runbook_id": runbook_id})["ok"]
    [runbook] = call(ic, "join", {"incident_id": incident})["runbooks"]
    assert [person["username"] for person in runbook["contacts"]] == ["payments-lead"]
    lead.get_received()
    ack = change(ic, "page.person", {"incident_id": incident, "user": "payments-lead"})
    assert ack["page"]["paged"][0]["username"] == "payments-lead"
    [page] = [m["args"][0] for m in lead.get_received() if m["name"] == "page"]
    assert page["status"] == "triggered" and page["reference"] == "INC-1"
    assert timeline(paging, incident) == ["Tess paged Pat Lead."]
    nobody = change(ic, "page.person", {"incident_id": incident, "user": "nobody-here"})
    assert nobody["error"]["field"] == "user"
    clock.advance(hours=1)
    assert background_pass(paging) == 0  # a person paged by hand waits for them


def test_an_ntfy_endpoint_rings_the_phone_with_an_acknowledge_button_that_works(paging, clock):
    paging.config["OUTBOUND_ALLOW_INTERNAL"] = network_list("127.0.0.1")  # the local phone
    with webhook_receiver() as phone:
        topic = phone.url.replace("/hook", "/payments-oncall")
        add_endpoint(paging, topic, body_format="ntfy")
        incident = alert(paging, severity="critical").get_json()["incident"]["id"]
        assert send(paging) == 3  # declared, then the page to Bo and to Tess (SEV1 manager)
        bodies = [json.loads(request["body"]) for request in phone.requests]
    assert {request["path"] for request in phone.requests} == {"/"}  # ntfy's JSON root
    paged = [body for body in bodies if body["title"] == "INC-1 SEV1: paged"]
    assert [body["message"].split(":")[0] for body in paged] == ["Bo", "Tess"]
    bo = paged[0]
    assert (bo["topic"], bo["priority"], bo["tags"]) == ("payments-oncall", 5, ["rotating_light"])
    [button] = bo["actions"]
    assert (button["action"], button["label"], button["method"]) == ("http", "Acknowledge", "POST")
    path = button["url"][button["url"].index("/pages/ack/") :]
    assert paging.test_client().post(path).status_code == 200  # the phone's button, no login
    assert timeline(paging, incident)[-1] == "Bo acknowledged the page for payments-api."
    with pytest.raises(DomainError) as refused:
        add_endpoint(paging, "https://ntfy.example/", body_format="ntfy")
    assert refused.value.details["field"] == "url"  # an ntfy address names its topic


def test_a_failing_channel_is_retried_shown_on_the_page_and_never_holds_escalation(paging, clock):
    with smtp_server() as mailbox:
        mailbox.refuse = True
        paging.config["SMTP_URL"] = mailbox.url
        with paging.app_context():
            set_email(users(paging)["bo"], "bo@example.com")
        incident = alert(paging, severity="error").get_json()["incident"]["id"]
        with paging.app_context():
            deliver_due_mail()
    [ic] = join_all(paging, incident, "tess")
    [page] = call(ic, "join", {"incident_id": incident})["pages"]
    [bo] = page["reach"]
    assert (bo["person"]["username"], bo["step"], bo["email"]) == (
        "bo",
        "Primary on-call",
        "pending",
    )
    assert bo["email_error"] == "refused: SMTPDataError"
    clock.advance(minutes=15)
    assert background_pass(paging) == 1  # the next step is paged on time all the same


def test_a_declaration_naming_a_service_pages_and_the_all_clear_clears_the_banner(paging, clock):
    bo = socket_client(paging, "bo")
    tess = logged_in_client(paging, "tess")
    form = tess.get("/incidents")
    assert '<option value="payments-api"' in form.text
    declared = tess.post(
        "/incidents",
        data={
            "csrf_token": csrf_from(form.text),
            "title": "Refunds stuck",
            "severity": "SEV3",
            "service": "payments-api",
        },
    )
    assert declared.status_code == 302
    [page] = [m["args"][0] for m in bo.get_received() if m["name"] == "page"]
    assert page["title"] == "Refunds stuck" and page["status"] == "triggered"
    unknown = tess.post(
        "/incidents",
        data={"csrf_token": csrf_from(form.text), "title": "x", "service": "nope"},
    )
    assert unknown.status_code == 400
    [ic] = join_all(paging, page["incident_id"], "tess")
    assert change(ic, "incident.all_clear", {"incident_id": page["incident_id"]})["ok"]
    [over] = [m["args"][0] for m in bo.get_received() if m["name"] == "page"]
    assert over["status"] == "resolved"
    assert timeline(paging, page["incident_id"])[-1] == (
        "The page for payments-api is resolved with the all-clear."
    )
