"""Action items become tickets in GitHub Issues or Jira (local fakes of their APIs, exact
requests checked), and a closed ticket's signed webhook marks its item done."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from datetime import date

import pytest

from incident_room.extensions import db
from incident_room.models import Incident, PostmortemActionItem
from incident_room.services.catalog.services import create_service
from incident_room.services.catalog.teams import create_team
from tests.conftest import add_user, declare, dispose, logged_in_client, make_app, socket_client
from tests.insights.conftest import resolve
from tests.socket.helpers import call, change, received
from tests.support.followup import commit_to
from tests.support.trackers import fake_tracker
from tests.support.web import csrf_from


@pytest.fixture
def app(sqlite_url):
    # The fake trackers listen on loopback: this app opts in, as an operator with an
    # internal tracker would.
    application = make_app(
        sqlite_url, OUTBOUND_ALLOW_INTERNAL="127.0.0.1", PUBLIC_URL="https://ir.example"
    )
    yield application
    dispose(application)


@pytest.fixture
def github():
    with fake_tracker() as running:
        yield running


@pytest.fixture
def item(app, dana, fox, ada):
    """Payments (team Money) resolved; its post-mortem has an item owned by Fox."""
    with app.app_context():
        service_id = create_service("payments-api", create_team("Money")).id
    incident = declare(app, "dana", title="Payments down", severity="SEV1")
    with app.app_context():
        db.session.get(Incident, incident).service_id = service_id
        db.session.commit()
        resolve(incident, "dana")
    made = commit_to(app, incident, "dana", "Alert on pool saturation", "fox", date(2026, 5, 1))
    return incident, made


def save_tracker(client, **form):
    token = csrf_from(client.get("/settings/trackers").get_data(as_text=True))
    return client.post("/settings/trackers", data={"csrf_token": token, **form})


def configure(app, fake, kind="github", project="acme/payments", token="ghp_secret", team=""):
    """Set a tracker as the admin would; returns (webhook address path, secret)."""
    response = save_tracker(
        logged_in_client(app, "ada"),
        team=team,
        kind=kind,
        api_url=fake.url,
        project=project,
        token=token,
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    page = response.get_data(as_text=True)
    hook = re.search(r"<code data-hook-url>https://ir.example([^<]+)</code>", page).group(1)
    return hook, re.search(r"<code data-secret>([0-9a-f]{64})</code>", page).group(1)


def open_ticket(client, item_id):
    token = csrf_from(client.get("/action-items").get_data(as_text=True))
    return client.post(f"/action-items/{item_id}/ticket", data={"csrf_token": token})


def stored(app, item_id):
    with app.app_context():
        return db.session.get(PostmortemActionItem, item_id)


def test_an_item_becomes_a_github_issue_with_exactly_the_request_github_expects(
    app, item, github
) -> None:
    incident, made = item
    configure(app, github)
    room = socket_client(app, "dana")
    assert call(room, "join", {"incident_id": incident})["ok"]
    room.get_received()
    response = open_ticket(logged_in_client(app, "fox"), made["id"])
    assert response.status_code == 303
    [sent] = github.requests
    assert sent["path"] == "/repos/acme/payments/issues"
    headers = sent["headers"]
    assert headers["Authorization"] == "Bearer ghp_secret"
    assert headers["Accept"] == "application/vnd.github+json"
    assert headers["X-GitHub-Api-Version"] == "2022-11-28"
    assert headers["Content-Type"] == "application/json"
    assert sent["json"] == {
        "title": "Alert on pool saturation",
        "body": "Action item from the post-mortem of INC-1 Payments down.\n"
        "Owner: Fox Mulder\nDue: 2026-05-01\n"
        f"Post-mortem: https://ir.example/incidents/{incident}/postmortem",
    }
    linked = stored(app, made["id"])
    assert linked.tracker_url == "https://github.example/acme/payments/issues/1"
    assert linked.tracker_key == "github:acme/payments#1"
    [event] = received(room)
    assert event["data"]["action_item"]["tracker_url"] == linked.tracker_url
    again = open_ticket(logged_in_client(app, "fox"), made["id"])
    assert again.status_code == 409 and "already has its ticket" in again.get_data(as_text=True)
    assert len(github.requests) == 1


def github_hook(app, hook, secret, action, number=1, repo="acme/payments", signature=None):
    body = json.dumps(
        {"action": action, "issue": {"number": number}, "repository": {"full_name": repo}}
    ).encode()
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    headers = {
        "X-GitHub-Event": "issues",
        "X-Hub-Signature-256": signature or f"sha256={digest}",
        "Content-Type": "application/json",
    }
    return app.test_client().post(hook, data=body, headers=headers)


def test_a_closed_issue_marks_its_item_done_and_a_reopened_one_in_progress(
    app, item, github
) -> None:
    incident, made = item
    hook, secret = configure(app, github)
    assert open_ticket(logged_in_client(app, "fox"), made["id"]).status_code == 303
    room = socket_client(app, "dana")
    assert call(room, "join", {"incident_id": incident})["ok"]
    room.get_received()
    response = github_hook(app, hook, secret, "closed")
    assert (response.status_code, response.get_json()) == (200, {"ok": True, "moved": 1})
    assert stored(app, made["id"]).state == "done" and stored(app, made["id"]).done_at
    [event] = received(room)
    assert event["actor"] is None and event["data"]["action_item"]["state"] == "done"
    assert github_hook(app, hook, secret, "closed").get_json()["moved"] == 0  # already done
    assert github_hook(app, hook, secret, "reopened").get_json()["moved"] == 1
    assert stored(app, made["id"]).state == "in_progress"


@pytest.mark.parametrize("forged", ["sha256=" + "0" * 64, "sha1=abc", None])
def test_a_webhook_with_a_bad_signature_is_refused_and_changes_nothing(
    app, item, github, forged
) -> None:
    _, made = item
    hook, secret = configure(app, github)
    open_ticket(logged_in_client(app, "fox"), made["id"])
    body = json.dumps(
        {"action": "closed", "issue": {"number": 1}, "repository": {"full_name": "acme/payments"}}
    )
    headers = {"X-GitHub-Event": "issues"}
    if forged is not None:
        headers["X-Hub-Signature-256"] = forged
    response = app.test_client().post(hook, data=body, headers=headers)
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthenticated"
    assert stored(app, made["id"]).state == "open"
    wrong_key = github_hook(app, hook, "f" * 64, "closed")
    assert wrong_key.status_code == 401 and stored(app, made["id"]).state == "open"
    nowhere = github_hook(app, "/hooks/trackers/999", secret, "closed")
    assert nowhere.status_code == 401


def test_other_events_and_unknown_issues_move_nothing(app, item, github) -> None:
    _, made = item
    hook, secret = configure(app, github)
    open_ticket(logged_in_client(app, "fox"), made["id"])
    assert github_hook(app, hook, secret, "labeled").get_json() == {"ok": True, "moved": 0}
    assert github_hook(app, hook, secret, "closed", number=77).get_json()["moved"] == 0
    assert github_hook(app, hook, secret, "closed", repo="evil/repo").get_json()["moved"] == 0
    body = b"not json"
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    response = app.test_client().post(
        hook, data=body, headers={"X-Hub-Signature-256": f"sha256={digest}"}
    )
    assert (response.status_code, response.get_json()["error"]["code"]) == (400, "invalid")
    assert stored(app, made["id"]).state == "open"


def test_a_team_on_jira_gets_jira_tickets_and_jira_webhooks_close_them(app, item, github) -> None:
    _, made = item
    configure(app, github)  # the default, for incidents of no team
    hook, secret = configure(
        app, github, kind="jira", project="OPS", token="sre@acme.example:jira-tok", team="1"
    )
    assert open_ticket(logged_in_client(app, "fox"), made["id"]).status_code == 303
    [sent] = github.requests
    assert sent["path"] == "/rest/api/2/issue"
    expected_auth = base64.b64encode(b"sre@acme.example:jira-tok").decode()
    assert sent["headers"]["Authorization"] == f"Basic {expected_auth}"
    assert sent["json"]["fields"]["project"] == {"key": "OPS"}
    assert sent["json"]["fields"]["summary"] == "Alert on pool saturation"
    assert sent["json"]["fields"]["issuetype"] == {"name": "Task"}
    assert stored(app, made["id"]).tracker_url == f"{github.url}/browse/OPS-1"
    body = json.dumps(
        {
            "webhookEvent": "jira:issue_updated",
            "issue": {"key": "OPS-1", "fields": {"status": {"statusCategory": {"key": "done"}}}},
        }
    ).encode()
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    response = app.test_client().post(
        hook, data=body, headers={"X-Hub-Signature": f"sha256={digest}"}
    )
    assert response.get_json() == {"ok": True, "moved": 1}
    assert stored(app, made["id"]).state == "done"


def test_a_tracker_that_refuses_is_said_plainly_and_nothing_changes(app, item, github) -> None:
    _, made = item
    configure(app, github)
    github.refuse_with = 401
    response = open_ticket(logged_in_client(app, "fox"), made["id"])
    assert response.status_code == 502
    assert "The tracker did not open the ticket (HTTP 401)" in response.get_data(as_text=True)
    assert stored(app, made["id"]).tracker_key is None


def test_without_a_tracker_the_board_says_who_can_add_one(app, item) -> None:
    _, made = item
    response = open_ticket(logged_in_client(app, "fox"), made["id"])
    assert response.status_code == 400
    assert "an admin adds one" in response.get_data(as_text=True)


def test_tickets_are_opened_from_the_postmortem_after_publishing_too(app, item, github) -> None:
    incident, made = item
    configure(app, github)
    room = socket_client(app, "dana")
    assert call(room, "join", {"incident_id": incident})["ok"]
    for status in ("in_review", "published"):
        payload = {
            "incident_id": incident,
            "status": status,
            "reason": "Reviewed together in the meeting",
        }
        assert change(room, "postmortem.set_status", payload)["ok"]
    ack = change(
        room, "postmortem.action_item.ticket", {"incident_id": incident, "item_id": made["id"]}
    )
    assert ack["ok"] and ack["action_item"]["tracker_key"] == "github:acme/payments#1"


def test_a_private_incidents_ticket_keeps_its_title_in_the_app(app, item, github) -> None:
    configure(app, github)
    secret_incident = declare(app, "fox", title="Vault breach", severity="SEV1", private=True)
    with app.app_context():
        resolve(secret_incident, "fox")
    made = commit_to(app, secret_incident, "fox", "Rotate keys", "fox")
    add_user(app, "eve")
    refused = open_ticket(logged_in_client(app, "eve"), made["id"])
    assert refused.status_code == 404 and not github.requests
    assert open_ticket(logged_in_client(app, "fox"), made["id"]).status_code == 303
    assert "Vault breach" not in json.dumps(github.requests[0]["json"])


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"kind": "gitlab"}, "github or jira"),
        ({"project": "no-slash"}, "owner/repository"),
        ({"kind": "jira", "project": "ops"}, "project key"),
        ({"token": ""}, "API token"),
        ({"token": "has space"}, "API token"),
        ({"api_url": "ftp://x"}, "http:// or https://"),
        ({"team": "999"}, "No such team"),
    ],
)
def test_tracker_settings_refuse_nonsense(app, ada, github, form, message) -> None:
    fields = {"team": "", "kind": "github", "api_url": github.url, "project": "a/b", "token": "t"}
    response = save_tracker(logged_in_client(app, "ada"), **{**fields, **form})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_only_admins_set_trackers_and_nobody_sees_a_token_again(app, item, github) -> None:
    configure(app, github)
    fox = logged_in_client(app, "fox")
    assert fox.get("/settings/trackers").status_code == 403
    page = logged_in_client(app, "ada").get("/settings/trackers").get_data(as_text=True)
    assert "acme/payments" in page
    assert "ghp_secret" not in page and "data-secret" not in page
