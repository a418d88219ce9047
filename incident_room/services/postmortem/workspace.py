"""Finding an incident's current post-mortem revision, and what every change to it checks
and records: it exists, it is not frozen, who may publish."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select

from ...clock import now
from ...errors import DomainError
from ...extensions import db
from ...models import Incident, IncidentEvent, Postmortem, User
from ...unit_of_work import record_event
from ...wire.postmortem import postmortem_header
from ..roles import is_commander


def current_postmortem(incident_id: int) -> Postmortem | None:
    return db.session.scalar(
        select(Postmortem)
        .where(Postmortem.incident_id == incident_id)
        .order_by(Postmortem.revision.desc())
        .limit(1)
    )


def postmortem_pending(incident: Incident) -> bool:
    """Owed but not yet published: its due date stays in view after the all-clear."""
    if incident.postmortem_due_at is None or incident.status == "closed":
        return False
    postmortem = current_postmortem(incident.id)
    return postmortem is not None and postmortem.status != "published"


def postmortem_overdue(incident: Incident) -> bool:
    return postmortem_pending(incident) and now() >= incident.postmortem_due_at


# Built once: live text asks it once a keystroke (services/live_text/records.py).
_CURRENT_ID_AND_STATUS = (
    select(Postmortem.id, Postmortem.status)
    .where(Postmortem.incident_id == bindparam("incident_id"))
    .order_by(Postmortem.revision.desc())
    .limit(1)
)


def _not_open_yet() -> DomainError:
    return DomainError(
        "not_found",
        "The post-mortem opens when the Incident Commander calls all-clear.",
        field="postmortem",
    )


def _check_editable(status: str) -> None:
    if status == "published":
        raise DomainError(
            "invalid",
            "This revision is published and frozen; start a new revision to change it.",
            field="status",
        )


def require_postmortem(incident: Incident) -> Postmortem:
    postmortem = current_postmortem(incident.id)
    if postmortem is None:
        raise _not_open_yet()
    return postmortem


def editable_postmortem(incident: Incident) -> Postmortem:
    postmortem = require_postmortem(incident)
    _check_editable(postmortem.status)
    return postmortem


def editable_postmortem_id(incident_id: int) -> int:
    """The current revision's id, when it may be edited: `editable_postmortem` in one small
    query, for what runs once a keystroke."""
    row = db.session.execute(_CURRENT_ID_AND_STATUS, {"incident_id": incident_id}).one_or_none()
    if row is None:
        raise _not_open_yet()
    _check_editable(row.status)
    return row.id


def ensure_may_publish(incident: Incident, actor: User) -> None:
    """Publishing and starting a new revision belong to the post-mortem owner and the IC."""
    if actor.id != incident.postmortem_owner_id and not is_commander(incident, actor):
        raise DomainError(
            "forbidden", "Only the post-mortem owner or the Incident Commander can do that."
        )


def record_postmortem_event(
    incident: Incident,
    postmortem: Postmortem,
    event_type: str,
    actor: User,
    data: dict[str, Any],
) -> IncidentEvent:
    return record_event(
        incident, event_type, actor, {"postmortem": postmortem_header(postmortem), **data}
    )


def create_revision(incident: Incident, actor: User | None, revision: int) -> Postmortem:
    postmortem = Postmortem(
        incident_id=incident.id,
        revision=revision,
        status="draft",
        opened_at=now(),
        opened_by_id=actor.id if actor else None,
    )
    db.session.add(postmortem)
    db.session.flush()
    return postmortem
