"""The scribe log: add, edit (with merge), delete and restore entries, and their history."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, bindparam, select

from ..clock import iso, now
from ..errors import DomainError, invalid
from ..extensions import db
from ..models import Incident, LiveTextDocument, TimelineEntry, TimelineRevision, User
from ..models.user import public_user
from ..policy import ENTRY_EARLIEST_BEFORE_DECLARATION, ENTRY_LATEST_AFTER_NOW
from ..unit_of_work import EventType, record_event
from ..unit_of_work.pending import append_instance, append_row
from ..wire.incident import entry_dict, entry_fields, entry_wire, revision_dict
from .entry_details import complete_details, parse_details
from .live_text import documents as live_documents
from .live_text.policy import entry_document
from .merge import MergeConflict, merge_fields
from .rows import row_in
from .webhooks import notify

# Ties broken by id, so every reader lists entries in the same order.
TIMELINE_ORDER = (TimelineEntry.occurred_at, TimelineEntry.recorded_at, TimelineEntry.id)


@dataclass(frozen=True)
class NewEntry:
    kind: str
    text: str
    occurred_at: datetime | None = None
    entry_id: str | None = None
    details: Any = None  # as sent; checked against the kind by entry_details


@dataclass(frozen=True)
class EntryEdit:
    entry_id: str
    base_version: int
    changes: dict[str, Any]  # any of kind, text, occurred_at (ISO string), details (as sent)


def ordered_entries(incident_id: int) -> list[TimelineEntry]:
    return list(
        db.session.scalars(
            select(TimelineEntry)
            .where(TimelineEntry.incident_id == incident_id)
            .order_by(*TIMELINE_ORDER)
        )
    )


def timeline_state(incident_id: int) -> list[dict[str, Any]]:
    """Every entry as the wire carries it, in timeline order, read as plain rows: a join
    of thousands of entries then builds no model objects (that was two thirds of the time
    `join` took for 5,000 entries), and on the connection: the ORM's result handling
    cost as much again."""
    rows = db.session.connection().execute(
        select(
            *TimelineEntry.__table__.columns,
            User.username.label("author_username"),
            User.display_name.label("author_display_name"),
        )
        .outerjoin(User, User.id == TimelineEntry.author_id)
        .where(TimelineEntry.incident_id == incident_id)
        .order_by(*TIMELINE_ORDER)
    )
    return [entry_wire(row, _author_of(row)) for row in rows]


def _author_of(row: Row) -> dict[str, Any] | None:
    if row.author_id is None:
        return None
    return public_user(row.author_id, row.author_username, row.author_display_name)


def _revise(
    entry: TimelineEntry, actor: User | None, action: str, before: dict[str, Any] | None
) -> None:
    append_row(
        TimelineRevision.__table__,
        {
            "entry_id": entry.id,
            "version": entry.version,
            "action": action,
            "actor_id": actor.id if actor else None,
            "at": now(),
            "before": before,
            "after": {**entry_fields(entry), "deleted": entry.deleted},
        },
    )


_ENTRY_EXISTS = select(TimelineEntry.id).where(TimelineEntry.id == bindparam("entry_id"))


def check_occurred_at(incident: Incident, at: datetime) -> None:
    """An entry happened within a sane window around the incident (policy.py says why)."""
    earliest = incident.declared_at - ENTRY_EARLIEST_BEFORE_DECLARATION
    latest = now() + ENTRY_LATEST_AFTER_NOW
    if not earliest <= at <= latest:
        raise invalid(
            "occurred_at",
            f"occurred_at must be between {iso(earliest)} ({ENTRY_EARLIEST_BEFORE_DECLARATION.days}"
            f" days before the declaration) and {iso(latest)} (an hour from now).",
        )


def write_entry(incident: Incident, actor: User | None, new: NewEntry) -> TimelineEntry:
    """Create an entry (without an event of its own: the caller's event carries it).

    Written as a plain row at commit (unit_of_work/pending.py), like its first revision:
    the returned entry is not in the session, and the transaction that writes it cannot
    read it back.
    """
    if new.entry_id and db.session.scalar(_ENTRY_EXISTS, {"entry_id": new.entry_id}):
        raise invalid("entry_id", "An entry with this id already exists.")
    if new.occurred_at is not None:
        check_occurred_at(incident, new.occurred_at)
    recorded = now()
    entry = TimelineEntry(
        id=new.entry_id or str(uuid.uuid4()),
        incident_id=incident.id,
        kind=new.kind,
        text=new.text,
        details=complete_details(new.kind, parse_details(incident, new.kind, new.details)),
        occurred_at=new.occurred_at or recorded,
        recorded_at=recorded,
        author_id=actor.id if actor else None,
        author=actor,
        version=1,
        deleted=False,
        shareable=False,
    )
    append_instance(entry)
    _revise(entry, actor, "create", None)
    return entry


def add_entry(incident: Incident, actor: User, new: NewEntry) -> dict[str, Any]:
    entry = write_entry(incident, actor, new)
    if entry.kind == "update":
        notify(incident, "update_posted", {"text": entry.text, **entry.details})
    record_event(incident, EventType.TIMELINE_ADDED, actor, {"entry": entry_dict(entry)})
    return {"entry": entry_dict(entry)}


def entry_in(incident: Incident, entry_id: str) -> TimelineEntry:
    return row_in(incident.id, TimelineEntry, entry_id, "timeline entry", "entry_id")


_DELETED = select(TimelineEntry.deleted).where(
    TimelineEntry.incident_id == bindparam("incident_id"),
    TimelineEntry.id == bindparam("entry_id"),
)


def entry_deleted(incident: Incident, entry_id: str) -> bool:
    """Whether the entry is deleted (`not_found` when there is none): one small query, for
    what runs once a keystroke."""
    deleted = db.session.execute(
        _DELETED, {"incident_id": incident.id, "entry_id": entry_id}
    ).scalar_one_or_none()
    if deleted is None:
        raise DomainError("not_found", "No such timeline entry.", field="entry_id")
    return deleted


def _fields_at(entry: TimelineEntry, version: int) -> dict[str, Any]:
    if version > entry.version:
        raise invalid("base_version", "base_version is newer than the entry.")
    revision = db.session.scalar(
        select(TimelineRevision).filter_by(entry_id=entry.id, version=version)
    )
    if revision is None:
        raise invalid("base_version", "No such version of this entry.")
    return revision.after


def _conflict(entry: TimelineEntry, message: str, field: str | None = None) -> DomainError:
    return DomainError("conflict", message, current=entry_dict(entry), field=field)


def _flatten(fields: dict[str, Any]) -> dict[str, Any]:
    """Detail fields as fields of their own, so two people may change different ones."""
    flat = {name: value for name, value in fields.items() if name != "details"}
    flat.update({f"details.{k}": v for k, v in (fields.get("details") or {}).items()})
    return flat


def _unflatten(flat: dict[str, Any]) -> dict[str, Any]:
    fields = {name: value for name, value in flat.items() if not name.startswith("details.")}
    fields["details"] = {
        name.removeprefix("details."): value
        for name, value in flat.items()
        if name.startswith("details.")
    }
    return fields


def _checked_changes(incident: Incident, entry: TimelineEntry, changes: dict) -> dict:
    if "occurred_at" in changes:
        check_occurred_at(incident, datetime.fromisoformat(changes["occurred_at"]))
    if "details" not in changes:
        return changes
    kind = changes.get("kind", entry.kind)
    return {**changes, "details": parse_details(incident, kind, changes["details"])}


def commit_live_text(incident: Incident, entry_id: str, text: str, authors: list[User]) -> int:
    """A settled burst of live editing (services/live_text) as one revision, credited to
    everyone who typed in it; the entry's version."""
    entry = entry_in(incident, entry_id)
    if entry.text == text:
        return entry.version
    before = entry_fields(entry)
    entry.text = text
    entry.version += 1
    actor = authors[-1] if authors else None
    _revise(entry, actor, "edit", before)
    data = {"entry": entry_dict(entry), "merged": False, "live": True}
    record_event(
        incident,
        EventType.TIMELINE_EDITED,
        actor,
        {**data, "authors": [author.to_public() for author in authors]},
    )
    return entry.version


def _live_document(incident: Incident, entry: TimelineEntry) -> LiveTextDocument | None:
    """The entry's live document, its open burst committed first (so an edit that does
    not come through live text merges with what was typed live)."""
    return live_documents.settled_document(
        incident.id,
        str(entry_document(entry.id)),
        lambda burst: commit_live_text(incident, entry.id, burst.text, burst.authors),
    )


def edit_entry(incident: Incident, actor: User, edit: EntryEdit) -> dict[str, Any]:
    entry = entry_in(incident, edit.entry_id)
    if entry.deleted:
        raise _conflict(entry, "This entry was deleted meanwhile; restore it to edit it.")
    document = _live_document(incident, entry)
    changes = _checked_changes(incident, entry, edit.changes)
    base = _fields_at(entry, edit.base_version)
    before = entry_fields(entry)
    try:
        merged = _unflatten(merge_fields(_flatten(base), _flatten(before), _flatten(changes)))
    except MergeConflict as clash:
        raise _conflict(
            entry, f"Someone changed the same {clash.field} meanwhile.", clash.field
        ) from None
    merged["details"] = complete_details(merged["kind"], merged["details"])
    if merged == before:
        return {"entry": entry_dict(entry), "merged": False, "unchanged": True}
    entry.kind = merged["kind"]
    entry.text = merged["text"]
    entry.details = merged["details"]
    entry.occurred_at = datetime.fromisoformat(merged["occurred_at"])
    entry.version += 1
    _revise(entry, actor, "edit", before)
    if document is not None:
        live_documents.write_text(document, entry.text, entry.version, actor)
    was_merged = edit.base_version != entry.version - 1
    record_event(
        incident,
        EventType.TIMELINE_EDITED,
        actor,
        {"entry": entry_dict(entry), "merged": was_merged},
    )
    return {"entry": entry_dict(entry), "merged": was_merged}


def _set_deleted(
    incident: Incident, actor: User, entry_id: str, base_version: int, deleted: bool
) -> dict[str, Any]:
    entry = entry_in(incident, entry_id)
    if base_version != entry.version:
        raise _conflict(entry, "This entry changed meanwhile; look at it again first.")
    if entry.deleted == deleted:
        return {"entry": entry_dict(entry), "unchanged": True}
    before = entry_fields(entry) | {"deleted": entry.deleted}
    entry.deleted = deleted
    entry.version += 1
    _revise(entry, actor, "delete" if deleted else "restore", before)
    event_type = EventType.TIMELINE_DELETED if deleted else EventType.TIMELINE_RESTORED
    record_event(incident, event_type, actor, {"entry": entry_dict(entry)})
    return {"entry": entry_dict(entry)}


def delete_entry(incident: Incident, actor: User, entry_id: str, base_version: int) -> dict:
    return _set_deleted(incident, actor, entry_id, base_version, True)


def restore_entry(incident: Incident, actor: User, entry_id: str, base_version: int) -> dict:
    return _set_deleted(incident, actor, entry_id, base_version, False)


def entry_history(incident: Incident, entry_id: str) -> list[dict[str, Any]]:
    entry = entry_in(incident, entry_id)
    revisions = db.session.scalars(
        select(TimelineRevision).filter_by(entry_id=entry.id).order_by(TimelineRevision.version)
    )
    return [revision_dict(revision) for revision in revisions]


def latest_update_for(incident_id: int, audience: str) -> TimelineEntry | None:
    """The last posted update for `audience` (stakeholders or status_page)."""
    updates = db.session.scalars(
        select(TimelineEntry)
        .where(
            TimelineEntry.incident_id == incident_id,
            TimelineEntry.kind == "update",
            TimelineEntry.deleted.is_(False),
        )
        .order_by(TimelineEntry.recorded_at.desc())
    )
    return next((u for u in updates if (u.details or {}).get("audience") == audience), None)
