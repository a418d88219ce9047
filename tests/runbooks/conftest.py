"""Runbook fixtures: service payments-api, a well-formed runbook text, Dana and Fox logged in."""

from __future__ import annotations

import pytest

from incident_room.services.catalog.services import create_service
from tests.conftest import add_user, logged_in_client
from tests.support.runbooks import GOOD_BODY
from tests.support.web import csrf_from


@pytest.fixture
def rb_app(app_on_each_database):
    """The app (SQLite, then PostgreSQL) with service payments-api and Dana and Fox."""
    app = app_on_each_database
    add_user(app, "dana", "Dana Scully")
    add_user(app, "fox", "Fox Mulder")
    with app.app_context():
        create_service("payments-api")
        create_service("search")
    return app


def runbook_form(client, url: str = "/runbooks/new", **fields: str) -> dict[str, str]:
    token = csrf_from(client.get(url).get_data(as_text=True))
    return {
        "csrf_token": token,
        "service": "payments-api",
        "alert_key": "PaymentsHighErrorRate",
        "owner": "Payments team",
        "body": GOOD_BODY,
        **fields,
    }


def write_runbook(client, **fields: str):
    """POST a new runbook through the form; returns the response."""
    return client.post("/runbooks", data=runbook_form(client, **fields))


@pytest.fixture
def dana(rb_app):
    return logged_in_client(rb_app, "dana")
