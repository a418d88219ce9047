"""Declaring an incident from the form, the quick syntax and the JSON API."""

import pytest
from sqlalchemy import select

from incident_room.errors import DomainError
from incident_room.extensions import db
from incident_room.models import Incident, IncidentEvent
from incident_room.services.accounts import create_api_token, find_user
from incident_room.services.declare import parse_quick_syntax
from tests.conftest import logged_in_client
from tests.support.web import csrf_from


@pytest.mark.parametrize(
    ("text", "severity", "title"),
    [
        ("@incident SEV-2: checkout API returning 502s", "SEV2", "checkout API returning 502s"),
        ("@incident sev1: payments down", "SEV1", "payments down"),
        ("@incident SEV 3 : search slow", "SEV3", "search slow"),
        ("@incident checkout 502s", None, "checkout 502s"),
        ("  @INCIDENT: login loop", None, "login loop"),
    ],
)
def test_quick_syntax(text, severity, title) -> None:
    declaration = parse_quick_syntax(text)
    assert (declaration.severity, declaration.title) == (severity, title)


@pytest.mark.parametrize(
    "text",
    ["checkout 502s", "@incident", "@incident SEV-7: x", "@incident SEV-2:", "@incidents x", 42],
)
def test_malformed_quick_syntax_is_invalid_text(text) -> None:
    with pytest.raises(DomainError) as refused:
        parse_quick_syntax(text)
    assert refused.value.code == "invalid"
    assert refused.value.details["field"] == "text"


def _form_post(client, **data):
    token = csrf_from(client.get("/incidents").get_data(as_text=True))
    return client.post("/incidents", data={"csrf_token": token, **data})


def test_declare_from_quick_form_opens_the_room_with_event_one(app, dana) -> None:
    client = logged_in_client(app, "dana")
    response = _form_post(client, quick="@incident SEV-2: checkout API returning 502s")
    assert response.status_code == 302
    room = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "INC-1" in room and "checkout API returning 502s" in room
    with app.app_context():
        incident = db.session.scalar(select(Incident))
        events = db.session.scalars(select(IncidentEvent)).all()
        assert (incident.severity, incident.status, incident.last_seq) == ("SEV2", "declared", 1)
        assert [(e.seq, e.type) for e in events] == [(1, "incident.declared")]
        assert events[0].data["roles"][0]["holder"]["username"] == "dana"


def test_declare_from_full_form(app, dana) -> None:
    client = logged_in_client(app, "dana")
    response = _form_post(client, title="Search slow", severity="SEV3", summary="p99 up")
    assert response.status_code == 302
    with app.app_context():
        incident = db.session.scalar(select(Incident))
        assert (incident.title, incident.severity, incident.summary) == (
            "Search slow",
            "SEV3",
            "p99 up",
        )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": ""}, "Give the incident a title"),
        ({"title": "x" * 201}, "at most 200"),
        ({"title": "ok", "severity": "SEV9"}, "Severity must be"),
        ({"quick": "@incident SEV-9: bad"}, "Severity must be"),
    ],
)
def test_form_errors_are_shown_and_nothing_is_declared(app, dana, data, message) -> None:
    client = logged_in_client(app, "dana")
    response = _form_post(client, **data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(db.func.count(Incident.id))) == 0


def test_incidents_are_numbered_in_order(app, dana) -> None:
    client = logged_in_client(app, "dana")
    for title in ("one", "two", "three"):
        _form_post(client, title=title)
    with app.app_context():
        numbers = db.session.scalars(select(Incident.number).order_by(Incident.id)).all()
    assert numbers == [1, 2, 3]


def test_api_declares_with_a_bearer_token(app, dana) -> None:
    with app.app_context():
        token = create_api_token(find_user("dana"))
    response = app.test_client().post(
        "/api/incidents",
        json={"text": "@incident SEV-1: database failover"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 201
    body = response.get_json()
    assert (body["reference"], body["severity"], body["title"]) == (
        "INC-1",
        "SEV1",
        "database failover",
    )
    assert body["declared_by"]["username"] == "dana"


def test_api_session_writes_need_the_csrf_header(app, dana) -> None:
    client = logged_in_client(app, "dana")
    refused = client.post("/api/incidents", json={"title": "x"})
    assert refused.status_code == 403
    token = csrf_from(client.get("/incidents").get_data(as_text=True))
    accepted = client.post("/api/incidents", json={"title": "x"}, headers={"X-CSRFToken": token})
    assert accepted.status_code == 201


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": 5}, "title"),
        ({"title": "ok", "severity": "SEV5"}, "severity"),
        ({"title": "ok", "severity": "critical"}, "severity"),
        ({"title": "ok", "summary": 3}, "summary"),
        ({"title": "ok", "private": "yes"}, "private"),
        ({"text": "no marker"}, "text"),
        ({"text": "@incident SEV-2:"}, "text"),
    ],
)
def test_api_bad_input_is_invalid_with_the_field(app, dana, body, field) -> None:
    with app.app_context():
        token = create_api_token(find_user("dana"))
    response = app.test_client().post(
        "/api/incidents", json=body, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert (error["code"], error["field"]) == ("invalid", field)
    with app.app_context():
        assert db.session.scalar(select(db.func.count(Incident.id))) == 0


def test_api_rejects_a_body_that_is_not_json(app, dana) -> None:
    with app.app_context():
        token = create_api_token(find_user("dana"))
    response = app.test_client().post(
        "/api/incidents", data="title=x", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 400
    assert response.get_json()["error"]["field"] == "body"


def test_list_puts_open_incidents_first_and_filters(app, dana) -> None:
    client = logged_in_client(app, "dana")
    _form_post(client, title="Old one", severity="SEV3")
    _form_post(client, title="Fresh one", severity="SEV1")
    with app.app_context():
        old = db.session.scalar(select(Incident).filter_by(title="Old one"))
        old.status = "closed"
        db.session.commit()
    page = client.get("/incidents").get_data(as_text=True)
    assert page.index("Fresh one") < page.index("Old one")
    filtered = client.get("/incidents?severity=SEV3").get_data(as_text=True)
    assert "Old one" in filtered and "Fresh one" not in filtered
    open_only = client.get("/incidents?status=open").get_data(as_text=True)
    assert "Fresh one" in open_only and "Old one" not in open_only


def test_user_text_is_escaped_in_pages(app, dana) -> None:
    client = logged_in_client(app, "dana")
    _form_post(client, title="<script>alert(1)</script>")
    page = client.get("/incidents").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
