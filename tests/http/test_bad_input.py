"""Bad input over HTTP gets the documented error shape and changes nothing, on every route:
the routes are read from the app's own URL map and fed absurd ids, path values and query
values, so a route added later is swept without anyone listing it."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text

from incident_room.extensions import db
from tests.conftest import add_user, declare, dispose, logged_in_client, make_app

ABSURD_ID = "99999999999999999999"
ABSURD_TEXT = "%ED%A0%80%00" + "x" * 300  # a lone surrogate's bytes, a NUL, and length
ABSURD_QUERY = (
    f"since={ABSURD_ID}&at=9999-99-99T99:99&from=0000-00-00&to=x&team={ABSURD_ID}"
    f"&service=-1&owner=%ED%A0%80&state=%00&audience=%ED%A0%80&limit={ABSURD_ID}&overdue=2"
)
JSON_PREFIXES = ("/api/", "/hooks/")


def absurd_urls(app) -> list[tuple[str, str]]:
    """(method, url) for every rule and method, each path value made absurd."""
    urls = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        path = re.sub(r"<int:[^>]+>", ABSURD_ID, rule.rule)
        path = re.sub(r"<(?:string:|path:)?[^>]+>", ABSURD_TEXT, path)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            urls.append((method, f"{path}?{ABSURD_QUERY}"))
    return urls


@pytest.fixture
def admin(app):
    add_user(app, "ada", "Ada Admin", admin=True)
    declare(app, "ada", severity="SEV2")
    return logged_in_client(app, "ada")


def test_absurd_values_on_every_route_are_refused_in_the_documented_shape(app, admin) -> None:
    urls = absurd_urls(app)
    assert len(urls) >= 40
    for method, url in urls:
        response = admin.open(url, method=method, json={"since": ABSURD_ID})
        assert response.status_code < 500, (method, url, response.status_code)
        if url.startswith(JSON_PREFIXES) and response.status_code >= 400:
            error = response.get_json()["error"]
            assert error["code"] and error["message"], (method, url)


def test_a_since_beyond_any_event_is_invalid_not_a_crash(app_on_each_database) -> None:
    app = app_on_each_database
    add_user(app, "dana")
    incident = declare(app, "dana", severity="SEV2")
    client = logged_in_client(app, "dana")
    response = client.get(f"/api/incidents/{incident}/events?since={ABSURD_ID}")
    assert response.status_code == 400
    assert response.get_json()["error"]["field"] == "since"
    huge_id = client.get(f"/api/incidents/{ABSURD_ID}")
    assert (huge_id.status_code, huge_id.get_json()["error"]["code"]) == (404, "not_found")
    assert client.get(f"/api/incidents/{incident}/events?since=2147483647").status_code == 200


def test_unknown_routes_and_methods_answer_json_under_the_api(app, admin) -> None:
    missing = admin.get("/api/no-such-thing")
    assert (missing.status_code, missing.get_json()["error"]["code"]) == (404, "not_found")
    wrong = admin.delete("/api/incidents")
    assert (wrong.status_code, wrong.get_json()["error"]["code"]) == (405, "invalid")
    page = admin.get("/no-such-page")
    assert page.status_code == 404 and "No such page." in page.get_data(as_text=True)


def test_a_server_fault_answers_internal_json_and_a_plain_page(sqlite_url) -> None:
    # As in production, faults are answered rather than raised into the test; the fault is
    # real: a table is gone from under the running app.
    app = make_app(sqlite_url, PROPAGATE_EXCEPTIONS=False)
    add_user(app, "ada")
    admin = logged_in_client(app, "ada")
    with app.app_context():
        db.session.execute(text("DROP TABLE incident_members"))
        db.session.commit()
    api = admin.get("/api/incidents")
    assert api.status_code == 500
    assert api.get_json()["error"]["code"] == "internal"
    page = admin.get("/incidents")
    assert page.status_code == 500 and page.mimetype == "text/html"
    assert "nothing was changed" in page.get_data(as_text=True)
    dispose(app)
