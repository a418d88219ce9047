"""The incident itself and who may see a private one."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import now
from ..extensions import db
from ..policy import TITLE_MAX_LENGTH
from .types import UTCDateTime
from .user import User


class Incident(db.Model):
    __tablename__ = "incidents"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX_LENGTH))
    summary: Mapped[str] = mapped_column(Text, default="")
    severity: Mapped[str | None] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(20), default="declared", index=True)
    private: Mapped[bool] = mapped_column(Boolean, default=False)
    declared_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    declared_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    # The last event's seq; bumped inside the transaction that appends the event.
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    # The hash of the last event, so appending needs no read of the log (unit_of_work/chain.py).
    chain_head: Mapped[str | None] = mapped_column(String(64))
    # HMAC of (id, last_seq, chain_head) with the chain key: cutting events off the end
    # and winding the head back is caught too (unit_of_work/chain.py).
    head_seal: Mapped[str | None] = mapped_column(String(64))
    # First time each status was reached, for the post-mortem's metrics.
    investigating_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    identified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    mitigated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    postmortem_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    severity_set_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    escalation_prompted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    postmortem_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    postmortem_owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The war-room call (services/bridge.py), made once the incident is SEV1 or SEV2.
    bridge_url: Mapped[str | None] = mapped_column(String(500))
    # Set when monitoring opened it: later alerts with this key append instead of declaring.
    alert_key: Mapped[str | None] = mapped_column(String(200), index=True)
    # The service the incident is about (what alerts name; its team, on-call and runbooks).
    service_id: Mapped[int | None] = mapped_column(
        ForeignKey("services.id", ondelete="SET NULL"), index=True
    )
    # A rehearsal: marked everywhere, never paged or published; its playbook clocks run
    # `drill_speed` times faster.
    drill: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    drill_speed: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # The IC asked for the all-clear of a SEV1/SEV2; a second participant confirms it
    # (services/lifecycle.py). Cleared when it is confirmed, withdrawn or lapses.
    all_clear_asked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    all_clear_asked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    all_clear_owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    declared_by: Mapped[User] = relationship(foreign_keys=[declared_by_id])
    postmortem_owner: Mapped[User | None] = relationship(foreign_keys=[postmortem_owner_id])
    all_clear_asked_by: Mapped[User | None] = relationship(foreign_keys=[all_clear_asked_by_id])
    all_clear_owner: Mapped[User | None] = relationship(foreign_keys=[all_clear_owner_id])

    @property
    def reference(self) -> str:
        return f"INC-{self.number}"

    def first_reached(self, status: str) -> datetime | None:
        if status == "declared":
            return self.declared_at
        return getattr(self, f"{status}_at")


class IncidentMember(db.Model):
    """Someone invited into a private incident."""

    __tablename__ = "incident_members"

    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    invited_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
