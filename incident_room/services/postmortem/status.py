"""The post-mortem's status: draft -> in review -> published (frozen), then a new revision.

The incident follows along: in review puts it in `postmortem`, publishing closes it.
"""

from __future__ import annotations

from typing import Any

from ...clock import now
from ...errors import invalid
from ...models import Incident, User
from ...policy import POSTMORTEM_STATUS_LABELS, POSTMORTEM_STATUS_TRANSITIONS, STATUS_TRANSITIONS
from ...unit_of_work import EventType
from ...wire.incident import incident_dict
from ...wire.postmortem import postmortem_header
from ..lifecycle import mark_status
from .draft import build_document, team_parts
from .milestones import complete_by_status
from .review import ensure_review_period_kept
from .revisions import start_new_revision
from .sections import commit_live_bursts
from .workspace import (
    editable_postmortem,
    ensure_may_publish,
    record_postmortem_event,
)

INCIDENT_STATUS_FOR = {"in_review": "postmortem", "published": "closed"}


def _follow_with_incident(incident: Incident, postmortem_status: str) -> bool:
    target = INCIDENT_STATUS_FOR.get(postmortem_status)
    if target is None or target not in STATUS_TRANSITIONS[incident.status]:
        return False
    mark_status(incident, target)
    return True


def set_status(
    incident: Incident, actor: User, status: str, reason: str | None = None
) -> dict[str, Any]:
    """Move the post-mortem on; publishing inside the review period needs `reason`."""
    postmortem = editable_postmortem(incident)
    if status == postmortem.status:
        return {"postmortem": postmortem_header(postmortem), "unchanged": True}
    if status not in POSTMORTEM_STATUS_TRANSITIONS[postmortem.status]:
        raise invalid(
            "status",
            f"A post-mortem cannot go from {POSTMORTEM_STATUS_LABELS[postmortem.status]} to "
            f"{POSTMORTEM_STATUS_LABELS[status]}.",
        )
    if status == "published":
        ensure_may_publish(incident, actor)
        ensure_review_period_kept(postmortem, reason)
        # What was typed live goes into the published text, not after it.
        commit_live_bursts(incident, postmortem)
    if status == "in_review":
        postmortem.review_started_at = now()
    postmortem.status = status
    complete_by_status(incident, status)
    data: dict[str, Any] = {}
    if _follow_with_incident(incident, status):
        data["incident"] = incident_dict(incident)
    if status == "published":
        postmortem.published_at = now()
        postmortem.published_by = actor
        postmortem.published_document = build_document(incident, postmortem)
    record_postmortem_event(incident, postmortem, EventType.POSTMORTEM_STATUS_CHANGED, actor, data)
    return {"postmortem": postmortem_header(postmortem)}


def new_revision(incident: Incident, actor: User) -> dict[str, Any]:
    postmortem = start_new_revision(incident, actor)
    data = team_parts(postmortem)
    record_postmortem_event(
        incident, postmortem, EventType.POSTMORTEM_REVISION_STARTED, actor, data
    )
    return {"postmortem": postmortem_header(postmortem), **data}
