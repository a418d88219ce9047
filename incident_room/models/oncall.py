"""On-call schedules: rotation layers over ordered people, overrides, and calendar feeds."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import now
from ..extensions import db
from .catalog import Team
from .types import UTCDateTime
from .user import User


class OnCallSchedule(db.Model):
    """A team's schedule: its layers (later layers take precedence) and overrides."""

    __tablename__ = "oncall_schedules"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)

    team: Mapped[Team] = relationship()
    layers: Mapped[list[RotationLayer]] = relationship(
        order_by="RotationLayer.position", cascade="all, delete-orphan"
    )
    overrides: Mapped[list[OnCallOverride]] = relationship(
        order_by="OnCallOverride.starts_at", cascade="all, delete-orphan"
    )


class RotationLayer(db.Model):
    """A weekly rotation: hand-off at a local weekday and time in `zone`, from the first
    hand-off on or after `starts_on`. With region hours set it is a follow-the-sun region,
    on call only within its business hours plus the playbook's buffer."""

    __tablename__ = "oncall_layers"

    id: Mapped[int] = mapped_column(primary_key=True)
    schedule_id: Mapped[int] = mapped_column(
        ForeignKey("oncall_schedules.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))
    zone: Mapped[str] = mapped_column(String(64))
    handoff_weekday: Mapped[int] = mapped_column(Integer)  # 0 = Monday
    handoff_minute: Mapped[int] = mapped_column(Integer)  # minutes after local midnight
    starts_on: Mapped[date] = mapped_column(Date)
    region_start_minute: Mapped[int | None] = mapped_column(Integer)
    region_end_minute: Mapped[int | None] = mapped_column(Integer)

    people: Mapped[list[LayerPerson]] = relationship(
        order_by="LayerPerson.position", cascade="all, delete-orphan"
    )


class LayerPerson(db.Model):
    """The person at `position` in a layer's order (week k is person k mod n)."""

    __tablename__ = "oncall_layer_people"

    layer_id: Mapped[int] = mapped_column(
        ForeignKey("oncall_layers.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)

    user: Mapped[User] = relationship()


class OnCallOverride(db.Model):
    """`user` covers [starts_at, ends_at) for whoever is on call then (named for people)."""

    __tablename__ = "oncall_overrides"

    id: Mapped[int] = mapped_column(primary_key=True)
    schedule_id: Mapped[int] = mapped_column(
        ForeignKey("oncall_schedules.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    replaces_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    replaces: Mapped[User | None] = relationship(foreign_keys=[replaces_user_id])


class CalendarFeed(db.Model):
    """A person's private iCalendar feed; only the SHA-256 of its secret is stored."""

    __tablename__ = "oncall_calendar_feeds"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
