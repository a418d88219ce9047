"""What the insights job has already told a team's leadership (so it tells them once)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import now
from ..extensions import db
from .types import UTCDateTime


class SpikeNotice(db.Model):
    """One team's incident spike in one week (Monday, UTC), noticed and told once."""

    __tablename__ = "incident_spike_notices"

    team_id: Mapped[int] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True
    )
    week_start: Mapped[date] = mapped_column(Date, primary_key=True)
    incidents: Mapped[int] = mapped_column(Integer)
    trailing_median: Mapped[int] = mapped_column(Integer)
    noticed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
