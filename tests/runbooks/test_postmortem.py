"""The post-mortem remembers the runbook: which was used and which of its steps were done,
asks whether it needs changes, and suggests writing one when the alert came with none."""

from __future__ import annotations

from tests.conftest import declare, logged_in_client
from tests.insights.conftest import resolve
from tests.runbooks.test_room import ALERT, STEPS, post_alert, with_runbook
from tests.socket.helpers import change, join_all


def all_clear(app, incident_id: int) -> None:
    with app.app_context():
        resolve(incident_id, "dana")


def test_the_postmortem_records_the_runbook_used_and_the_steps_done(rb_app) -> None:
    with_runbook(rb_app)
    incident_id = post_alert(rb_app).get_json()["incident"]["id"]
    [fox] = join_all(rb_app, incident_id, "fox")
    state = change(fox, "join", {"incident_id": incident_id})
    rollback = next(item for item in state["checklist"] if item["text"] == STEPS[2])
    ticked = change(
        fox,
        "checklist.toggle",
        {"incident_id": incident_id, "item_id": rollback["id"], "done": True},
    )
    assert ticked["ok"]
    all_clear(rb_app, incident_id)

    dana = logged_in_client(rb_app, "dana")
    markdown = dana.get(f"/incidents/{incident_id}/postmortem.md").get_data(as_text=True)
    runbooks = markdown.split("## Runbooks")[1].split("\n## ")[0]
    assert (
        "PaymentsHighErrorRate - payments-api Runbook** (version 1): 1 of 4 steps done." in runbooks
    )
    assert "| yes | Fox Mulder |" in runbooks
    assert "does it need changes?" in runbooks
    assert "Suggested action item" not in runbooks
    page = dana.get(f"/incidents/{incident_id}/postmortem").get_data(as_text=True)
    assert "1 of 4 steps done." in page and "does it need changes?" in page
    assert "Change PaymentsHighErrorRate - payments-api Runbook" in page


def test_an_alert_without_a_runbook_suggests_writing_one_as_an_action_item(rb_app) -> None:
    incident_id = post_alert(rb_app).get_json()["incident"]["id"]
    all_clear(rb_app, incident_id)
    dana = logged_in_client(rb_app, "dana")
    suggestion = f"Write a runbook for alert {ALERT['alert_key']}: it fired with none."
    markdown = dana.get(f"/incidents/{incident_id}/postmortem.md").get_data(as_text=True)
    assert f"**Suggested action item:** {suggestion}" in markdown
    page = dana.get(f"/incidents/{incident_id}/postmortem").get_data(as_text=True)
    assert f'data-suggested-item="{suggestion}"' in page


def test_an_incident_declared_by_hand_has_no_runbook_part(rb_app) -> None:
    incident_id = declare(rb_app, "dana", severity="SEV3")
    all_clear(rb_app, incident_id)
    markdown = logged_in_client(rb_app, "dana").get(f"/incidents/{incident_id}/postmortem.md")
    assert "## Runbooks" not in markdown.get_data(as_text=True)
