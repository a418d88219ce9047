"""The runbooks overview: the share of alerts that came with a runbook (above 80% healthy,
below 50% unhealthy) and, per runbook, how often it was used and the time from its first
step ticked to mitigation."""

from __future__ import annotations

import re

from tests.conftest import logged_in_client
from tests.insights.conftest import _move, resolve
from tests.runbooks.test_room import STEPS, post_alert, with_runbook
from tests.socket.helpers import call, change, join_all


def health(client) -> tuple[str, str]:
    page = client.get("/runbooks/overview").get_data(as_text=True)
    match = re.search(r'data-health="(\w+)">\s*<strong>(\d+%)</strong>', page)
    return match.group(1), match.group(2)


def alert_and_resolve(app, **fields) -> int:
    incident_id = post_alert(app, **fields).get_json()["incident"]["id"]
    with app.app_context():
        resolve(incident_id, "dana")
    return incident_id


def test_the_share_of_alerts_with_a_runbook_is_judged_by_the_playbook(rb_app) -> None:
    with_runbook(rb_app)
    fox = logged_in_client(rb_app, "fox")
    assert "No incident has been opened by an alert yet." in fox.get("/runbooks/overview").text
    alert_and_resolve(rb_app)
    alert_and_resolve(rb_app, alert_key="DiskFull")
    alert_and_resolve(rb_app, alert_key="CertExpiry")
    assert health(fox) == ("unhealthy", "33%")
    for _ in range(3):
        alert_and_resolve(rb_app)
    assert health(fox) == ("watch", "66%")
    for _ in range(5):
        alert_and_resolve(rb_app)
    assert health(fox) == ("healthy", "81%")


def test_each_runbook_shows_its_uses_and_the_time_from_first_step_to_mitigation(
    rb_app, clock
) -> None:
    with_runbook(rb_app)
    with_runbook(rb_app, alert_key="SearchSlow")
    for minutes_to_mitigate in (12, 20):
        incident_id = post_alert(rb_app).get_json()["incident"]["id"]
        [fox] = join_all(rb_app, incident_id, "fox")
        state = call(fox, "join", {"incident_id": incident_id})
        step = next(item for item in state["checklist"] if item["text"] == STEPS[0])
        clock.advance(minutes=5)
        toggle = {"incident_id": incident_id, "item_id": step["id"], "done": True}
        assert change(fox, "checklist.toggle", toggle)["ok"]
        clock.advance(minutes=1)
        with rb_app.app_context():
            _move(incident_id, "dana", "investigating")
            clock.advance(minutes=minutes_to_mitigate - 1)
            _move(incident_id, "dana", "mitigated")
            resolve(incident_id, "dana")
    page = logged_in_client(rb_app, "fox").get("/runbooks/overview").get_data(as_text=True)
    row = page.split('data-runbook="PaymentsHighErrorRate"')[1].split("</tr>")[0]
    assert "<td>2</td>" in row and "16 min" in row and "over 2" in row
    unused = page.split('data-runbook="SearchSlow"')[1].split("</tr>")[0]
    assert "<td>0</td>" in unused and "—" in unused
