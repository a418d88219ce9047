"""Issue trackers (GitHub Issues, Jira) where post-mortem action items become tickets."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import now
from ..extensions import db
from .catalog import Team
from .types import UTCDateTime


class IssueTracker(db.Model):
    """A team's tracker (`team_id` None: the one for incidents of no team).

    `token` calls the tracker's REST API and so is kept as given (the server must present
    it); `webhook_secret` checks the signatures of the tracker's webhooks and is shown once.
    """

    __tablename__ = "issue_trackers"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), unique=True
    )
    kind: Mapped[str] = mapped_column(String(10))  # "github" or "jira"
    api_url: Mapped[str] = mapped_column(String(500))
    # "owner/repo" on GitHub, the project key on Jira.
    project: Mapped[str] = mapped_column(String(200))
    token: Mapped[str] = mapped_column(String(500))
    webhook_secret: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)

    team: Mapped[Team | None] = relationship()
