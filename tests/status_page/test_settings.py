"""Admins list the status page's components (grouped, ordered, mapped to services); a bad
one is refused with nothing saved; the Atom feed carries the posted updates only."""

from __future__ import annotations

from incident_room.extensions import db
from incident_room.models import StatusComponent, StatusComponentService
from incident_room.services.catalog.services import create_service
from tests.conftest import add_user, declare, logged_in_client
from tests.status_page.helpers import add_component, make_public, post_status_update
from tests.support.web import csrf_from


def settings_form(client) -> str:
    return csrf_from(client.get("/settings/status-page").get_data(as_text=True))


def test_an_admin_adds_changes_and_removes_components(app_on_each_database):
    app = app_on_each_database
    app.config["STATUS_PAGE_RECHECK_SECONDS"] = 0
    add_user(app, "ada", "Ada Admin", admin=True)
    with app.app_context():
        service = create_service("payments-api").id
    ada = logged_in_client(app, "ada")
    form = {"csrf_token": settings_form(ada), "name": "Checkout", "group_name": "Shop"}
    added = ada.post("/settings/status-page", data={**form, "services": str(service)})
    assert added.status_code == 302
    with app.app_context():
        checkout = db.session.scalar(db.select(StatusComponent))
        assert (checkout.group_name, checkout.state) == ("Shop", "operational")
        assert db.session.scalar(db.select(StatusComponentService.service_id)) == service

    duplicate = ada.post("/settings/status-page", data={**form, "group_name": "Other"})
    assert duplicate.status_code == 400
    assert "already a component called" in duplicate.get_data(as_text=True)
    unknown = ada.post("/settings/status-page", data={**form, "name": "API", "services": "999"})
    assert unknown.status_code == 400
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(StatusComponent.id))) == 1

    renamed = ada.post(
        f"/settings/status-page/{checkout.id}",
        data={**form, "name": "Payments", "position": "2"},
    )
    assert renamed.status_code == 302
    names = [
        c["name"]
        for c in app.test_client().get("/status/api/v2/components.json").json["components"]
    ]
    assert names == ["Shop", "Payments"]
    removed = ada.post(
        f"/settings/status-page/{checkout.id}/delete", data={"csrf_token": form["csrf_token"]}
    )
    assert removed.status_code == 302
    assert app.test_client().get("/status/api/v2/components.json").json["components"] == []


def test_only_admins_change_components(app):
    add_user(app, "dana", "Dana Scully")
    dana = logged_in_client(app, "dana")
    assert dana.get("/settings/status-page").status_code == 403
    assert app.test_client().get("/settings/status-page").status_code == 302  # to the login


def test_the_atom_feed_carries_the_posted_status_page_updates_only(app):
    app.config["STATUS_PAGE_RECHECK_SECONDS"] = 0
    add_user(app, "ada", "Ada Admin", admin=True)
    add_user(app, "dana", "Dana Scully")
    api = add_component(app, "API")
    incident = declare(app, "dana", title="API errors", severity="SEV2")
    dana = logged_in_client(app, "dana")
    make_public(dana, incident, {api: "partial_outage"})
    post_status_update(dana, incident, "We are looking into API errors.")
    token = csrf_from(dana.get(f"/incidents/{incident}/updates/new").get_data(as_text=True))
    dana.post(
        f"/incidents/{incident}/updates",
        data={"csrf_token": token, "audience": "stakeholders", "text": "Internal: db-7 is down"},
    )
    feed = app.test_client().get("/status/history.atom")
    assert feed.mimetype == "application/atom+xml"
    body = feed.get_data(as_text=True)
    assert "We are looking into API errors." in body and "API errors: Investigating" in body
    assert "db-7" not in body and "Dana" not in body
