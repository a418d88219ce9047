"""Posting an update: the IC or the Communications Lead, as an `update` entry."""

from __future__ import annotations

from typing import Any

from ...clock import iso
from ...errors import DomainError
from ...models import Incident, User
from ...policy import AUDIENCE_LABELS
from ..roles import may_communicate
from ..timeline import NewEntry, add_entry
from .drafts import says_something_new
from .facts import last_update_at
from .templates import check_audience


def add_update(
    incident: Incident, actor: User, new: NewEntry, confirmed: bool = False
) -> dict[str, Any]:
    """An `update` entry, unless it would tell its audience nothing new since its last
    update and nobody confirmed that this is meant (`invalid`, field confirm_nothing_new,
    with the last update's time)."""
    details = new.details if isinstance(new.details, dict) else {}
    audience = details.get("audience") or "stakeholders"
    if audience not in AUDIENCE_LABELS:  # refused by the entry's own checks, field named
        return add_entry(incident, actor, new)
    if not confirmed and not says_something_new(incident, audience):
        label = AUDIENCE_LABELS[audience].lower()
        last = last_update_at(incident, audience)
        raise DomainError(
            "invalid",
            f"Nothing new since the last {label} update at {last:%H:%M} UTC. Post it anyway?",
            field="confirm_nothing_new",
            last_update_at=iso(last),
        )
    return add_entry(incident, actor, new)


def post_update(
    incident: Incident, actor: User, audience: str, text: str, confirmed: bool = False
) -> dict[str, Any]:
    """Post the edited draft as an `update` entry (the same path as the room's
    timeline.add), restarting the audience's countdown."""
    check_audience(audience)
    if not may_communicate(incident, actor):
        raise DomainError(
            "forbidden", "Only the Incident Commander or the Communications Lead posts updates."
        )
    new = NewEntry(kind="update", text=text, details={"audience": audience})
    return add_update(incident, actor, new, confirmed)
