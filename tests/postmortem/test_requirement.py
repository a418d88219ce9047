"""Whether to hold a post-mortem, decided at the all-clear by the playbook's rules and
explained; the IC asks for one or waives a required one with a reason. On SQLite and
PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select, update

from incident_room.extensions import db
from incident_room.models import Incident, IncidentEvent, WorkerHeartbeat
from incident_room.realtime import presence
from incident_room.services.status_page.components import ComponentSettings, save_component
from incident_room.services.status_page.incidents import publish_incident
from incident_room.services.updates.posting import post_update
from incident_room.unit_of_work import run_change
from tests.conftest import add_user, declare, logged_in_client, socket_client
from tests.socket.helpers import alone, call, change
from tests.support.followup import all_clear, requirement, user_named


def codes(decision: dict[str, Any]) -> list[str]:
    return [reason["code"] for reason in decision["reasons"]]


def test_every_sev1_requires_a_post_mortem_and_a_sev4_does_not(db_app, clock) -> None:
    sev1 = all_clear(db_app, declare(db_app, "dana", severity="SEV1"))
    assert (sev1["required"], codes(sev1), sev1["held"]) == (True, ["severity"], True)
    assert sev1["summary"] == "Post-mortem required: Every SEV1 gets a post-mortem."
    sev4 = all_clear(db_app, declare(db_app, "dana", severity="SEV4"))
    assert (sev4["required"], sev4["reasons"], sev4["held"]) == (False, [], False)


def test_a_sev2_requires_one_when_customers_were_told_on_the_status_page(db_app, clock) -> None:
    quiet = declare(db_app, "dana", severity="SEV2")
    public = declare(db_app, "dana", severity="SEV2", title="Login page down")
    with db_app.app_context():
        dana = user_named("dana")
        run_change(
            public,
            dana,
            lambda i: post_update(i, dana, "status_page", "We are investigating login errors."),
        )
    assert all_clear(db_app, quiet)["required"] is False
    decision = all_clear(db_app, public)
    assert codes(decision) == ["customer_impact"]
    assert "status page" in decision["reasons"][0]["message"]


def test_more_than_four_hours_in_the_room_requires_one(db_app, clock) -> None:
    """Dana 3.5 h and Fox 3 h (his two tabs overlap for an hour, counted once) while the
    SEV3 was open: 6.5 h. The time they stay after the all-clear does not count."""
    incident = declare(db_app, "dana", severity="SEV3")
    dana = socket_client(db_app, "dana")
    assert call(dana, "join", {"incident_id": incident})["ok"]
    clock.advance(minutes=30)
    fox_tabs = [socket_client(db_app, "fox") for _ in range(2)]
    for tab in fox_tabs:
        assert call(tab, "join", {"incident_id": incident})["ok"]
        clock.advance(hours=1)
    fox_tabs[0].disconnect()
    clock.advance(hours=1)
    fox_tabs[1].disconnect()
    decision = change(dana, "incident.all_clear", alone(incident))
    assert decision["ok"], decision
    clock.advance(hours=3)
    decision = requirement(db_app, incident)
    assert decision["engineering_hours"] == 6.5
    assert codes(decision) == ["engineering_time"]
    assert decision["reasons"][0]["message"] == (
        "It took 6.5 hours of engineering time, more than 4 hours."
    )


def test_four_hours_or_less_in_the_room_does_not(db_app, clock) -> None:
    incident = declare(db_app, "dana", severity="SEV3")
    dana = socket_client(db_app, "dana")
    assert call(dana, "join", {"incident_id": incident})["ok"]
    clock.advance(hours=4)
    decision = all_clear(db_app, incident)
    assert (decision["engineering_hours"], decision["required"]) == (4.0, False)


def test_the_third_sev3_of_one_alert_within_90_days_requires_one(db_app, clock) -> None:
    old = declare(db_app, "dana", severity="SEV3", alert_key="db-pool-saturated")
    all_clear(db_app, old)
    clock.advance(days=91)  # the first falls out of the window
    first, second = (
        all_clear(db_app, declare(db_app, "dana", severity="SEV3", alert_key="db-pool-saturated"))
        for _ in range(2)
    )
    other = declare(db_app, "dana", severity="SEV3", alert_key="disk-full")
    assert (first["required"], second["required"], all_clear(db_app, other)["required"]) == (
        False,
        False,
        False,
    )
    clock.advance(days=80)
    third = all_clear(
        db_app, declare(db_app, "dana", severity="SEV3", alert_key="db-pool-saturated")
    )
    assert codes(third) == ["recurring"]
    assert third["reasons"][0]["message"] == (
        "The 3rd SEV3 of the same service or alert key within 90 days."
    )


@pytest.fixture
def sev4(db_app, clock) -> tuple[int, Any]:
    """A resolved SEV4 (no post-mortem required), and Dana, its IC."""
    incident = declare(db_app, "dana", severity="SEV4")
    all_clear(db_app, incident)
    return incident, socket_client(db_app, "dana")


def _set(client: Any, incident: int, **payload: Any) -> dict[str, Any]:
    assert call(client, "join", {"incident_id": incident})["ok"]
    return change(client, "postmortem.requirement.set", {"incident_id": incident, **payload})


def _events(app: Flask, incident: int) -> list[IncidentEvent]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(IncidentEvent).filter_by(
                    incident_id=incident, type="postmortem.requirement_set"
                )
            )
        )


def test_the_ic_asks_for_one_the_rules_do_not_require(db_app, sev4) -> None:
    incident, dana = sev4
    ack = _set(dana, incident, choice="asked")
    assert ack["ok"], ack
    assert (ack["requirement"]["held"], ack["requirement"]["choice_by"]["username"]) == (
        True,
        "dana",
    )
    [event] = _events(db_app, incident)
    assert event.data["entry"]["text"] == (
        "Dana Scully asked for a post-mortem although none is required."
    )
    refused = _set(dana, incident, choice="waived", reason="Nothing to learn")
    assert refused["error"]["code"] == "invalid" and refused["error"]["field"] == "choice"


def test_a_required_one_is_waived_only_with_a_reason_recorded(db_app, clock) -> None:
    incident = declare(db_app, "dana", severity="SEV1")
    all_clear(db_app, incident)
    dana, fox = socket_client(db_app, "dana"), socket_client(db_app, "fox")
    for reason in ({}, {"reason": ""}, {"reason": None}):
        ack = _set(dana, incident, choice="waived", **reason)
        assert (ack["ok"], ack["error"]["code"]) == (False, "invalid"), reason
    assert _set(fox, incident, choice="waived", reason="I say so")["error"]["code"] == ("forbidden")
    assert _set(dana, incident, choice="bogus", reason="x")["error"]["field"] == "choice"
    assert _events(db_app, incident) == []
    assert requirement(db_app, incident)["choice"] is None
    ack = _set(dana, incident, choice="waived", reason="Duplicate of INC-7, reviewed there")
    assert ack["requirement"]["held"] is False
    assert ack["requirement"]["summary"] == (
        "Post-mortem waived by Dana Scully: Duplicate of INC-7, reviewed there"
    )
    [event] = _events(db_app, incident)
    assert event.data["requirement"]["choice_reason"] == "Duplicate of INC-7, reviewed there"
    assert requirement(db_app, incident, "fox")["choice"] == "waived"


def test_the_page_and_the_all_clear_entry_say_whether_and_why(db_app, clock) -> None:
    incident = declare(db_app, "dana", severity="SEV1")
    all_clear(db_app, incident)
    with db_app.app_context():
        entry = db.session.scalar(
            select(IncidentEvent).filter_by(incident_id=incident, type="incident.all_clear")
        )
        assert entry.data["entry"]["text"].endswith(
            "Post-mortem required: Every SEV1 gets a post-mortem."
        )
        assert db.session.get(Incident, incident).status == "resolved"
    page = logged_in_client(db_app, "fox").get(f"/incidents/{incident}/postmortem")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'data-field="requirement-verdict">Required<' in html
    assert "Every SEV1 gets a post-mortem." in html


def test_a_stay_on_a_worker_that_died_ends_when_it_is_swept(db_app, clock) -> None:
    """Time in the room survives the worker: its stays end when the dead worker is swept,
    not when the all-clear comes hours later."""
    incident = declare(db_app, "dana", severity="SEV3")
    with db_app.app_context():
        dana = user_named("dana")
        presence.enter("sid-on-a-dead-worker", incident, dana.id)
        clock.advance(hours=1)
        long_ago = datetime.now(UTC) - timedelta(hours=1)
        db.session.execute(update(WorkerHeartbeat).values(beat_at=long_ago))
        db.session.commit()
        assert presence.sweep_dead_workers() == [incident]
    clock.advance(hours=5)
    assert all_clear(db_app, incident)["engineering_hours"] == 1.0


def _tag(app: Flask, incident: int, tag: Any) -> dict[str, Any]:
    client = socket_client(app, "dana")
    assert call(client, "join", {"incident_id": incident})["ok"]
    return change(client, "postmortem.cause.tag", {"incident_id": incident, "tag": tag})


def test_the_third_sev3_with_one_cause_tag_requires_one_even_across_services(db_app, clock) -> None:
    incidents = [
        declare(db_app, "dana", severity="SEV3", alert_key=key)
        for key in ("cert-api", "cert-web", "cert-mail")
    ]
    for incident in incidents:
        assert all_clear(db_app, incident)["required"] is False  # three different alerts
    refused = _tag(db_app, incidents[0], "Expired cert!")
    assert (refused["error"]["code"], refused["error"]["field"]) == ("invalid", "tag")
    assert _tag(db_app, incidents[0], "Expired Cert")["requirement"]["cause_tag"] == "expired-cert"
    assert _tag(db_app, incidents[1], "expired-cert")["requirement"]["required"] is False
    third = _tag(db_app, incidents[2], "expired-cert")["requirement"]
    assert (third["required"], codes(third)) == (True, ["recurring_cause"])
    assert third["reasons"][0]["message"] == (
        "The 3rd SEV3 with the cause expired-cert within 90 days."
    )
    with db_app.app_context():
        texts = db.session.scalars(
            select(IncidentEvent).where(
                IncidentEvent.incident_id == incidents[2],
                IncidentEvent.type == "postmortem.cause_tagged",
            )
        )
        [event] = list(texts)
        assert event.data["entry"]["text"].endswith("A post-mortem is now required.")


def test_a_sev2_on_the_public_status_page_had_customer_impact(db_app, clock) -> None:
    incident = declare(db_app, "dana", severity="SEV2", title="Payments failing")
    add_user(db_app, "ada", "Ada Admin", admin=True)
    with db_app.app_context():
        api = save_component(user_named("ada"), ComponentSettings("API")).id
        dana = user_named("dana")
        run_change(incident, dana, lambda i: publish_incident(i, dana, {api: "partial_outage"}))
    assert codes(all_clear(db_app, incident)) == ["customer_impact"]
