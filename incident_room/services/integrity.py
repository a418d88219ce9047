"""Whether what people read is what the event log says: the timeline entries, the roles and
the checklist as they stand are compared with the log replayed from its first event, so an
edit made to those tables behind the app's back is named, even with the chain intact.

The replay takes each event's own copy of what it changed (its `entry`, `roles`,
`checklist` or checklist `item`), last one wins. `flask incidents verify` runs this after
the chain check (unit_of_work/chain.py), and docs/security.md says what the two prove.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from ..extensions import db
from ..models import Incident, IncidentEvent, TimelineEntry
from ..unit_of_work.chain import ChainReport, verify_chain
from ..wire.incident import entry_dict
from .checklist import checklist_state
from .roles import roles_state

ENTRY_FIELDS = ("kind", "text", "occurred_at", "details", "version", "deleted", "shareable")
ITEM_FIELDS = ("text", "done", "position")
SHOWN = 5  # differences named in a report; the rest are counted


@dataclass(frozen=True)
class Difference:
    part: str  # "timeline entry <id>", "role incident_commander", "checklist item 7"
    field: str
    logged: Any
    stored: Any

    def sentence(self) -> str:
        return f"{self.part}: {self.field} is {self.stored!r} but the log says {self.logged!r}"


@dataclass
class Replay:
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    roles: dict[str, int | None] = field(default_factory=dict)
    checklist: dict[int, dict[str, Any]] = field(default_factory=dict)

    def apply(self, event_type: str, data: dict[str, Any]) -> None:
        """The log is trusted here (its chain was checked first); shapes are still checked
        so a log from an older version replays without a crash."""
        if isinstance(entry := data.get("entry"), dict) and "id" in entry:
            self.entries[entry["id"]] = entry
        if isinstance(roles := data.get("roles"), list):
            self.roles = _holders(roles)
        if isinstance(checklist := data.get("checklist"), list):
            self.checklist = {item["id"]: item for item in checklist if "id" in item}
        item = data.get("item")
        if event_type.startswith("checklist.") and isinstance(item, dict) and "id" in item:
            self.checklist[item["id"]] = item


@dataclass(frozen=True)
class IntegrityReport:
    chain: ChainReport
    differences: list[Difference]

    @property
    def intact(self) -> bool:
        return self.chain.intact and not self.differences


def _holders(roles: list[dict[str, Any]]) -> dict[str, int | None]:
    return {row["role"]: (row.get("holder") or {}).get("id") for row in roles}


def replay(incident: Incident) -> Replay:
    replayed = Replay()
    events = db.session.execute(
        select(IncidentEvent.type, IncidentEvent.data)
        .where(IncidentEvent.incident_id == incident.id)
        .order_by(IncidentEvent.seq)
    )
    for event_type, data in events:
        replayed.apply(event_type, data or {})
    return replayed


def _compare(part: str, fields: tuple[str, ...], logged: dict, stored: dict) -> list[Difference]:
    return [
        Difference(part, name, logged.get(name), stored.get(name))
        for name in fields
        if logged.get(name) != stored.get(name)
    ]


def _entry_differences(incident: Incident, replayed: Replay) -> list[Difference]:
    stored = {
        entry.id: entry_dict(entry)
        for entry in db.session.scalars(
            select(TimelineEntry).where(TimelineEntry.incident_id == incident.id)
        )
    }
    found = []
    for entry_id in sorted(set(stored) | set(replayed.entries)):
        part = f"timeline entry {entry_id}"
        if entry_id not in replayed.entries:
            found.append(Difference(part, "existence", "no such entry", "present"))
        elif entry_id not in stored:
            found.append(Difference(part, "existence", "present", "missing"))
        else:
            found += _compare(part, ENTRY_FIELDS, replayed.entries[entry_id], stored[entry_id])
    return found


def _role_differences(incident: Incident, replayed: Replay) -> list[Difference]:
    stored = _holders(roles_state(incident))
    return [
        Difference(f"role {role}", "holder", replayed.roles.get(role), stored.get(role))
        for role in sorted(set(stored) | set(replayed.roles))
        if replayed.roles.get(role) != stored.get(role)
    ]


def _checklist_differences(incident: Incident, replayed: Replay) -> list[Difference]:
    stored = {item["id"]: item for item in checklist_state(incident.id)}
    found = []
    for item_id in sorted(set(stored) | set(replayed.checklist)):
        part = f"checklist item {item_id}"
        logged, now_stored = replayed.checklist.get(item_id), stored.get(item_id)
        if logged is None or now_stored is None:
            found.append(Difference(part, "existence", logged is not None, now_stored is not None))
        else:
            found += _compare(part, ITEM_FIELDS, logged, now_stored)
            logged_by = (logged.get("done_by") or {}).get("id")
            stored_by = (now_stored.get("done_by") or {}).get("id")
            if logged_by != stored_by:
                found.append(Difference(part, "done_by", logged_by, stored_by))
    return found


def verify_incident(incident: Incident) -> IntegrityReport:
    """The chain (sealed, unbroken), then the tables people read against the replayed log
    (a broken chain is not replayed: it is the answer)."""
    chain = verify_chain(incident)
    if not chain.intact:
        return IntegrityReport(chain, [])
    replayed = replay(incident)
    differences = (
        _entry_differences(incident, replayed)
        + _role_differences(incident, replayed)
        + _checklist_differences(incident, replayed)
    )
    return IntegrityReport(chain, differences)
