"""Runbooks in the room: one brought by its alert or attached by search, its investigation
and mitigation steps made checklist items linked to their step (inside `run_change`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ...clock import now
from ...errors import DomainError
from ...extensions import db
from ...models import (
    ChecklistItem,
    Incident,
    IncidentRunbook,
    Runbook,
    RunbookStepItem,
    RunbookVersion,
    User,
)
from ...unit_of_work import EventType, record_event
from ...wire.people import UserRef, user_ref
from ...wire.runbooks import RunbookInRoom, RunbookStepView
from ..checklist import add_row, checklist_state
from .markdown import render
from .policy import STEP_LABELS
from .structure import all_steps, escalation_handles

MAX_ITEM_TEXT = 500


def _step_text(section: str, number: int, text: str) -> str:
    label = f"{STEP_LABELS[section]} {number}: "
    return label + text[: MAX_ITEM_TEXT - len(label)]


def attached(incident_id: int) -> list[IncidentRunbook]:
    return list(
        db.session.scalars(
            select(IncidentRunbook)
            .where(IncidentRunbook.incident_id == incident_id)
            .order_by(IncidentRunbook.id)
        )
    )


def _attached_text(link: IncidentRunbook) -> str:
    """The Markdown of the version the room took (the runbook may have changed since)."""
    return (
        db.session.scalar(
            select(RunbookVersion.body).where(
                RunbookVersion.runbook_id == link.runbook_id, RunbookVersion.number == link.version
            )
        )
        or link.runbook.body
    )


def _view(link: IncidentRunbook) -> RunbookInRoom:
    runbook = link.runbook
    rows = db.session.execute(
        select(RunbookStepItem, ChecklistItem)
        .join(ChecklistItem, ChecklistItem.id == RunbookStepItem.checklist_item_id)
        .where(RunbookStepItem.incident_runbook_id == link.id)
        .order_by(ChecklistItem.position, ChecklistItem.id)
    )
    steps: list[RunbookStepView] = [
        {"section": step.section, "number": step.number, "text": item.text, "item_id": item.id}
        for step, item in rows
    ]
    return {
        "id": runbook.id,
        "title": runbook.title,
        "alert_key": runbook.alert_key,
        "version": link.version,
        "via": link.via,
        "html": render(_attached_text(link)),
        "url": f"/runbooks/{runbook.id}",
        "steps": steps,
        "contacts": _contacts(_attached_text(link)),
    }


def _contacts(body: str) -> list[UserRef | None]:
    """The accounts the Escalation section names by @handle: one click pages each."""
    handles = escalation_handles(body)
    if not handles:
        return []
    users = {
        u.username: u for u in db.session.scalars(select(User).where(User.username.in_(handles)))
    }
    return [user_ref(users[handle]) for handle in handles if handle in users]


def runbooks_in_room(incident_id: int) -> list[RunbookInRoom]:
    return [_view(link) for link in attached(incident_id)]


def attach_runbook(incident: Incident, actor: User, runbook: Runbook, via: str) -> dict[str, Any]:
    """Bring `runbook` into the incident: its steps join the checklist, linked to them."""
    if any(link.runbook_id == runbook.id for link in attached(incident.id)):
        raise DomainError("conflict", "That runbook is already in the room.", field="runbook_id")
    link = IncidentRunbook(
        incident_id=incident.id,
        runbook_id=runbook.id,
        runbook=runbook,
        version=runbook.version,
        via=via,
        attached_by_id=actor.id,
        attached_at=now(),
    )
    db.session.add(link)
    db.session.flush()
    for step in all_steps(runbook.body):
        item = add_row(incident, _step_text(step.section, step.number, step.text), actor)
        db.session.add(
            RunbookStepItem(
                checklist_item_id=item.id,
                incident_runbook_id=link.id,
                section=step.section,
                number=step.number,
            )
        )
    db.session.flush()
    data = {"runbook": _view(link), "checklist": checklist_state(incident.id)}
    record_event(incident, EventType.RUNBOOK_ATTACHED, actor, data)
    return data


def attach_found_runbook(incident: Incident, actor: User, runbook_id: int) -> dict[str, Any]:
    """Attach the runbook someone in the room found by search."""
    runbook = db.session.get(Runbook, runbook_id)
    if runbook is None:
        raise DomainError("not_found", "No such runbook.", field="runbook_id")
    return attach_runbook(incident, actor, runbook, via="room")
