"""Seeded incidents played through the services on a frozen clock, for the insights tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Flask
from sqlalchemy import select

from incident_room.clock import FrozenClock
from incident_room.extensions import db
from incident_room.models import Incident, Service, User
from incident_room.services.lifecycle import IncidentChanges, call_all_clear, update_incident
from incident_room.unit_of_work import run_change
from tests.conftest import declare


def _as(username: str) -> User:
    return db.session.scalar(select(User).filter_by(username=username))


def _move(incident_id: int, username: str, status: str) -> None:
    actor = _as(username)
    run_change(
        incident_id, actor, lambda i: update_incident(i, actor, IncidentChanges(status=status))
    )


def resolve(incident_id: int, username: str) -> None:
    """The IC's all-clear (the one place the seed calls it)."""
    actor = _as(username)
    run_change(
        incident_id,
        actor,
        lambda i: call_all_clear(i, actor, owner=None, override_reason="Seeded history"),
    )


def play(
    app: Flask,
    clock: FrozenClock,
    at: datetime,
    severity: str,
    ack: int,
    mitigate: int | None = None,
    resolve_after: int | None = None,
    service: str | None = None,
    title: str = "Checkout API returning 502s",
    user: str = "dana",
) -> int:
    """Declared at `at`; acknowledged (investigating) after `ack` minutes, mitigated and
    resolved after that many minutes from the declaration (None: not reached)."""
    clock.current = at
    incident_id = declare(app, user, title=title, severity=severity)
    with app.app_context():
        if service:
            incident = db.session.get(Incident, incident_id)
            incident.service_id = db.session.scalar(select(Service.id).filter_by(name=service))
            db.session.commit()
        clock.current = at + timedelta(minutes=ack)
        _move(incident_id, user, "investigating")
        if mitigate is not None:
            clock.current = at + timedelta(minutes=mitigate)
            _move(incident_id, user, "mitigated")
        if resolve_after is not None:
            clock.current = at + timedelta(minutes=resolve_after)
            resolve(incident_id, user)
    return incident_id


def day(month: int, dom: int, hour: int = 10) -> datetime:
    return datetime(2026, month, dom, hour, 0, tzinfo=UTC)
