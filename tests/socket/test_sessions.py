"""Logging out, a new password or a disabled account ends sessions for good: a saved copy of
the cookie is refused, over HTTP at once and on the live socket too."""

from __future__ import annotations

import uuid

from sqlalchemy import event

from incident_room.extensions import db, socketio
from incident_room.services.accounts import create_api_token, find_user
from tests.conftest import declare, logged_in_client
from tests.socket.helpers import add_entry
from tests.support.web import csrf_from, login

NEW_PASSWORD = "a-new-long-password"


def flask(app, *args: str):
    result = app.test_cli_runner().invoke(args=list(args))
    return result.exit_code, result.output


def log_out(client) -> None:
    token = csrf_from(client.get("/incidents").get_data(as_text=True))
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302


def with_cookie(app, cookie: str):
    """A fresh browser holding a copy of someone's session cookie."""
    client = app.test_client()
    client.set_cookie("session", cookie)
    return client


def is_logged_in(client) -> bool:
    return client.get("/incidents").status_code == 200


def api_answers(client) -> int:
    return client.get("/api/incidents").status_code


def joined_socket(app, client, incident_id: int):
    room = socketio.test_client(app, flask_test_client=client)
    assert room.is_connected()
    assert room.emit("join", {"incident_id": incident_id}, callback=True)["ok"]
    return room


def entry_refused(room, incident_id: int) -> str | None:
    """The error code a new entry gets, or None when it is accepted."""
    payload = {"incident_id": incident_id, "op_id": str(uuid.uuid4()), "kind": "note"}
    ack = room.emit("timeline.add", {**payload, "text": "still here?"}, callback=True)
    return None if ack["ok"] else ack["error"]["code"]


def test_a_cookie_saved_before_logout_is_refused_after_it(app, dana) -> None:
    client = logged_in_client(app, "dana")
    saved = client.get_cookie("session").value
    assert is_logged_in(with_cookie(app, saved))
    log_out(client)
    replay = with_cookie(app, saved)
    assert not is_logged_in(replay)
    assert api_answers(replay) == 401


def test_logging_out_ends_only_that_session(app, dana) -> None:
    laptop, phone = logged_in_client(app, "dana"), logged_in_client(app, "dana")
    log_out(laptop)
    assert not is_logged_in(laptop)
    assert is_logged_in(phone)


def test_a_logged_out_sessions_socket_is_refused_at_once(app, clock, dana) -> None:
    incident_id = declare(app, "dana")
    client = logged_in_client(app, "dana")
    saved = client.get_cookie("session").value
    room = joined_socket(app, client, incident_id)
    assert entry_refused(room, incident_id) is None
    log_out(client)
    assert entry_refused(room, incident_id) == "unauthenticated"
    again = socketio.test_client(app, flask_test_client=with_cookie(app, saved))
    assert not again.is_connected()


def test_a_new_password_ends_every_session_and_their_sockets_soon(app, clock, dana) -> None:
    """The command runs in another process, like another worker: HTTP is refused at once,
    a socket at its first event after SESSION_RECHECK_SECONDS."""
    incident_id = declare(app, "dana")
    laptop, phone = logged_in_client(app, "dana"), logged_in_client(app, "dana")
    room = joined_socket(app, phone, incident_id)

    assert flask(app, "users", "password", "dana", "--password", NEW_PASSWORD)[0] == 0
    assert not is_logged_in(laptop)
    assert entry_refused(room, incident_id) is None, "within the recheck window"
    clock.advance(seconds=app.config["SESSION_RECHECK_SECONDS"])
    assert entry_refused(room, incident_id) == "unauthenticated"
    assert not is_logged_in(phone)

    assert login(app.test_client(), "dana").status_code == 401
    assert is_logged_in(logged_in_client(app, "dana", NEW_PASSWORD))


def test_a_too_short_password_is_refused_and_changes_nothing(app, dana) -> None:
    client = logged_in_client(app, "dana")
    code, out = flask(app, "users", "password", "dana", "--password", "short")
    assert code != 0 and "at least 8" in out
    assert is_logged_in(client)
    assert flask(app, "users", "password", "nobody", "--password", NEW_PASSWORD)[0] != 0


def test_a_disabled_account_cannot_log_in_use_tokens_or_keep_sessions(app, dana) -> None:
    with app.app_context():
        token = create_api_token(find_user("dana"))
    bearer = {"Authorization": f"Bearer {token}"}
    client = logged_in_client(app, "dana")

    assert flask(app, "users", "disable", "dana")[0] == 0
    assert not is_logged_in(client)
    refused = login(app.test_client(), "dana")
    assert refused.status_code == 401
    assert "do not match an account" in refused.get_data(as_text=True)
    assert app.test_client().get("/api/incidents", headers=bearer).status_code == 401

    assert flask(app, "users", "enable", "dana")[0] == 0
    assert is_logged_in(logged_in_client(app, "dana"))
    assert app.test_client().get("/api/incidents", headers=bearer).status_code == 200


def test_socket_events_do_not_read_the_session_table_each_time(app, clock, dana) -> None:
    """The room's hot path: one check per SESSION_RECHECK_SECONDS, not one per event."""
    incident_id = declare(app, "dana")
    room = joined_socket(app, logged_in_client(app, "dana"), incident_id)
    statements: list[str] = []
    with app.app_context():
        engine = db.engine

    def note(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        for n in range(10):
            add_entry(room, incident_id, f"entry {n}")
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert not [s for s in statements if "login_sessions" in s]


def test_ending_one_accounts_sessions_leaves_the_others(app, dana, fox) -> None:
    dana_client, fox_client = logged_in_client(app, "dana"), logged_in_client(app, "fox")
    assert flask(app, "users", "disable", "dana")[0] == 0
    assert not is_logged_in(dana_client)
    assert is_logged_in(fox_client)
