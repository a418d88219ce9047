"""The public status page: a public incident's posted status-page updates and component
states on /status and in Statuspage's JSON, nothing from private incidents or drills, the
IC's choice on the incident's log, bad input refused with nothing saved, and the cache."""

from __future__ import annotations

import time
import uuid
from typing import Any

import pytest

from incident_room.extensions import db
from incident_room.models import IncidentEvent, StatusComponent, StatusPublicIncident
from incident_room.services.status_page.cache import read_key
from tests.conftest import add_user, declare, logged_in_client
from tests.insights.conftest import resolve
from tests.status_page.helpers import add_component, make_public, post_status_update
from tests.support.web import csrf_from

FIRST = "We are investigating errors at checkout."
SECOND = "A fix is being rolled out; checkout is recovering."


@pytest.fixture
def site(app_on_each_database) -> dict[str, Any]:
    app = app_on_each_database
    app.config["STATUS_PAGE_RECHECK_SECONDS"] = 0  # every request sees the last change
    add_user(app, "ada", "Ada Admin", admin=True)
    add_user(app, "dana", "Dana Scully")
    add_user(app, "fox", "Fox Mulder")
    checkout = add_component(app, "Checkout", "Shop", 1, service="payments-api")
    api = add_component(app, "API", "Platform", 1)
    dashboard = add_component(app, "Dashboard", "Platform", 2)
    return {"app": app, "checkout": checkout, "api": api, "dashboard": dashboard}


def test_a_public_sev1_with_two_posted_updates_shows_both_with_indicator_and_states(site):
    app = site["app"]
    incident = declare(app, "dana", title="Checkout down on db-prod-3", severity="SEV1")
    dana = logged_in_client(app, "dana")
    states = {site["checkout"]: "major_outage", site["api"]: "degraded_performance"}
    assert make_public(dana, incident, states).status_code == 302
    assert post_status_update(dana, incident, FIRST).status_code == 302
    assert post_status_update(dana, incident, SECOND + " Ask dana@example.com").status_code == 302

    page = app.test_client().get("/status")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Set-Cookie" not in page.headers
    assert "Major System Outage" in html
    assert html.index(SECOND) < html.index(FIRST)  # newest first
    assert "db-prod-3" not in html and "dana@example.com" not in html and "Dana" not in html

    summary = app.test_client().get("/status/api/v2/summary.json").get_json()
    assert summary["status"] == {"indicator": "critical", "description": "Major System Outage"}
    by_name = {c["name"]: c for c in summary["components"]}
    assert by_name["Checkout"]["status"] == "major_outage"
    assert by_name["API"]["status"] == "degraded_performance"
    assert by_name["Dashboard"]["status"] == "operational"
    assert by_name["Platform"]["group"] is True
    assert by_name["API"]["group_id"] == by_name["Platform"]["id"]
    [public] = summary["incidents"]
    assert public["impact"] == "critical" and public["status"] == "investigating"
    bodies = [u["body"] for u in public["incident_updates"]]
    assert bodies[0].startswith(SECOND) and bodies[1] == FIRST
    assert "db-prod-3" not in public["name"]
    assert "dana@example.com" not in bodies[0]


def test_making_an_incident_public_is_on_its_event_log_and_only_for_the_ic(site):
    app = site["app"]
    incident = declare(app, "dana", severity="SEV2")
    fox = logged_in_client(app, "fox")
    refused = make_public(fox, incident, {site["api"]: "partial_outage"})
    assert refused.status_code == 403
    dana = logged_in_client(app, "dana")
    assert make_public(dana, incident, {site["api"]: "partial_outage"}).status_code == 302
    with app.app_context():
        event = db.session.scalar(
            db.select(IncidentEvent).filter_by(incident_id=incident, type="status_page.published")
        )
        assert event.data["components"] == [
            {"id": site["api"], "name": "API", "state": "partial_outage"}
        ]


def test_a_non_public_private_or_drill_incident_never_appears(site):
    app = site["app"]
    declare(app, "dana", title="Quiet incident", severity="SEV1")
    private = declare(app, "dana", title="Secret incident", severity="SEV1", private=True)
    drill = declare(app, "dana", title="Practice incident", severity="SEV1", drill=True)
    dana = logged_in_client(app, "dana")
    for incident in (private, drill):
        assert make_public(dana, incident, {site["api"]: "major_outage"}).status_code == 400
    anonymous = app.test_client()
    for url in ("/status", "/status/api/v2/summary.json", "/status/api/v2/incidents.json"):
        body = anonymous.get(url).get_data(as_text=True)
        assert "Quiet" not in body and "Secret" not in body and "Practice" not in body
    assert anonymous.get(f"/status/incidents/{private}").status_code == 404
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(StatusPublicIncident.incident_id))) == 0


def test_an_unknown_component_state_is_refused_and_nothing_is_saved(site):
    app = site["app"]
    incident = declare(app, "dana", severity="SEV2")
    dana = logged_in_client(app, "dana")
    refused = make_public(dana, incident, {site["api"]: "on_fire"})
    assert refused.status_code == 400
    assert "A component is one of" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(StatusPublicIncident, incident) is None
        assert db.session.get(StatusComponent, site["api"]).state == "operational"


def test_the_all_clear_offers_to_set_the_components_back(site):
    app = site["app"]
    incident = declare(app, "dana", severity="SEV3")
    dana = logged_in_client(app, "dana")
    make_public(dana, incident, {site["checkout"]: "degraded_performance"})
    with app.app_context():
        resolve(incident, "dana")
    offer = dana.get(f"/incidents/{incident}/status-page").get_data(as_text=True)
    assert "Set the components back" in offer
    token = csrf_from(offer)
    restored = dana.post(
        f"/incidents/{incident}/status-page/restore",
        data={"csrf_token": token, "op_id": str(uuid.uuid4())},
    )
    assert restored.status_code == 302
    summary = app.test_client().get("/status/api/v2/components.json").get_json()
    assert {c["name"]: c["status"] for c in summary["components"]}["Checkout"] == "operational"
    incidents = app.test_client().get("/status/api/v2/incidents/unresolved.json").get_json()
    assert incidents["incidents"] == []


def test_the_page_is_served_from_cache_with_validators_and_a_304(site):
    app = site["app"]
    app.config["STATUS_PAGE_RECHECK_SECONDS"] = 0.3
    client = app.test_client()
    first = client.get("/status/api/v2/status.json")
    assert first.headers["ETag"] and first.headers["Last-Modified"]
    assert first.headers["Cache-Control"] == "public, max-age=10, stale-while-revalidate=30"
    assert first.headers["Content-Security-Policy"] and "Set-Cookie" not in first.headers
    etag = {"If-None-Match": first.headers["ETag"]}
    assert client.get("/status/api/v2/status.json", headers=etag).status_code == 304
    served = client.get("/status/api/v2/status.json")
    assert served.get_data() == first.get_data()
    assert served.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]

    incident = declare(app, "dana", severity="SEV2")
    make_public(logged_in_client(app, "dana"), incident, {site["api"]: "partial_outage"})
    with app.app_context():
        version = read_key()
    # The live page asks for the version it was told about: that is read at once.
    told = client.get(f"/status/api/v2/status.json?v={version}")
    assert told.get_json()["status"]["indicator"] == "major"
    time.sleep(0.35)  # every other reader sees it within STATUS_PAGE_RECHECK_SECONDS
    changed = client.get("/status/api/v2/status.json", headers=etag)
    assert changed.status_code == 200
    assert changed.get_json()["status"]["indicator"] == "major"


def test_made_up_queries_are_answered_but_not_kept(site):
    app = site["app"]
    app.config["STATUS_PAGE_RECHECK_SECONDS"] = 60
    client = app.test_client()
    for n in range(5):
        assert client.get(f"/status/api/v2/status.json?junk={n}").status_code == 200
    client.get("/status/api/v2/status.json")
    assert list(app.wsgi_app.kept) == ["/status/api/v2/status.json?"]
