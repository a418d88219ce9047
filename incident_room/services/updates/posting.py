"""Posting an update: the IC or the Communications Lead, as an `update` entry."""

from __future__ import annotations

from typing import Any

from ...errors import DomainError
from ...models import Incident, User
from ..roles import may_communicate
from ..timeline import NewEntry, add_entry
from .templates import check_audience


def post_update(incident: Incident, actor: User, audience: str, text: str) -> dict[str, Any]:
    """Post the edited draft as an `update` entry (the same path as the room's
    timeline.add), restarting the audience's countdown."""
    check_audience(audience)
    if not may_communicate(incident, actor):
        raise DomainError(
            "forbidden", "Only the Incident Commander or the Communications Lead posts updates."
        )
    new = NewEntry(kind="update", text=text, details={"audience": audience})
    return add_entry(incident, actor, new)
