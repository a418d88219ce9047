"""Drills: a rehearsal is marked as one, its playbook clock may run x10 or x60 so the 10-
and 60-minute rules come in seconds, and nobody outside hears of it (no webhook)."""

from __future__ import annotations

import pytest

from incident_room.extensions import db
from incident_room.models import WebhookDelivery
from incident_room.services.timers import apply_all_due_rules
from tests.conftest import add_user, dispose, logged_in_client, make_app
from tests.http.test_webhooks import add_endpoint
from tests.socket.helpers import call, join_all
from tests.support.web import csrf_from


@pytest.fixture
def app(sqlite_url):
    application = make_app(sqlite_url, OUTBOUND_ALLOW_INTERNAL="127.0.0.1")
    add_user(application, "dana", "Dana Scully")
    add_endpoint(application, "http://127.0.0.1:9/hook")
    yield application
    dispose(application)


def declare_drill(app, **form) -> int:
    client = logged_in_client(app, "dana")
    token = csrf_from(client.get("/incidents").get_data(as_text=True))
    data = {"csrf_token": token, "title": "Game day: payments DB failover", "drill": "on", **form}
    response = client.post("/incidents", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def passes(app, clock, seconds: int) -> None:
    clock.advance(seconds=seconds)
    with app.app_context():
        apply_all_due_rules()


def test_a_drill_at_x60_defaults_its_severity_after_ten_seconds(app, clock) -> None:
    incident = declare_drill(app, drill_speed="60")
    [room] = join_all(app, incident, "dana")
    state = call(room, "join", {"incident_id": incident})["incident"]
    assert (state["drill"], state["drill_speed"], state["severity"]) == (True, 60, None)
    passes(app, clock, 9)
    assert call(room, "join", {"incident_id": incident})["incident"]["severity"] is None
    passes(app, clock, 2)  # 11 s of a x60 clock: past the 10-minute rule
    assert call(room, "join", {"incident_id": incident})["incident"]["severity"] == "SEV2"


def test_a_drill_at_x60_prompts_the_sev2_escalation_after_a_minute(app, clock) -> None:
    incident = declare_drill(app, drill_speed="60", severity="SEV2")
    [room] = join_all(app, incident, "dana")
    passes(app, clock, 61)
    assert call(room, "join", {"incident_id": incident})["timers"]["escalation_prompt"] is True


def test_a_drill_is_heard_of_by_no_webhook(app, clock) -> None:
    declare_drill(app, severity="SEV1")
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(WebhookDelivery)) == 0


@pytest.mark.parametrize("speed", ["7", "x60", "-1"])
def test_a_drill_clock_that_does_not_exist_is_refused(app, speed) -> None:
    client = logged_in_client(app, "dana")
    token = csrf_from(client.get("/incidents").get_data(as_text=True))
    data = {"csrf_token": token, "title": "Game day", "drill": "on", "drill_speed": speed}
    response = client.post("/incidents", data=data)
    assert response.status_code == 400
    assert "A drill&#39;s clock runs at x1, x10, x60" in response.get_data(as_text=True)
