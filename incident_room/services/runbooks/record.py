"""The runbooks of a finished response, for its post-mortem: which were used and which of
their steps were done (by whom, when), whether they need changes, and - when the alert
came with none - the suggestion to write one."""

from __future__ import annotations

from sqlalchemy import select

from ...clock import iso
from ...extensions import db
from ...models import ChecklistItem, Incident, IncidentRunbook, RunbookStepItem
from ...wire.people import user_ref
from ...wire.runbooks import RunbookRecord, RunbookUsed, StepRecord
from .room import attached

QUESTION = (
    "Did the runbook lead the responders to the cause or the mitigation? Which steps were"
    " wrong, missing or skipped: does it need changes?"
)


def _steps(link: IncidentRunbook) -> list[StepRecord]:
    rows = db.session.execute(
        select(RunbookStepItem, ChecklistItem)
        .join(ChecklistItem, ChecklistItem.id == RunbookStepItem.checklist_item_id)
        .where(RunbookStepItem.incident_runbook_id == link.id)
        .order_by(ChecklistItem.position, ChecklistItem.id)
    )
    return [
        {
            "section": step.section,
            "number": step.number,
            "text": item.text,
            "done": item.done,
            "done_by": user_ref(item.done_by),
            "done_at": iso(item.done_at) if item.done_at else None,
        }
        for step, item in rows
    ]


def _used(link: IncidentRunbook) -> RunbookUsed:
    steps = _steps(link)
    return {
        "id": link.runbook.id,
        "title": link.runbook.title,
        "alert_key": link.runbook.alert_key,
        "version": link.version,
        "via": link.via,
        "url": f"/runbooks/{link.runbook.id}",
        "steps": steps,
        "steps_done": sum(step["done"] for step in steps),
    }


def runbook_record(incident: Incident) -> RunbookRecord:
    links = attached(incident.id)
    missing = None
    if incident.alert_key and not any(link.via == "alert" for link in links):
        missing = {
            "alert_key": incident.alert_key,
            "suggestion": f"Write a runbook for alert {incident.alert_key}: it fired with none.",
        }
    return {
        "used": [_used(link) for link in links],
        "question": QUESTION if links else None,
        "missing": missing,
    }
