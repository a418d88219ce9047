"""The action item board: every incident's items in one list, filtered, moved by a form, and
nothing shown of incidents the viewer may not see."""

from __future__ import annotations

import re
from datetime import date

import pytest

from incident_room.extensions import db
from incident_room.models import Incident, PostmortemActionItem, Service, Team
from incident_room.services.catalog.services import create_service
from incident_room.services.catalog.teams import create_team
from tests.conftest import add_user, declare, logged_in_client, socket_client
from tests.insights.conftest import day, resolve
from tests.socket.helpers import call, received
from tests.support.followup import commit_to, move_item
from tests.support.web import csrf_from


def _service_id(app, name: str) -> int:
    with app.app_context():
        return db.session.scalar(db.select(Service.id).filter_by(name=name))


def _on_service(app, incident_id: int, service: str) -> None:
    service_id = _service_id(app, service)
    with app.app_context():
        db.session.get(Incident, incident_id).service_id = service_id
        db.session.commit()


@pytest.fixture
def board(app, dana, fox, clock):
    """Payments (team Money) and search incidents resolved on 1 March with items; a private
    incident of Fox's with an item; 'today' is 10 March."""
    add_user(app, "eve", "Eve Outsider")
    with app.app_context():
        create_service("payments-api", create_team("Money"))
        create_service("search")
    clock.current = day(3, 1)
    payments = declare(app, "dana", title="Payments down", severity="SEV1")
    search = declare(app, "dana", title="Search slow", severity="SEV3")
    secret = declare(app, "fox", title="Vault breach", severity="SEV1", private=True)
    _on_service(app, payments, "payments-api")
    _on_service(app, search, "search")
    return payments, search, secret


@pytest.fixture
def items(app, board, clock):
    payments, search, secret = board
    with app.app_context():
        for incident, user in ((payments, "dana"), (search, "dana"), (secret, "fox")):
            resolve(incident, user)
    overdue = commit_to(app, payments, "dana", "Alert on pool saturation", "fox", date(2026, 3, 5))
    later = commit_to(app, payments, "dana", "Canary the pool size", "dana", date(2026, 4, 1))
    undated = commit_to(app, search, "dana", "Index warm-up runbook")
    hidden = commit_to(app, secret, "fox", "Rotate the vault keys", "fox", date(2026, 3, 2))
    clock.current = day(3, 10)
    return {"overdue": overdue, "later": later, "undated": undated, "hidden": hidden}


def rows(html: str) -> list[str]:
    """The board's item texts, top to bottom."""
    found = re.findall(r'<tr class="[^"]*" data-item="[^"]+">\s*<td>([^<]+)', html)
    return [text.strip() for text in found]


def test_the_board_lists_what_is_still_to_do_overdue_first(app, items) -> None:
    html = logged_in_client(app, "dana").get("/action-items").get_data(as_text=True)
    assert rows(html) == [
        "Alert on pool saturation",
        "Canary the pool size",
        "Index warm-up runbook",
    ]
    assert "Rotate the vault keys" not in html and "Vault breach" not in html
    assert html.count("overdue</strong>") == 1
    assert "day-30 review 2026-03-31" in html
    assert f'href="/incidents/{db_id(app, "Payments down")}/postmortem"' in html
    fox_sees = logged_in_client(app, "fox").get("/action-items").get_data(as_text=True)
    assert rows(fox_sees)[0] == "Rotate the vault keys"


def db_id(app, title: str) -> int:
    with app.app_context():
        return db.session.scalar(db.select(Incident.id).filter_by(title=title))


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("owner=fox", ["Alert on pool saturation"]),
        ("service=SERVICE_SEARCH", ["Index warm-up runbook"]),
        ("team=TEAM_MONEY", ["Alert on pool saturation", "Canary the pool size"]),
        ("overdue=1", ["Alert on pool saturation"]),
        ("state=done", []),
    ],
)
def test_filters(app, items, query, shown) -> None:
    with app.app_context():
        team_id = db.session.scalar(db.select(Team.id).filter_by(name="Money"))
    search_id = _service_id(app, "search")
    query = query.replace("SERVICE_SEARCH", str(search_id)).replace("TEAM_MONEY", str(team_id))
    html = logged_in_client(app, "dana").get(f"/action-items?{query}").get_data(as_text=True)
    assert rows(html) == shown


def test_done_and_waived_items_leave_the_default_view(app, board, items) -> None:
    payments = board[0]
    move_item(app, payments, "fox", items["overdue"], "done")
    move_item(app, payments, "dana", items["later"], "wont_do", "The pool goes away")
    client = logged_in_client(app, "dana")
    assert rows(client.get("/action-items").get_data(as_text=True)) == ["Index warm-up runbook"]
    every = client.get("/action-items?state=all").get_data(as_text=True)
    assert len(rows(every)) == 3 and "The pool goes away" in every


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("owner=nobody", "No such person."),
        ("team=99999", "No such team."),
        ("service=x1", "No such service."),
        ("state=finished", "state must be one of"),
        ("team=" + "9" * 500, "No such team."),
    ],
)
def test_nonsense_filters_are_refused_with_the_reason(app, items, query, message) -> None:
    response = logged_in_client(app, "dana").get(f"/action-items?{query}")
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def _post_move(client, item: dict, **form) -> object:
    token = csrf_from(client.get("/action-items").get_data(as_text=True))
    data = {"csrf_token": token, "base_version": str(item["version"]), **form}
    return client.post(f"/action-items/{item['id']}/state?owner=fox", data=data)


def test_moving_an_item_from_the_board_reaches_the_room(app, board, items) -> None:
    payments = board[0]
    room = socket_client(app, "dana")
    assert call(room, "join", {"incident_id": payments})["ok"]
    room.get_received()
    client = logged_in_client(app, "fox")
    response = _post_move(client, items["overdue"], state="done")
    assert response.status_code == 303
    assert response.headers["Location"] == "/action-items?owner=fox"
    [event] = received(room)
    assert event["type"] == "postmortem.action_item_edited"
    assert event["data"]["action_item"]["state"] == "done"
    page = client.get("/action-items?owner=fox").get_data(as_text=True)
    assert "is now Done" in page and rows(page) == ["Rotate the vault keys"]


def _state(app, item_id: str) -> tuple[str, int]:
    with app.app_context():
        item = db.session.get(PostmortemActionItem, item_id)
        return item.state, item.version


@pytest.mark.parametrize(
    ("form", "status", "message"),
    [
        ({"state": "wont_do"}, 400, "Say why"),
        ({"state": "open"}, 400, "can become"),
        ({"state": "finished"}, 400, "state must be one of"),
        ({"state": "done", "base_version": "7"}, 409, "changed meanwhile"),
        ({"state": "done", "base_version": "x"}, 400, "base_version must be"),
        ({"state": "done", "reason": "r" * 1001}, 413, "reason"),
    ],
)
def test_bad_moves_are_refused_and_change_nothing(app, items, form, status, message) -> None:
    client = logged_in_client(app, "dana")
    response = _post_move(client, items["later"], **form)
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert _state(app, items["later"]["id"]) == ("open", 1)


def test_an_outsider_cannot_move_or_see_a_private_incidents_item(app, items) -> None:
    eve = logged_in_client(app, "eve")
    response = _post_move(eve, items["hidden"], state="done")
    assert response.status_code == 404
    assert "Rotate the vault keys" not in response.get_data(as_text=True)
    assert _state(app, items["hidden"]["id"]) == ("open", 1)
    nobody = {"id": "9f1c7a4e-0000-4000-8000-000000000000", "version": 1}
    unknown = _post_move(eve, nobody, state="done")
    assert unknown.status_code == 404


def test_a_move_without_the_form_token_is_refused(app, items) -> None:
    client = logged_in_client(app, "dana")
    response = client.post(
        f"/action-items/{items['later']['id']}/state", data={"state": "done", "base_version": "1"}
    )
    assert response.status_code == 400
    assert _state(app, items["later"]["id"]) == ("open", 1)


def test_the_board_needs_a_login(app, items) -> None:
    response = app.test_client().get("/action-items")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
