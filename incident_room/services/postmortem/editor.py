"""What the post-mortem editor needs: the current revision, its team-written parts, the
blameless flags, whether it is required, whether the viewer may publish, and who can own an
action item."""

from __future__ import annotations

from typing import Any

from ...errors import DomainError
from ...models import Incident, User
from ...wire.postmortem import postmortem_header
from ..participants import participants_state
from .action_review import action_review_state
from .draft import blame_flags, team_parts
from .milestones import milestones_of
from .requirement import requirement_of
from .review import reviews_of
from .workspace import ensure_may_publish, require_postmortem


def _may_publish(incident: Incident, viewer: User) -> bool:
    try:
        ensure_may_publish(incident, viewer)
    except DomainError:
        return False
    return True


def editor_state(incident: Incident, viewer: User) -> dict[str, Any]:
    postmortem = require_postmortem(incident)
    parts = team_parts(postmortem)
    return {
        "postmortem": postmortem_header(postmortem),
        **parts,
        "blameless": blame_flags(incident, parts),
        "may_publish": _may_publish(incident, viewer),
        "participants": participants_state(incident.id),
        "requirement": requirement_of(incident),
        "milestones": milestones_of(incident.id),
        "reviews": reviews_of(postmortem),
        "action_review": action_review_state(incident),
        "seq": incident.last_seq,
    }
