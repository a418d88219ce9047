"""The day-30 action item review: a short checklist of the post-mortem's action items with
their states, and the outcome the owner records (which completes the last milestone)."""

from __future__ import annotations

from typing import Any

from ...clock import iso, now
from ...errors import DomainError, invalid
from ...extensions import db
from ...models import Incident, PostmortemActionReview, User
from ...policy import ACTION_ITEM_OPEN_STATES, ACTION_ITEM_STATES, ACTION_REVIEW_OUTCOMES
from ...unit_of_work import EventType
from ...wire.people import user_ref
from .action_items import active_action_items
from .milestones import milestone_rows
from .workspace import ensure_may_publish, record_postmortem_event, require_postmortem


def checklist(incident: Incident) -> list[dict[str, Any]]:
    """Each live action item of the current revision: text, owner, due date, state."""
    return [
        {
            "id": item.id,
            "text": item.text,
            "owner": user_ref(item.owner),
            "due_on": item.due_on.isoformat() if item.due_on else None,
            "state": item.state,
            "state_label": ACTION_ITEM_STATES[item.state],
            "settled": item.state not in ACTION_ITEM_OPEN_STATES,
        }
        for item in active_action_items(require_postmortem(incident))
    ]


def _record_view(record: PostmortemActionReview | None) -> dict[str, Any] | None:
    if record is None:
        return None
    return {
        "outcome": record.outcome,
        "outcome_label": ACTION_REVIEW_OUTCOMES[record.outcome],
        "notes": record.notes,
        "checklist": record.checklist,
        "recorded_by": user_ref(record.recorded_by),
        "recorded_at": iso(record.recorded_at),
    }


def action_review_state(incident: Incident) -> dict[str, Any]:
    """The checklist as it stands now, and the outcome recorded (null until then)."""
    return {
        "checklist": checklist(incident),
        "record": _record_view(db.session.get(PostmortemActionReview, incident.id)),
    }


def record_action_review(
    incident: Incident, actor: User, outcome: str, notes: str | None
) -> dict[str, Any]:
    """The owner (or the IC) records the review's outcome with the checklist as it stood;
    held again, the newer outcome replaces it (the event log keeps both)."""
    ensure_may_publish(incident, actor)
    postmortem = require_postmortem(incident)
    if outcome == "follow_up" and not notes:
        raise invalid("notes", "Say what needs following up, and who does it.")
    items = checklist(incident)
    if outcome == "done" and any(not item["settled"] for item in items):
        raise invalid("outcome", "Some items are still open: record a follow-up instead.")
    rows = milestone_rows(incident.id)
    if not rows:
        raise DomainError(
            "not_found", "The schedule starts when the all-clear is called.", field="milestone"
        )
    record = db.session.get(PostmortemActionReview, incident.id)
    if record is None:
        record = PostmortemActionReview(incident_id=incident.id)
        db.session.add(record)
    record.outcome, record.notes, record.checklist = outcome, notes, items
    record.recorded_by, record.recorded_at = actor, now()
    for row in rows:
        if row.key == "action_review" and row.done_at is None:
            row.done_at = now()
    db.session.flush()
    data = {"action_review": action_review_state(incident)}
    record_postmortem_event(
        incident, postmortem, EventType.POSTMORTEM_ACTION_REVIEW_RECORDED, actor, data
    )
    return data
