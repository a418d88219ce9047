"""E-mail waiting to go out over SMTP (an outbox: written with the change that causes it)."""

from __future__ import annotations

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .outbox import OutboxColumns


class MailMessage(OutboxColumns, db.Model):
    __tablename__ = "mail_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    # Optional extra headers (e.g. List-Unsubscribe) and an attached calendar invite.
    headers: Mapped[str] = mapped_column(Text, default="", server_default="")
    calendar: Mapped[str | None] = mapped_column(Text)
    # What sent it (`page`, `status_subscription`, `postmortem_reminder`...), for the log.
    purpose: Mapped[str] = mapped_column(String(40), default="", server_default="")
