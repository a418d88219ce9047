"""The tamper-evident event log: each event carries the hash of the one before it.

An event's hash covers the previous event's hash and the event's own canonical content
(incident, seq, type, actor, time, data), so changing, removing or reordering any event
breaks every link after it. Anyone can recompute plain hashes, so each event's hash is also
sealed with an HMAC under the chain key (CHAIN_KEY, else derived from SECRET_KEY), which
lives with the server, not in the database; the incident's head (its last seq and hash) is
sealed the same way, so cutting events off the end is caught too. Someone who can write the
database but not read the server's key cannot re-seal what they rewrote. `verify_chain`
names the first broken link.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass

from flask import current_app
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


def chain_key() -> bytes:
    configured = current_app.config.get("CHAIN_KEY") or ""
    if configured:
        return configured.encode()
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, b"incident-room/event-chain", hashlib.sha256).digest()


def seal_of(text: str, key: bytes) -> str:
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


def head_text(incident: Incident) -> str:
    return f"{incident.id}:{incident.last_seq}:{incident.chain_head or GENESIS}"


def link(incident: Incident, event: IncidentEvent) -> None:
    """Chain a new event onto the incident's log and seal it (inside its transaction)."""
    key = chain_key()
    event.prev_hash = incident.chain_head or GENESIS
    event.hash = event_hash(event.prev_hash, event)
    event.seal = seal_of(event.hash, key)
    incident.chain_head = event.hash
    incident.head_seal = seal_of(head_text(incident), key)


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
    key, previous, count = chain_key(), GENESIS, 0
    for expected_seq, event in enumerate(events, start=1):
        count += 1
        if (reason := _broken(event, expected_seq, previous, key)) is not None:
            return ChainReport(count, previous, expected_seq, reason)
        previous = event.hash
    if count != incident.last_seq or previous != (incident.chain_head or GENESIS):
        missing = count + 1
        return ChainReport(count, previous, missing, f"event {missing} is missing at the end")
    if count and not hmac.compare_digest(
        incident.head_seal or "", seal_of(head_text(incident), key)
    ):
        return ChainReport(count, previous, count, "the log's end is not sealed with this key")
    return ChainReport(count, previous)


def _broken(event: IncidentEvent, seq: int, previous: str, key: bytes) -> str | None:
    if event.seq != seq:
        return f"event {seq} is missing"
    if event.prev_hash != previous:
        return "it does not follow the event before"
    if event_hash(previous, event) != event.hash:
        return "its content was changed"
    if not hmac.compare_digest(event.seal or "", seal_of(event.hash, key)):
        return "it is not sealed with this server's chain key (rewritten outside the app?)"
    return None
