"""Scheduled maintenance: shown ahead of time, in progress and completed by the clock,
with its updates; one that ends before it starts is refused and nothing is saved."""

from __future__ import annotations

from incident_room.extensions import db
from incident_room.models import StatusMaintenance
from tests.conftest import add_user, logged_in_client
from tests.status_page.helpers import add_component
from tests.support.web import csrf_from


def schedule(client, **form):
    token = csrf_from(client.get("/settings/status-page").get_data(as_text=True))
    return client.post("/settings/status-page/maintenances", data={"csrf_token": token, **form})


def test_a_maintenance_moves_from_scheduled_to_in_progress_to_completed_by_the_clock(
    app_on_each_database, clock
):
    app = app_on_each_database
    app.config["STATUS_PAGE_RECHECK_SECONDS"] = 0  # every request reads the clock again
    add_user(app, "ada", "Ada Admin", admin=True)
    api = add_component(app, "API")
    ada = logged_in_client(app, "ada")
    planned = schedule(
        ada,
        title="Database upgrade",
        starts_at="2026-03-14T03:00",
        ends_at="2026-03-14T04:00",
        components=str(api),
    )
    assert planned.status_code == 302
    token = csrf_from(ada.get("/settings/status-page").get_data(as_text=True))
    with app.app_context():
        maintenance_id = db.session.scalar(db.select(StatusMaintenance.id))
    note = "We will upgrade the database; the API may be slow."
    ada.post(
        f"/settings/status-page/maintenances/{maintenance_id}/updates",
        data={"csrf_token": token, "body": note},
    )
    public = app.test_client()

    def seen() -> dict:
        return public.get("/status/api/v2/scheduled-maintenances.json").get_json()

    [ahead] = seen()["scheduled_maintenances"]
    assert ahead["status"] == "scheduled" and ahead["scheduled_for"] == "2026-03-14T03:00:00Z"
    assert ahead["components"][0]["name"] == "API"
    assert ahead["incident_updates"][0]["body"] == note
    page = public.get("/status").get_data(as_text=True)
    assert "Database upgrade" in page and note in page

    clock.advance(hours=1, minutes=30)  # 03:30
    assert seen()["scheduled_maintenances"][0]["status"] == "in_progress"
    status = public.get("/status/api/v2/status.json").get_json()["status"]
    assert status == {"indicator": "maintenance", "description": "Service Under Maintenance"}
    active = public.get("/status/api/v2/scheduled-maintenances/active.json").get_json()
    assert len(active["scheduled_maintenances"]) == 1

    clock.advance(hours=1)  # 04:30
    [done] = seen()["scheduled_maintenances"]
    assert done["status"] == "completed" and done["resolved_at"] == "2026-03-14T04:00:00Z"
    summary = public.get("/status/api/v2/summary.json").get_json()
    assert summary["scheduled_maintenances"] == []
    assert summary["status"]["indicator"] == "none"


def test_a_maintenance_ending_before_it_starts_is_refused_and_nothing_is_saved(
    app_on_each_database,
):
    app = app_on_each_database
    add_user(app, "ada", "Ada Admin", admin=True)
    ada = logged_in_client(app, "ada")
    refused = schedule(
        ada, title="Backwards", starts_at="2026-03-14T04:00", ends_at="2026-03-14T03:00"
    )
    assert refused.status_code == 400
    assert "A maintenance ends after it starts." in refused.get_data(as_text=True)
    same = schedule(ada, title="Empty", starts_at="2026-03-14T04:00", ends_at="2026-03-14T04:00")
    assert same.status_code == 400
    nonsense = schedule(ada, title="Nonsense", starts_at="soon", ends_at="later")
    assert nonsense.status_code == 400
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(StatusMaintenance.id))) == 0


def test_only_an_admin_schedules_maintenance(app_on_each_database):
    app = app_on_each_database
    add_user(app, "dana", "Dana Scully")
    dana = logged_in_client(app, "dana")
    assert dana.get("/settings/status-page").status_code == 403
