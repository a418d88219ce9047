"""The tamper-evident event log: each event carries the hash of the one before it.

An event's hash covers the previous event's hash and the event's own canonical content
(incident, seq, type, actor, time, data), so changing, removing or reordering any event
breaks every link after it. `verify_chain` names the first broken link.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import select

from ..clock import iso
from ..extensions import db
from ..models import Incident, IncidentEvent

GENESIS = "0" * 64


def canonical_content(event: IncidentEvent) -> bytes:
    content = {
        "incident_id": event.incident_id,
        "seq": event.seq,
        "type": event.type,
        "actor_id": event.actor_id,
        "at": iso(event.at),
        "data": event.data,
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def event_hash(prev_hash: str, event: IncidentEvent) -> str:
    return hashlib.sha256(prev_hash.encode() + b"\n" + canonical_content(event)).hexdigest()


def link(incident: Incident, event: IncidentEvent) -> None:
    """Chain a new event onto the incident's log (inside the event's transaction)."""
    event.prev_hash = incident.chain_head or GENESIS
    event.hash = event_hash(event.prev_hash, event)
    incident.chain_head = event.hash


@dataclass(frozen=True)
class ChainReport:
    count: int
    head: str
    broken_seq: int | None = None
    reason: str | None = None

    @property
    def intact(self) -> bool:
        return self.broken_seq is None


def verify_chain(incident: Incident) -> ChainReport:
    """Walk the log in seq order and report the first link that does not hold."""
    events = db.session.scalars(
        select(IncidentEvent)
        .where(IncidentEvent.incident_id == incident.id)
        .order_by(IncidentEvent.seq)
    )
    previous, count = GENESIS, 0
    for expected_seq, event in enumerate(events, start=1):
        count += 1
        if event.seq != expected_seq:
            return ChainReport(count, previous, expected_seq, f"event {expected_seq} is missing")
        if event.prev_hash != previous:
            return ChainReport(count, previous, event.seq, "it does not follow the event before")
        if event_hash(previous, event) != event.hash:
            return ChainReport(count, previous, event.seq, "its content was changed")
        previous = event.hash
    if count != incident.last_seq or previous != (incident.chain_head or GENESIS):
        missing = count + 1
        return ChainReport(count, previous, missing, f"event {missing} is missing at the end")
    return ChainReport(count, previous)
