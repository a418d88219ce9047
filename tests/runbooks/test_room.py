"""Runbooks in the room: an alert with a runbook opens a room whose checklist holds its
steps, linked to them; anyone in the room attaches another by search; ticking a step records
who and when; everything is on the event log (the tamper check still holds)."""

from __future__ import annotations

from incident_room.extensions import db
from incident_room.models import Incident, User
from incident_room.services.accounts import create_api_token, find_user
from incident_room.services.integrity import verify_incident
from incident_room.services.runbooks.authoring import RunbookDraft, save_runbook
from tests.conftest import declare
from tests.socket.helpers import call, change, event_types, join_all
from tests.support.runbooks import GOOD_BODY, save_good_runbook

ALERT = {
    "title": "Payments error rate above 5%",
    "source": "prometheus",
    "alert_key": "PaymentsHighErrorRate",
}
STEPS = [
    "Investigation 1: Check the error dashboard at https://grafana.example/d/payments."
    " Normal: under 1% errors. Abnormal: above 5%; go to step 2.",
    "Investigation 2: Run `kubectl -n payments get pods`. Normal: all Running."
    " Abnormal: CrashLoopBackOff means a bad deploy; mitigate with step 1 below.",
    "Mitigation 1: Roll back: `kubectl -n payments rollout undo deploy/payments-api`.",
    "Mitigation 2: Turn off the `new-checkout` feature flag.",
]


def post_alert(app, **fields):
    with app.app_context():
        token = create_api_token(find_user("dana"))
    headers = {"Authorization": f"Bearer {token}"}
    return app.test_client().post("/api/alerts", json={**ALERT, **fields}, headers=headers)


def with_runbook(app, alert_key: str = "PaymentsHighErrorRate") -> int:
    with app.app_context():
        dana = db.session.scalar(db.select(User).filter_by(username="dana"))
        return save_good_runbook(dana, alert_key=alert_key).id


def step_texts(state) -> list[str]:
    return [
        item["text"]
        for item in state["checklist"]
        if item["text"].split(" ")[0] in ("Investigation", "Mitigation")
    ]


def intact(app, incident_id: int) -> bool:
    with app.app_context():
        return verify_incident(db.session.get(Incident, incident_id)).intact


def test_an_alert_with_a_runbook_opens_a_room_whose_checklist_holds_its_steps(rb_app) -> None:
    runbook_id = with_runbook(rb_app)
    declared = post_alert(rb_app)
    assert declared.status_code == 201
    incident_id = declared.get_json()["incident"]["id"]
    [room] = join_all(rb_app, incident_id, "fox")
    state = call(room, "join", {"incident_id": incident_id})
    assert step_texts(state) == STEPS
    [pane] = state["runbooks"]
    assert (pane["id"], pane["via"], pane["version"]) == (runbook_id, "alert", 1)
    assert pane["title"] == "PaymentsHighErrorRate - payments-api Runbook"
    assert "<h2>4 Mitigation steps</h2>" in pane["html"]
    items = {item["text"]: item["id"] for item in state["checklist"]}
    assert [(s["section"], s["number"], s["item_id"]) for s in pane["steps"]] == [
        ("investigation", 1, items[STEPS[0]]),
        ("investigation", 2, items[STEPS[1]]),
        ("mitigation", 1, items[STEPS[2]]),
        ("mitigation", 2, items[STEPS[3]]),
    ]
    # The alert firing again appends to the room, and brings no second copy of the steps.
    assert post_alert(rb_app).status_code == 200
    state = call(room, "join", {"incident_id": incident_id})
    assert step_texts(state) == STEPS and len(state["runbooks"]) == 1
    assert intact(rb_app, incident_id)


def test_an_alert_without_a_runbook_opens_a_room_without_one(rb_app) -> None:
    incident_id = post_alert(rb_app).get_json()["incident"]["id"]
    [room] = join_all(rb_app, incident_id, "fox")
    state = call(room, "join", {"incident_id": incident_id})
    assert state["runbooks"] == [] and step_texts(state) == []


def test_anyone_in_the_room_attaches_a_runbook_found_by_search_and_ticks_its_steps(
    rb_app,
) -> None:
    runbook_id = with_runbook(rb_app)
    incident_id = declare(rb_app, "dana", severity="SEV2")
    fox, dana = join_all(rb_app, incident_id, "fox", "dana")
    found = call(fox, "runbook.search", {"incident_id": incident_id, "q": "rollout payments"})
    assert found["runbooks"] == [
        {
            "id": runbook_id,
            "title": "PaymentsHighErrorRate - payments-api Runbook",
            "service": "payments-api",
        }
    ]
    none = call(fox, "runbook.search", {"incident_id": incident_id, "q": "kafka"})
    assert none["runbooks"] == []
    ack = change(fox, "runbook.attach", {"incident_id": incident_id, "runbook_id": runbook_id})
    assert ack["ok"], ack
    assert event_types(dana) == ["runbook.attached"]
    step = ack["runbook"]["steps"][2]
    ticked = change(
        dana,
        "checklist.toggle",
        {"incident_id": incident_id, "item_id": step["item_id"], "done": True},
    )
    assert ticked["item"]["done_by"]["display_name"] == "Dana Scully"
    assert ticked["item"]["done_at"]
    again = change(fox, "runbook.attach", {"incident_id": incident_id, "runbook_id": runbook_id})
    assert again["error"]["code"] == "conflict"
    missing = change(fox, "runbook.attach", {"incident_id": incident_id, "runbook_id": 999})
    assert (missing["error"]["code"], missing["error"]["field"]) == ("not_found", "runbook_id")
    assert intact(rb_app, incident_id)


def test_the_pane_keeps_the_version_the_room_took_when_the_runbook_changes_later(
    rb_app,
) -> None:
    runbook_id = with_runbook(rb_app)
    incident_id = post_alert(rb_app).get_json()["incident"]["id"]
    with rb_app.app_context():
        dana = db.session.scalar(db.select(User).filter_by(username="dana"))
        body = GOOD_BODY.replace("After 15 minutes", "After 3 minutes")
        save_runbook(
            dana, RunbookDraft("payments-api", ALERT["alert_key"], "Payments", body), runbook_id
        )
    [room] = join_all(rb_app, incident_id, "fox")
    [pane] = call(room, "join", {"incident_id": incident_id})["runbooks"]
    assert pane["version"] == 1 and "After 15 minutes" in pane["html"]
