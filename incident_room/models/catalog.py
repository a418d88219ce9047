"""Teams, their people, and the services they own: what alerts, on-call, runbooks and the
status page are organised by."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import now
from ..extensions import db
from .types import UTCDateTime
from .user import User


class Team(db.Model):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    # Who hears about incident spikes and overdue follow-ups (a name or an e-mail address).
    leadership_contact: Mapped[str] = mapped_column(String(200), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)


class TeamMember(db.Model):
    """Someone on a team; a team admin manages the team's schedules and policies."""

    __tablename__ = "team_members"

    team_id: Mapped[int] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)

    user: Mapped[User] = relationship()


class Service(db.Model):
    """A service alerts name (`payments-api`), owned by a team."""

    __tablename__ = "services"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("teams.id", ondelete="SET NULL"), index=True
    )
    # Who is on call for it (issue 19); escalation policies will name steps on top of it.
    schedule_id: Mapped[int | None] = mapped_column(
        ForeignKey("oncall_schedules.id", ondelete="SET NULL"), index=True
    )
    # Who is woken when it alerts, in which order (models/paging.py).
    escalation_policy_id: Mapped[int | None] = mapped_column(
        ForeignKey("escalation_policies.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)

    team: Mapped[Team | None] = relationship()
