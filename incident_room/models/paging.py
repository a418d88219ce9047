"""Escalation policies and pages: who is woken, in which order, and who acknowledged."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import now
from ..extensions import db
from .catalog import Team
from .mail import MailMessage
from .oncall import OnCallSchedule
from .types import UTCDateTime
from .user import User


class EscalationPolicy(db.Model):
    """A team's ordered steps; each waits its ack window (by severity) before the next."""

    __tablename__ = "escalation_policies"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    ack_minutes_sev1: Mapped[int] = mapped_column(Integer)
    ack_minutes_sev2: Mapped[int] = mapped_column(Integer)
    ack_minutes_other: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)

    team: Mapped[Team] = relationship()
    steps: Mapped[list[EscalationStep]] = relationship(
        order_by="EscalationStep.position", cascade="all, delete-orphan"
    )


class EscalationStep(db.Model):
    """Whoever is on call on `schedule` then, or `user`; the manager step is also paged at
    once for a SEV1."""

    __tablename__ = "escalation_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    policy_id: Mapped[int] = mapped_column(
        ForeignKey("escalation_policies.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(100))
    schedule_id: Mapped[int | None] = mapped_column(
        ForeignKey("oncall_schedules.id", ondelete="CASCADE")
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    is_manager: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")

    schedule: Mapped[OnCallSchedule | None] = relationship()
    user: Mapped[User | None] = relationship()


class Page(db.Model):
    """An incident's call for a person: triggered until acknowledged or resolved; `step`
    is the policy step paged last, `escalate_at` when the next one is due."""

    __tablename__ = "pages"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incidents.id", ondelete="CASCADE"), index=True
    )
    policy_id: Mapped[int | None] = mapped_column(
        ForeignKey("escalation_policies.id", ondelete="SET NULL")
    )
    service_name: Mapped[str] = mapped_column(String(100))
    severity: Mapped[str | None] = mapped_column(String(8))  # the incident's, when paged
    status: Mapped[str] = mapped_column(String(20), default="triggered", index=True)
    step: Mapped[int] = mapped_column(Integer, default=0)
    escalate_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    acked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    acked_by: Mapped[User | None] = relationship()
    notices: Mapped[list[PageNotice]] = relationship(
        order_by="PageNotice.id", cascade="all, delete-orphan"
    )


class PageNotice(db.Model):
    """One person told of a page, with the one-time ack link they were sent (its SHA-256)."""

    __tablename__ = "page_notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("pages.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    step: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(100))
    notified_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The e-mail that carried the ack link, so the page shows whether it got out.
    mail_id: Mapped[int | None] = mapped_column(ForeignKey("mail_messages.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship()
    mail: Mapped[MailMessage | None] = relationship()
