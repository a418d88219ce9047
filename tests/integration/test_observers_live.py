"""Observer links against real servers and real Socket.IO clients: refusals a client can
read, and a revocation on one worker closing an observer held by another."""

from __future__ import annotations

import functools
from typing import Any

import pytest
import socketio

from tests.conftest import dispose, make_app
from tests.support.live import LiveServer, RealClient, http_login, wait_until
from tests.support.observers import make_link, tampered
from tests.support.services import fresh_redis_url, require_service
from tests.support.web import csrf_from


class Observer:
    """A python-socketio client connecting with an observer token and no cookie."""

    def __init__(self, base_url: str, token: str) -> None:
        self.sio = socketio.Client(reconnection=False)
        self.received: list[tuple[str, Any]] = []
        self.refusal: Any = None
        self.sio.on("*", lambda name, data: self.received.append((name, data)))
        self.sio.on("connect_error", lambda data: setattr(self, "refusal", data))
        self.base_url = base_url
        self.token = token

    def connect(self) -> Observer:
        self.sio.connect(
            self.base_url, auth={"observer_token": self.token}, transports=["websocket"]
        )
        return self

    def names(self) -> list[str]:
        return [name for name, _ in self.received]

    def close(self) -> None:
        if self.sio.connected:
            ws = self.sio.eio.ws
            ws.close = functools.partial(ws.close, timeout=0.1)
            self.sio.disconnect()


def link_on(room, database_url: str) -> Any:
    """A link made on the server's database and signed with the server's key."""
    app = make_app(database_url, SECRET_KEY=room.server.env["SECRET_KEY"])
    try:
        return make_link(app, room.incident_id, "user0")
    finally:
        dispose(app)


def revoke_over_http(base_url: str, incident_id: int, link_id: str) -> None:
    session = http_login(base_url, "user0")
    page = session.get(f"{base_url}/incidents/{incident_id}/observers").text
    assert link_id in page
    response = session.post(
        f"{base_url}/incidents/{incident_id}/observers/{link_id}/revoke",
        data={"csrf_token": csrf_from(page)},
        allow_redirects=False,
    )
    assert response.status_code == 302, response.text


def refusal(base_url: str, token: str) -> Any:
    observer = Observer(base_url, token)
    with pytest.raises(socketio.exceptions.ConnectionError):
        observer.connect()
    return observer.refusal["data"]


def test_refused_observers_are_told_why(live_room, sqlite_url) -> None:
    room = live_room(sqlite_url)
    link = link_on(room, sqlite_url)
    forged = tampered(link.token)

    assert refusal(room.server.url, forged) == {
        "code": "forbidden",
        "message": "This observer link is not valid.",
    }
    revoke_over_http(room.server.url, room.incident_id, link.id)
    assert refusal(room.server.url, link.token) == {
        "code": "gone",
        "message": "This link was revoked.",
        "reason": "revoked",
    }


def test_revoking_on_one_worker_closes_observers_on_another(live_room, postgres_url) -> None:
    require_service("redis")
    queue = {"SOCKETIO_MESSAGE_QUEUE": fresh_redis_url()}
    room = live_room(postgres_url, **queue)
    other = LiveServer(postgres_url, env=queue).start()
    try:
        link = link_on(room, postgres_url)
        observer = Observer(other.url, link.token).connect()
        ic = RealClient(room.server.url, "user0").connect()
        assert ic.call("join", {"incident_id": room.incident_id})["ok"]
        ic.change(
            "timeline.add",
            {"incident_id": room.incident_id, "kind": "update", "text": "Degraded checkout"},
        )
        wait_until(lambda: "observer.event" in observer.names(), message="update reaches B")

        revoke_over_http(room.server.url, room.incident_id, link.id)

        wait_until(lambda: not observer.sio.connected, message="observer closed")
        assert ("observer.revoked", {"message": "This link was revoked."}) in observer.received
        ic.disconnect()
    finally:
        observer.close()
        other.stop()
