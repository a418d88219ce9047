"""Runbooks: one per alert key, for a service, with every saved version kept."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import now
from ..extensions import db
from .catalog import Service
from .types import UTCDateTime
from .user import User


class Runbook(db.Model):
    """The current text of a runbook; `version` counts its saves (RunbookVersion keeps each)."""

    __tablename__ = "runbooks"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(
        ForeignKey("services.id", ondelete="RESTRICT"), index=True
    )
    # The key alerts carry (services/alerts.py); one runbook per key.
    alert_key: Mapped[str] = mapped_column(String(200), unique=True)
    owner: Mapped[str] = mapped_column(String(200))
    # Markdown: the six sections as "## " headings (services/runbooks/policy.py).
    body: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # The condition the alert last arrived with (`condition` of POST /api/alerts): when the
    # Symptom section no longer quotes it, the runbook is stale.
    alert_condition: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)

    service: Mapped[Service] = relationship()
    updated_by: Mapped[User | None] = relationship()

    @property
    def title(self) -> str:
        return f"{self.alert_key} - {self.service.name} Runbook"


class RunbookVersion(db.Model):
    """One save of a runbook: what it said, who saved it, when."""

    __tablename__ = "runbook_versions"
    __table_args__ = (UniqueConstraint("runbook_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    runbook_id: Mapped[int] = mapped_column(
        ForeignKey("runbooks.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id", ondelete="RESTRICT"))
    owner: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)

    author: Mapped[User | None] = relationship()


class IncidentRunbook(db.Model):
    """A runbook brought into an incident: by its alert, or attached by someone in the room."""

    __tablename__ = "incident_runbooks"
    __table_args__ = (UniqueConstraint("incident_id", "runbook_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incidents.id", ondelete="CASCADE"), index=True
    )
    runbook_id: Mapped[int] = mapped_column(
        ForeignKey("runbooks.id", ondelete="CASCADE"), index=True
    )
    # The version the room worked from; its steps are the checklist items below.
    version: Mapped[int] = mapped_column(Integer)
    # "alert" (it came with the alert) or "room" (attached by someone, by search).
    via: Mapped[str] = mapped_column(String(10))
    attached_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    attached_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)

    runbook: Mapped[Runbook] = relationship()


class RunbookStepItem(db.Model):
    """The checklist item a runbook step became in an incident."""

    __tablename__ = "runbook_step_items"

    checklist_item_id: Mapped[int] = mapped_column(
        ForeignKey("checklist_items.id", ondelete="CASCADE"), primary_key=True
    )
    incident_runbook_id: Mapped[int] = mapped_column(
        ForeignKey("incident_runbooks.id", ondelete="CASCADE"), index=True
    )
    section: Mapped[str] = mapped_column(String(20))  # "investigation" or "mitigation"
    number: Mapped[int] = mapped_column(Integer)
