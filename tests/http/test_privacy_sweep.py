"""A private incident looks exactly like a missing one, to everyone it does not admit, on
every route and every socket event.

Nothing here is listed by hand: the routes come from the app's URL map (every rule bound to
an incident or one of its parts, every method) and the events from the socket server's
handlers, so a route or event added later without the visibility check fails this sweep
by itself. Each request is made twice, once naming the private incident (with the real ids
of its entry, evidence, observer link and action item) and once naming an incident that
does not exist, as an outsider, an anonymous client and a member removed from it; the two
answers must be the same, and neither may carry the incident's title.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

import pytest

from incident_room.extensions import socketio
from tests.conftest import add_user, declare, logged_in_client, socket_client
from tests.insights.conftest import resolve
from tests.socket.helpers import call, change, join_all
from tests.support.evidence import attach, image_bytes
from tests.support.followup import commit_to
from tests.support.observers import make_link
from tests.support.web import csrf_from

TITLE = "Payroll export leaks salaries"
MISSING_INCIDENT = 987654
# Parts of an incident a route can name; the missing incident's stand-ins are random.
INCIDENT_PARTS = ("entry_id", "evidence_id", "link_id", "item_id")
NOT_INCIDENT_EVENTS = {"*", "connect", "disconnect"}


@dataclass(frozen=True)
class Secret:
    incident_id: int
    parts: dict[str, str]


@pytest.fixture
def secret(app, dana, fox) -> Secret:
    """Dana's private incident with an entry, an image, an observer link and an action
    item; Fox was a member and has been removed; Eve was never in it."""
    add_user(app, "eve", "Eve Outsider")
    incident = declare(app, "dana", title=TITLE, severity="SEV1", private=True)
    [room] = join_all(app, incident, "dana")
    entry = change(
        room, "timeline.add", {"incident_id": incident, "kind": "note", "text": "db-7 down"}
    )["entry"]
    evidence = attach(app, incident, entry["id"], image_bytes("PNG"), "dana")
    link = make_link(app, incident, "dana", confirm_private=True)
    ref = {"incident_id": incident, "user": "fox"}
    assert change(room, "member.invite", ref)["ok"]
    assert change(room, "member.remove", ref)["ok"]
    with app.app_context():
        resolve(incident, "dana")
    item = commit_to(app, incident, "dana", "Rotate the export keys", "dana")
    parts = {
        "entry_id": entry["id"],
        "evidence_id": str(evidence["id"]),
        "link_id": link.id,
        "item_id": item["id"],
    }
    return Secret(incident, parts)


def incident_bound_rules(app) -> list[tuple[str, str]]:
    """(method, rule) for every rule that names an incident or a part of one."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.arguments & ({"incident_id"} | set(INCIDENT_PARTS)):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                found.append((method, rule.rule))
    return found


def url_for_rule(rule: str, incident_id: int, parts: dict[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        return str(incident_id) if name == "incident_id" else parts[name]

    return re.sub(r"<(?:\w+:)?(\w+)>", value, rule)


def stand_ins(secret: Secret) -> dict[str, str]:
    """Ids of the same shape as the secret's parts, naming nothing."""
    return {
        "entry_id": str(uuid.uuid4()),
        "evidence_id": "9999999",
        "link_id": uuid.uuid4().hex,
        "item_id": str(uuid.uuid4()),
    }


def answer(client, method: str, url: str, token: str | None):
    headers = {"X-CSRFToken": token} if token else {}
    data = {"csrf_token": token, "state": "done", "base_version": "1"} if token else None
    response = client.open(url, method=method, data=data, headers=headers)
    body = response.get_data(as_text=True)
    error = response.get_json(silent=True) or {}
    return response.status_code, (error.get("error") or {}).get("code"), TITLE in body


def clients(app):
    """(who, client, form token) for each party the private incident must not admit."""
    for who in ("eve", "fox"):
        client = logged_in_client(app, who)
        yield who, client, csrf_from(client.get("/incidents").get_data(as_text=True))
    yield "anonymous", app.test_client(), None


def test_every_incident_route_answers_a_private_incident_as_a_missing_one(app, secret) -> None:
    rules = incident_bound_rules(app)
    assert len(rules) >= 15, rules
    missing_parts = stand_ins(secret)
    for who, client, token in clients(app):
        for method, rule in rules:
            private = url_for_rule(rule, secret.incident_id, secret.parts)
            missing = url_for_rule(rule, MISSING_INCIDENT, missing_parts)
            seen = answer(client, method, private, token)
            assert seen == answer(client, method, missing, token), (who, method, rule, seen)
            assert seen[2] is False, (who, method, rule, "the title leaked")


def socket_events() -> list[str]:
    return sorted(str(name) for name in socketio.server.handlers["/"])


def test_every_socket_event_answers_a_private_incident_as_a_missing_one(app, secret) -> None:
    events = [name for name in socket_events() if name not in NOT_INCIDENT_EVENTS]
    assert len(events) >= 25, events
    payload = {"op_id": None, "text": "x", "kind": "note", "status": "investigating"}
    for who in ("eve", "fox"):
        client = socket_client(app, who)
        for event in events:
            acks = [
                call(
                    client,
                    event,
                    {**payload, **parts, "op_id": str(uuid.uuid4()), "incident_id": i},
                )
                for i, parts in (
                    (secret.incident_id, secret.parts),
                    (MISSING_INCIDENT, stand_ins(secret)),
                )
            ]
            private, missing = ({k: v for k, v in ack.items() if k != "server_now"} for ack in acks)
            assert private == missing, (who, event, private, missing)
            assert TITLE not in str(private), (who, event)


def test_a_removed_member_is_shut_out_of_the_room_and_its_post_mortem(app, secret) -> None:
    fox = socket_client(app, "fox")
    refused = call(fox, "join", {"incident_id": secret.incident_id})
    nowhere = call(fox, "join", {"incident_id": MISSING_INCIDENT})
    assert (
        refused["error"]
        == nowhere["error"]
        == {"code": "not_found", "message": "No such incident."}
    )
    postmortem = call(fox, "postmortem.get", {"incident_id": secret.incident_id})
    assert (
        postmortem["error"]
        == call(fox, "postmortem.get", {"incident_id": MISSING_INCIDENT})["error"]
    )
