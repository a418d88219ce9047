"""The post-mortem's metrics, replayed from the event log, correct to the second."""

from tests.conftest import declare
from tests.postmortem.exports import document_of, download, pdf_text
from tests.postmortem.scripted import play_scripted_incident, update
from tests.socket.helpers import alone, change, join_all, resolve


def test_metrics_of_a_scripted_incident_are_right_to_the_second(db_app, clock) -> None:
    scripted = play_scripted_incident(db_app, clock)
    metrics = document_of(db_app, scripted.incident_id)["metrics"]
    assert metrics["impact_started_at"] == "2026-03-14T01:52:00Z"
    assert metrics["time_to_detect"] == 8 * 60
    assert metrics["time_to_acknowledge"] == 4 * 60
    assert metrics["time_to_mitigate"] == 40 * 60 + 30
    assert metrics["time_to_resolve"] == 60 * 60 + 30
    assert metrics["resolved_at"] == "2026-03-14T03:00:30Z"
    assert metrics["ongoing"] is False
    assert {d["status"]: d["seconds"] for d in metrics["status_durations"]} == {
        "declared": 240,
        "investigating": 1260,
        "identified": 930,
        "mitigated": 1200,
    }
    assert {d["severity"]: d["seconds"] for d in metrics["severity_durations"]} == {
        "SEV1": 2730,
        "SEV2": 900,
    }


def test_severity_and_status_history_say_who_and_when(scripted, app) -> None:
    document = document_of(app, scripted.incident_id)
    assert [(h["at"], h["from"], h["to"]) for h in document["severity_history"]] == [
        ("2026-03-14T02:00:00Z", None, "SEV2"),
        ("2026-03-14T02:15:00Z", "SEV2", "SEV1"),
    ]
    assert document["severity_history"][1]["actor"]["username"] == "dana"
    assert [h["to"] for h in document["status_history"]] == [
        "declared",
        "investigating",
        "identified",
        "mitigated",
        "resolved",
    ]
    assert [p["value"] for p in document["phases"]["status"]] == [
        "declared",
        "investigating",
        "identified",
        "mitigated",
    ]
    assert document["phases"]["status"][-1]["end"] == "2026-03-14T03:00:30Z"


def test_an_open_incident_is_measured_until_now(app, dana, clock) -> None:
    incident = declare(app, "dana", severity="SEV3")
    clock.advance(minutes=7)
    metrics = document_of(app, incident)["metrics"]
    assert metrics["ongoing"] is True and metrics["duration"] == 420
    assert metrics["time_to_acknowledge"] is None and metrics["time_to_resolve"] is None
    assert metrics["status_durations"] == [
        {"status": "declared", "label": "Declared", "seconds": 420}
    ]


def test_a_reopened_incident_is_resolved_at_its_last_all_clear(scripted, app, clock) -> None:
    update(scripted.responder, scripted.incident_id, status="investigating")
    clock.advance(minutes=30)
    resolve(scripted.ic, scripted.responder, scripted.incident_id)
    metrics = document_of(app, scripted.incident_id)["metrics"]
    assert metrics["resolved_at"] == "2026-03-14T05:30:30Z"
    investigating = {d["status"]: d["seconds"] for d in metrics["status_durations"]}
    assert investigating["investigating"] == 1260 + 30 * 60


def test_the_draft_holds_people_roles_timeline_and_checklist(scripted, app) -> None:
    document = document_of(app, scripted.incident_id)
    assert {p["username"] for p in document["participants"]} == {"dana", "fox"}
    assert document["roles"][0]["role"] == "incident_commander"
    assert document["roles"][0]["how"] == "declared"
    texts = [entry["text"] for entry in document["timeline"]]
    assert texts[0] == "Checkout errors began"  # occurred_at order, not recorded order
    assert "Roll back deploy 4211" in texts
    assert len(document["checklist"]) == 10
    assert document["postmortem"]["status"] == "draft"


def test_a_mitigation_never_recorded_is_said_so_not_inferred(app, dana, clock) -> None:
    """Declared, investigated, then the all-clear: no one ever said it was mitigated."""
    incident = declare(app, "dana", severity="SEV2")
    [ic] = join_all(app, incident, "dana")
    clock.advance(minutes=5)
    update(ic, incident, status="investigating")
    clock.advance(minutes=30)
    assert change(ic, "incident.all_clear", alone(incident))["ok"]
    metrics = document_of(app, incident)["metrics"]
    assert (metrics["mitigated_at"], metrics["time_to_mitigate"]) == (None, None)
    assert metrics["resolved_at"] == "2026-03-14T02:35:00Z"
    markdown = download(app, incident, "postmortem.md").get_data(as_text=True)
    assert "| Mitigated | not recorded |" in markdown
    assert "| Time to mitigate | not recorded |" in markdown
    assert "not recorded" in pdf_text(download(app, incident, "postmortem.pdf").data)
