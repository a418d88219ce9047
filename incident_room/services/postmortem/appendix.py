"""The post-mortem's appendix: the event log's chain head and length (so a reader can check
the document against the log with `flask incidents verify`), and the edit history of every
entry changed after it was written (who, when, before, after)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ...clock import iso
from ...extensions import db
from ...models import Incident, TimelineEntry, TimelineRevision
from ...unit_of_work.chain import GENESIS
from ...wire.people import user_ref

FIELD_ORDER = ("kind", "occurred_at", "text", "details", "deleted")


def chain_summary(incident: Incident) -> dict[str, Any]:
    return {"head": incident.chain_head or GENESIS, "events": incident.last_seq}


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    """The fields one revision changed, each with its value before and after.

    An edit's `before` leaves out `deleted` (only deletes and restores record it): an entry
    being edited was not deleted.
    """
    before = {"deleted": False, **before}
    return [
        {"field": name, "before": before.get(name), "after": after.get(name)}
        for name in FIELD_ORDER
        if before.get(name) != after.get(name)
    ]


def edit_history(incident_id: int) -> list[dict[str, Any]]:
    """Every entry with a change after its creation, in timeline order, with each change."""
    rows = db.session.execute(
        select(TimelineRevision, TimelineEntry)
        .join(TimelineEntry, TimelineEntry.id == TimelineRevision.entry_id)
        .where(TimelineEntry.incident_id == incident_id, TimelineRevision.version > 1)
        .order_by(
            TimelineEntry.occurred_at,
            TimelineEntry.recorded_at,
            TimelineEntry.id,
            TimelineRevision.version,
        )
    )
    history: dict[str, dict[str, Any]] = {}
    for revision, entry in rows:
        record = history.setdefault(
            entry.id,
            {
                "entry_id": entry.id,
                "text": entry.text,
                "recorded_at": iso(entry.recorded_at),
                "author": user_ref(entry.author),
                "changes": [],
            },
        )
        record["changes"].append(
            {
                "version": revision.version,
                "action": revision.action,
                "actor": user_ref(revision.actor),
                "at": iso(revision.at),
                "fields": changed_fields(revision.before or {}, revision.after),
            }
        )
    return list(history.values())
