"""Images attached to timeline entries: screenshots of graphs, kept with the incident."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from ..clock import now
from ..extensions import db
from .types import UTCDateTime
from .user import User


class Evidence(db.Model):
    __tablename__ = "evidence"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incidents.id", ondelete="CASCADE"), index=True
    )
    entry_id: Mapped[str] = mapped_column(ForeignKey("timeline_entries.id", ondelete="CASCADE"))
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    content_type: Mapped[str] = mapped_column(String(20))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    # Where the bytes are: in `data` ("database") or a file under the instance folder.
    storage: Mapped[str] = mapped_column(String(12))
    data: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))

    uploaded_by: Mapped[User] = relationship()
