"""Making observer links in tests, as the IC would from the observers page."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask

from incident_room.extensions import db
from incident_room.models import ObserverLink, User
from incident_room.services.observers import links as observer_links
from incident_room.unit_of_work import run_change


@dataclass(frozen=True)
class Link:
    id: str
    token: str


def _user(username: str) -> User:
    return db.session.scalar(db.select(User).filter_by(username=username))


def make_link(
    app: Flask, incident_id: int, username: str, expires_in: str = "1h", **kw: bool
) -> Link:
    with app.app_context():
        user = _user(username)
        ack = run_change(
            incident_id, user, lambda inc: observer_links.create_link(inc, user, expires_in, **kw)
        )
        link = db.session.get(ObserverLink, ack["link"]["id"])
        return Link(link.id, observer_links.link_token(link.id))


def tampered(token: str) -> str:
    """The token with its signature's first character changed. (Its last character also
    carries base64 padding bits, so some changes there decode to the same signature.)"""
    payload, signature = token.split(".")
    return f"{payload}.{'B' if signature[0] == 'A' else 'A'}{signature[1:]}"


def revoke(app: Flask, incident_id: int, username: str, link_id: str) -> dict:
    with app.app_context():
        user = _user(username)
        return run_change(
            incident_id, user, lambda inc: observer_links.revoke_link(inc, user, link_id)
        )
