"""The playbook's clocks on a frozen clock: role deadlines, update cadence, escalation, default."""

import threading

from incident_room.extensions import db
from incident_room.models import IncidentEvent
from incident_room.services.timers import apply_all_due_rules
from tests.conftest import add_user, declare, dispose, make_app
from tests.socket.helpers import add_entry, call, change, join_all, received, resolve
from tests.support.threads import all_at_once


def timers(client, incident) -> dict:
    return call(client, "join", {"incident_id": incident})["timers"]


def deadlines(client, incident) -> dict[str, dict]:
    return {d["key"]: d for d in timers(client, incident)["deadlines"]}


def run_background_pass(app) -> int:
    with app.app_context():
        return apply_all_due_rules()


def event_count(app, incident, event_type) -> int:
    with app.app_context():
        return db.session.scalar(
            db.select(db.func.count())
            .select_from(IncidentEvent)
            .filter_by(incident_id=incident, type=event_type)
        )


def test_sev1_needs_all_four_roles_within_15_minutes(app, clock, dana, fox) -> None:
    incident = declare(app, "dana", severity="SEV1")
    a, _ = join_all(app, incident, "dana", "fox")
    roles = {k: d for k, d in deadlines(a, incident).items() if k.startswith("role:")}
    assert sorted(roles) == ["role:communications_lead", "role:scribe", "role:technical_lead"]
    assert {d["due_at"] for d in roles.values()} == {"2026-03-14T02:15:00Z"}
    assert not any(d["overdue"] for d in roles.values())
    clock.advance(minutes=15)
    assert all(d["overdue"] for k, d in deadlines(a, incident).items() if k.startswith("role:"))


def test_sev2_needs_commander_and_technical_lead_sev3_none(app, clock, dana) -> None:
    sev2 = declare(app, "dana", severity="SEV2")
    sev3 = declare(app, "dana", severity="SEV3")
    [a] = join_all(app, sev2, "dana")
    assert [k for k in deadlines(a, sev2) if k.startswith("role:")] == ["role:technical_lead"]
    assert deadlines(a, sev3) == {}


def test_a_claim_clears_the_deadline_and_everyone_gets_new_timers(app, clock, dana, fox) -> None:
    incident = declare(app, "dana", severity="SEV2")
    a, b = join_all(app, incident, "dana", "fox")
    change(b, "role.claim", {"incident_id": incident, "role": "technical_lead"})
    [pushed] = received(a, "timers")
    assert pushed["incident_id"] == incident
    assert "role:technical_lead" not in {d["key"] for d in pushed["deadlines"]}


def test_only_entries_that_move_a_deadline_push_new_timers(app, clock, dana, fox) -> None:
    incident = declare(app, "dana", severity="SEV2")
    a, b = join_all(app, incident, "dana", "fox")
    add_entry(b, incident, "Rolled back payments-gateway")
    assert received(a, "timers") == []
    add_entry(b, incident, "Checkout degraded; rollback under way", kind="update")
    [pushed] = received(a, "timers")
    assert pushed["deadlines"] == timers(a, incident)["deadlines"]


def test_an_update_resets_the_countdown_of_its_audience(app, clock, dana) -> None:
    incident = declare(app, "dana", severity="SEV2")
    [a] = join_all(app, incident, "dana")
    assert deadlines(a, incident)["stakeholder_update"]["due_at"] == "2026-03-14T02:15:00Z"
    assert deadlines(a, incident)["status_page_update"]["due_at"] == "2026-03-14T02:30:00Z"
    clock.advance(minutes=16)
    assert deadlines(a, incident)["stakeholder_update"]["overdue"] is True
    add_entry(a, incident, "Checkout degraded; rollback under way", kind="update")
    due = deadlines(a, incident)
    assert due["stakeholder_update"] == {
        "key": "stakeholder_update",
        "label": "Stakeholder update",
        "due_at": "2026-03-14T02:31:00Z",
        "warn_at": "2026-03-14T02:29:00Z",
        "overdue": False,
        "owner_role": "incident_commander",
        "owner": {"id": 1, "username": "dana", "display_name": "Dana Scully"},
    }
    assert due["status_page_update"]["due_at"] == "2026-03-14T02:30:00Z"
    clock.advance(minutes=4)
    public = "Some customers cannot check out; we are rolling back."
    add_entry(a, incident, public, kind="update", details={"audience": "status_page"})
    due = deadlines(a, incident)
    assert due["status_page_update"]["due_at"] == "2026-03-14T02:50:00Z"
    assert due["stakeholder_update"]["due_at"] == "2026-03-14T02:31:00Z"


def test_updates_are_the_communications_leads_deadline_roles_the_ics(app, clock, dana, fox) -> None:
    incident = declare(app, "dana", severity="SEV2")
    a, b = join_all(app, incident, "dana", "fox")
    owners = {
        k: (d["owner_role"], d["owner"]["username"]) for k, d in deadlines(a, incident).items()
    }
    assert owners["stakeholder_update"] == ("incident_commander", "dana")  # nobody else yet
    change(b, "role.claim", {"incident_id": incident, "role": "communications_lead"})
    due = deadlines(a, incident)
    assert due["stakeholder_update"]["owner"]["username"] == "fox"
    assert due["status_page_update"]["owner_role"] == "communications_lead"
    assert due["role:technical_lead"]["owner"]["username"] == "dana"
    assert due["role:technical_lead"]["warn_at"] == "2026-03-14T02:13:00Z"


def test_a_sev2_counts_down_to_its_escalation_from_the_declaration(app, clock, dana) -> None:
    incident = declare(app, "dana", severity="SEV2")
    [a] = join_all(app, incident, "dana")
    escalation = deadlines(a, incident)["escalation"]
    assert escalation["label"] == "SEV1 escalation unless mitigated"
    assert (escalation["due_at"], escalation["warn_at"]) == (
        "2026-03-14T03:00:00Z",
        "2026-03-14T02:55:00Z",
    )
    change(a, "incident.update", {"incident_id": incident, "status": "mitigated"})
    assert "escalation" not in deadlines(a, incident)


def test_no_update_cadence_for_sev3(app, clock, dana) -> None:
    incident = declare(app, "dana", severity="SEV3")
    [a] = join_all(app, incident, "dana")
    assert "stakeholder_update" not in deadlines(a, incident)


def test_sev2_not_mitigated_in_60_minutes_prompts_escalation_once(app, clock, dana, fox) -> None:
    incident = declare(app, "dana", severity="SEV2")
    a, b = join_all(app, incident, "dana", "fox")
    clock.advance(minutes=59)
    assert run_background_pass(app) == 0
    clock.advance(minutes=1)
    assert run_background_pass(app) == 1
    [event] = received(b)
    assert event["type"] == "incident.escalation_prompted"
    assert event["actor"] is None
    assert event["data"]["entry"]["kind"] == "escalation"
    assert timers(a, incident)["escalation_prompt"] is True
    clock.advance(minutes=5)
    assert run_background_pass(app) == 0
    assert event_count(app, incident, "incident.escalation_prompted") == 1


def test_a_mitigated_sev2_is_not_escalated(app, clock, dana) -> None:
    incident = declare(app, "dana", severity="SEV2")
    [a] = join_all(app, incident, "dana")
    change(a, "incident.update", {"incident_id": incident, "status": "mitigated"})
    clock.advance(minutes=90)
    assert run_background_pass(app) == 0
    assert timers(a, incident)["escalation_prompt"] is False


def test_the_commander_escalates_to_sev1_with_a_reason(app, clock, dana, fox) -> None:
    incident = declare(app, "dana", severity="SEV2")
    a, b = join_all(app, incident, "dana", "fox")
    payload = {"incident_id": incident, "reason": "Error rate still climbing"}
    assert change(b, "incident.escalate", payload)["error"]["code"] == "forbidden"
    ack = change(a, "incident.escalate", payload)
    assert ack["incident"]["severity"] == "SEV1"
    [event] = received(b)
    assert event["data"]["entry"]["text"] == (
        "Dana Scully escalated SEV2 → SEV1: Error rate still climbing"
    )


def test_unclassified_for_10_minutes_defaults_to_sev2(app, clock, dana) -> None:
    incident = declare(app, "dana")
    [a] = join_all(app, incident, "dana")
    assert deadlines(a, incident)["classify"]["due_at"] == "2026-03-14T02:10:00Z"
    clock.advance(minutes=9, seconds=59)
    assert run_background_pass(app) == 0
    clock.advance(seconds=1)
    assert run_background_pass(app) == 1
    [event] = received(a)
    assert event["type"] == "incident.severity_defaulted"
    assert event["data"]["incident"]["severity"] == "SEV2"
    assert run_background_pass(app) == 0
    assert "classify" not in deadlines(a, incident)


def test_classified_in_time_is_left_alone(app, clock, dana) -> None:
    incident = declare(app, "dana")
    [a] = join_all(app, incident, "dana")
    clock.advance(minutes=4)
    change(a, "incident.update", {"incident_id": incident, "severity": "SEV3"})
    clock.advance(minutes=20)
    assert run_background_pass(app) == 0
    assert call(a, "join", {"incident_id": incident})["incident"]["severity"] == "SEV3"


def test_rules_are_applied_when_someone_opens_a_room_nobody_watched(app, clock, dana) -> None:
    incident = declare(app, "dana")
    clock.advance(minutes=30)
    [a] = join_all(app, incident, "dana")
    state = call(a, "join", {"incident_id": incident})
    assert state["incident"]["severity"] == "SEV2"
    assert [e["kind"] for e in state["timeline"]][-1] == "status"


def test_racing_background_passes_apply_a_rule_once(database_url, clock) -> None:
    """Two workers' job passes at the same moment: one escalation prompt, not two."""
    apps = [make_app(database_url), make_app(database_url)]
    add_user(apps[0], "dana", "Dana Scully")
    incident = declare(apps[0], "dana", severity="SEV2")
    clock.advance(minutes=61)
    start = threading.Barrier(len(apps))

    def job_pass(app) -> None:
        start.wait(timeout=30)
        run_background_pass(app)

    all_at_once(*(lambda app=app: job_pass(app) for app in apps))
    assert event_count(apps[0], incident, "incident.escalation_prompted") == 1
    for app in apps:
        dispose(app)


def test_after_the_all_clear_the_postmortem_due_date_stays_in_view_until_published(
    app, clock, dana, fox
) -> None:
    incident = declare(app, "dana", severity="SEV2")
    a, b = join_all(app, incident, "dana", "fox")
    resolve(a, b, incident, postmortem_owner="fox")
    [due] = timers(a, incident)["deadlines"]
    assert (due["key"], due["label"], due["owner"]["username"]) == (
        "postmortem",
        "Post-mortem due",
        "fox",
    )
    assert (due["due_at"], due["warn_at"]) == ("2026-03-16T02:00:00Z", "2026-03-15T14:00:00Z")
    ref = {"incident_id": incident}
    change(b, "postmortem.set_status", {**ref, "status": "in_review"})
    received(b, "timers")
    published = {**ref, "status": "published", "reason": "Reviewed together in the meeting"}
    assert change(a, "postmortem.set_status", published)["ok"]
    [pushed] = received(b, "timers")
    assert pushed["deadlines"] == []
