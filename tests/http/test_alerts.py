"""Monitoring declares for us: one incident per alert key while it is open."""

import threading

import pytest
import requests

from tests.conftest import add_user, dispose, make_app
from tests.support.live import LiveServer


def token_for(app, username: str) -> str:
    from incident_room.services.accounts import create_api_token, find_user

    with app.app_context():
        return create_api_token(find_user(username))


@pytest.fixture
def api(app, clock, dana):
    headers = {"Authorization": f"Bearer {token_for(app, 'dana')}"}
    client = app.test_client()

    def post(**body):
        return client.post("/api/alerts", json=body, headers=headers)

    return post, client, headers


ALERT = {"title": "p99 latency > 2s on checkout", "source": "prometheus", "alert_key": "chk-lat"}


def test_three_alerts_with_one_key_open_one_incident(api) -> None:
    post, client, headers = api
    first = post(**ALERT, severity="critical")
    assert first.status_code == 201 and first.get_json()["declared"] is True
    incident = first.get_json()["incident"]
    assert incident["severity"] == "SEV1" and incident["title"] == ALERT["title"]
    assert "prometheus" in incident["summary"]
    for _ in range(2):
        again = post(**ALERT)
        assert again.status_code == 200 and again.get_json()["declared"] is False
        assert again.get_json()["incident"]["id"] == incident["id"]
    assert len(client.get("/api/incidents", headers=headers).get_json()["incidents"]) == 1
    state = client.get(f"/api/incidents/{incident['id']}", headers=headers).get_json()
    appended = [e["text"] for e in state["timeline"] if e["text"].startswith("Alert again")]
    assert appended == [f"Alert again from prometheus: {ALERT['title']}"] * 2


def test_another_key_opens_another_incident(api) -> None:
    post, *_ = api
    first = post(**ALERT).get_json()["incident"]
    other = post(**{**ALERT, "alert_key": "db-conn"}).get_json()["incident"]
    assert first["id"] != other["id"]


def test_after_resolution_the_same_key_opens_a_new_incident(app, api) -> None:
    post, *_ = api
    first = post(**ALERT).get_json()["incident"]
    from incident_room.extensions import db
    from incident_room.models import Incident

    with app.app_context():
        db.session.get(Incident, first["id"]).status = "resolved"
        db.session.commit()
    again = post(**ALERT)
    assert again.status_code == 201 and again.get_json()["incident"]["id"] != first["id"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**ALERT, "alert_key": ""}, "alert_key"),
        ({"title": "x", "source": "grafana"}, "alert_key"),
        ({**ALERT, "source": 7}, "source"),
        ({**ALERT, "title": ""}, "title"),
        ({**ALERT, "severity": "apocalyptic"}, "severity"),
        ({**ALERT, "description": ["a"]}, "description"),
    ],
)
def test_bad_alerts_are_refused_and_declare_nothing(api, body, field) -> None:
    post, client, headers = api
    response = post(**body)
    assert response.status_code == 400
    assert response.get_json()["error"]["field"] == field
    assert client.get("/api/incidents", headers=headers).get_json()["incidents"] == []


def test_alerts_need_credentials(app) -> None:
    assert app.test_client().post("/api/alerts", json=ALERT).status_code == 401


def test_concurrent_alerts_with_one_key_open_one_incident(database_url) -> None:
    """Three alerts at the same moment against a real server: still one incident."""
    app = make_app(database_url)
    add_user(app, "dana", "Dana Scully")
    headers = {"Authorization": f"Bearer {token_for(app, 'dana')}"}
    dispose(app)
    server = LiveServer(database_url).start()
    start = threading.Barrier(3)
    responses = []

    def send() -> None:
        start.wait()
        responses.append(requests.post(f"{server.url}/api/alerts", json=ALERT, headers=headers))

    threads = [threading.Thread(target=send) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    listed = requests.get(f"{server.url}/api/incidents", headers=headers).json()["incidents"]
    server.stop()
    assert sorted(r.status_code for r in responses) == [200, 200, 201]
    assert len(listed) == 1
