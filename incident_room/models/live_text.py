"""Live text: the CRDT documents of entries' and post-mortem sections' text
(services/live_text/, docs/protocol-live-text.md).

A document is its compacted state (`snapshot`) plus the updates stored since; every few
dozen, all of them are folded into the snapshot and deleted, in one transaction. Nothing
here is the record: a burst of updates becomes an ordinary revision of the entry or section
when it settles."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import now
from ..extensions import db
from .types import UTCDateTime


class LiveTextDocument(db.Model):
    __tablename__ = "live_text_documents"
    __table_args__ = (UniqueConstraint("incident_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"))
    # "entry:<uuid>" or "section:<key>"
    name: Mapped[str] = mapped_column(String(60))
    snapshot: Mapped[bytes] = mapped_column(LargeBinary)
    updates_since_compaction: Mapped[int] = mapped_column(Integer, default=0)
    # The record's version whose text the document matched when no burst was open.
    record_version: Mapped[int] = mapped_column(Integer)
    # The open burst: when its first and last updates came, and who typed in it (user ids).
    burst_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    last_update_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    burst_authors: Mapped[list[int]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)


class LiveTextUpdate(db.Model):
    __tablename__ = "live_text_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("live_text_documents.id", ondelete="CASCADE"), index=True
    )
    data: Mapped[bytes] = mapped_column(LargeBinary)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
