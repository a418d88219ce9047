"""Making an incident public: its IC or Communications Lead chooses the components it
affects and their state (on the incident's event log, through run_change); after the
all-clear they set the components back."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select

from ...errors import DomainError
from ...extensions import db
from ...models import (
    Incident,
    StatusComponent,
    StatusIncidentComponent,
    StatusPublicIncident,
    User,
)
from ...unit_of_work import EventType, record_event
from ..roles import may_communicate
from .components import bump_version, check_state, require_components, settle
from .policy import OPEN_STATUSES, STATE_FOR_SEVERITY


def is_public(incident: Incident) -> bool:
    """Shown on the status page: marked public, and neither a drill nor private."""
    if incident.drill or incident.private:
        return False
    return db.session.get(StatusPublicIncident, incident.id) is not None


def offered_state(incident: Incident) -> str:
    """The state offered for the affected components, from the severity's impact level."""
    return STATE_FOR_SEVERITY.get(incident.severity, "partial_outage")


def affected_components(incident_id: int) -> dict[int, str]:
    """{component id: the state this incident chose for it}."""
    rows = db.session.execute(
        select(StatusIncidentComponent.component_id, StatusIncidentComponent.state).where(
            StatusIncidentComponent.incident_id == incident_id
        )
    )
    return {component_id: state for component_id, state in rows}


def _may_speak(incident: Incident, actor: User) -> None:
    if not may_communicate(incident, actor):
        raise DomainError(
            "forbidden",
            "Only the Incident Commander or the Communications Lead changes the status page.",
        )


def _component_list(components: dict[int, StatusComponent], chosen: dict[int, str]) -> list:
    return [
        {"id": cid, "name": components[cid].name, "state": state}
        for cid, state in sorted(chosen.items())
    ]


def publish_incident(incident: Incident, actor: User, chosen: dict[int, str]) -> dict[str, Any]:
    """Show the incident on the status page with the components it affects in the states
    chosen (run inside run_change). Drills and private incidents never go public."""
    _may_speak(incident, actor)
    if incident.drill:
        raise DomainError("invalid", "A drill never goes on the status page.", field="public")
    if incident.private:
        raise DomainError(
            "invalid", "A private incident never goes on the status page.", field="public"
        )
    if incident.status not in OPEN_STATUSES:
        raise DomainError("invalid", "The incident is over: set its components back instead.")
    for state in chosen.values():
        check_state(state)
    components = require_components(chosen)
    if db.session.get(StatusPublicIncident, incident.id) is None:
        db.session.add(StatusPublicIncident(incident_id=incident.id))
    before = affected_components(incident.id)
    db.session.execute(
        delete(StatusIncidentComponent).where(StatusIncidentComponent.incident_id == incident.id)
    )
    db.session.add_all(
        StatusIncidentComponent(incident_id=incident.id, component_id=cid, state=state)
        for cid, state in chosen.items()
    )
    db.session.flush()
    for component in db.session.scalars(
        select(StatusComponent).where(StatusComponent.id.in_(set(before) | set(chosen)))
    ):
        settle(component, incident)
    bump_version()
    record_event(
        incident,
        EventType.STATUS_PAGE_PUBLISHED,
        actor,
        {"components": _component_list(components, chosen)},
    )
    return {"ok": True, "seq": incident.last_seq}


def restore_components(incident: Incident, actor: User) -> dict[str, Any]:
    """After the all-clear: the components this incident affected go back to what the
    other public incidents say (operational when none)."""
    _may_speak(incident, actor)
    before = affected_components(incident.id)
    if not before:
        raise DomainError("invalid", "No component is set by this incident.")
    db.session.execute(
        delete(StatusIncidentComponent).where(StatusIncidentComponent.incident_id == incident.id)
    )
    db.session.flush()
    components = {
        c.id: c
        for c in db.session.scalars(
            select(StatusComponent).where(StatusComponent.id.in_(before.keys()))
        )
    }
    for component in components.values():
        settle(component, incident)
    bump_version()
    restored = {cid: components[cid].state for cid in components}
    record_event(
        incident,
        EventType.STATUS_PAGE_RESTORED,
        actor,
        {"components": _component_list(components, restored)},
    )
    return {"ok": True, "seq": incident.last_seq}
