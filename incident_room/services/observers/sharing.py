"""Which entries observers see: the IC's or the Communications Lead's call, per entry."""

from __future__ import annotations

from ...errors import DomainError, invalid
from ...models import Incident, User
from ...unit_of_work import EventType, record_event
from ...wire.incident import entry_dict
from ..roles import may_communicate
from ..timeline import entry_in


def share_entry(incident: Incident, actor: User, entry_id: str, shareable: bool) -> dict:
    """Mark an entry shown to observers (or not): the IC's or Communications Lead's call."""
    if not may_communicate(incident, actor):
        raise DomainError(
            "forbidden", "Only the Incident Commander or the Communications Lead shares entries."
        )
    entry = entry_in(incident, entry_id)
    if entry.deleted:
        raise invalid("entry_id", "This entry was deleted; restore it first.")
    if entry.shareable == shareable:
        return {"entry": entry_dict(entry), "unchanged": True}
    entry.shareable = shareable
    record_event(incident, EventType.TIMELINE_SHARED, actor, {"entry": entry_dict(entry)})
    return {"entry": entry_dict(entry)}
