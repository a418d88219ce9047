"""Status page test helpers: components as an admin would list them, an incident made
public by its IC, status-page updates posted from the room."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterable

from flask import Flask
from flask.testing import FlaskClient

from incident_room.clock import now
from incident_room.extensions import db
from incident_room.models import StatusSubscriber, StatusSubscriberComponent, User
from incident_room.services.catalog.services import create_service
from incident_room.services.sessions import secret_digest
from incident_room.services.status_page.components import ComponentSettings, save_component
from incident_room.services.status_page.incidents import publish_incident
from incident_room.unit_of_work import run_change
from tests.support.web import csrf_from


def add_component(
    app: Flask, name: str, group: str = "", position: int = 0, service: str = ""
) -> int:
    with app.app_context():
        admin = db.session.scalar(db.select(User).filter_by(is_admin=True))
        service_ids = [create_service(service).id] if service else []
        settings = ComponentSettings(name, group, position, service_ids=service_ids)
        return save_component(admin, settings).id


def form_token(client: FlaskClient, incident_id: int) -> str:
    return csrf_from(client.get(f"/incidents/{incident_id}/status-page").get_data(as_text=True))


def make_public(client: FlaskClient, incident_id: int, states: dict[int, str]):
    """The IC (or Communications Lead) shows the incident with these component states."""
    data = {f"component-{cid}": state for cid, state in states.items()}
    data |= {"csrf_token": form_token(client, incident_id), "op_id": str(uuid.uuid4())}
    return client.post(f"/incidents/{incident_id}/status-page", data=data)


def post_status_update(client: FlaskClient, incident_id: int, text: str):
    token = csrf_from(client.get(f"/incidents/{incident_id}/updates/new").get_data(as_text=True))
    return client.post(
        f"/incidents/{incident_id}/updates",
        data={
            "csrf_token": token,
            "audience": "status_page",
            "text": text,
            "op_id": str(uuid.uuid4()),
            "confirm_nothing_new": "1",
        },
    )


def show_on_status_page(app: Flask, incident_id: int, username: str) -> str:
    """As `username` (an admin, the incident's IC): a component, the incident on the status
    page, and a webhook subscriber; returns the subscriber's link token."""
    with app.app_context():
        user = db.session.scalar(db.select(User).filter_by(username=username))
        component = save_component(user, ComponentSettings("API")).id
        run_change(
            incident_id, user, lambda i: publish_incident(i, user, {component: "major_outage"})
        )
        token = secrets.token_urlsafe(16)
        db.session.add(
            StatusSubscriber(
                webhook_url="https://hooks.example.com/x", token_digest=secret_digest(token)
            )
        )
        db.session.commit()
        return token


def add_subscriber(
    app: Flask,
    *,
    email: str | None = None,
    webhook_url: str | None = None,
    follows: Iterable[int] = (),
) -> None:
    """A confirmed subscriber (the opt-in itself is tested in test_subscribers.py) following
    the components `follows` (none: every one)."""
    with app.app_context():
        subscriber = StatusSubscriber(
            email=email,
            webhook_url=webhook_url,
            token_digest=secret_digest(secrets.token_urlsafe(16)),
            confirmed_at=now(),
        )
        db.session.add(subscriber)
        db.session.flush()
        db.session.add_all(
            StatusSubscriberComponent(subscriber_id=subscriber.id, component_id=component)
            for component in follows
        )
        db.session.commit()
