"""Status page test helpers: components as an admin would list them, an incident made
public by its IC, status-page updates posted from the room."""

from __future__ import annotations

import uuid

from flask import Flask
from flask.testing import FlaskClient

from incident_room.extensions import db
from incident_room.models import User
from incident_room.services.catalog.services import create_service
from incident_room.services.status_page.components import ComponentSettings, save_component
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
