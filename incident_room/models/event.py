"""The append-only event log and the record of applied client operations."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import now
from ..extensions import db
from .types import UTCDateTime


class IncidentEvent(db.Model):
    """One persisted change; `seq` is per incident, starts at 1 and has no gaps."""

    __tablename__ = "incident_events"
    __table_args__ = (UniqueConstraint("incident_id", "seq", name="uq_incident_events_seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(40))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The tamper-evident chain (unit_of_work/chain.py): the previous event's hash and this one's.
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    # HMAC of `hash` with the chain key, which the database does not hold: someone who can
    # only write the database cannot re-seal a rewritten chain.
    seal: Mapped[str | None] = mapped_column(String(64))


class AppliedOperation(db.Model):
    """A client op_id already applied, with the ack it got, so a retry repeats that ack."""

    __tablename__ = "applied_operations"
    __table_args__ = (UniqueConstraint("incident_id", "op_id", name="uq_applied_operations_op"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"))
    op_id: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
