"""Chat (Slack, Mattermost): the instance's chat settings, who is who in chat, each
incident's thread, and the messages waiting to be posted to it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import now
from ..extensions import db
from .incident import Incident
from .outbox import OutboxColumns
from .types import UTCDateTime
from .user import User

SLACK_API_URL = "https://slack.com/api"


class ChatSettings(db.Model):
    """The one row of chat settings. The secrets are kept as given (the server must present
    the bot token and recompute signatures) but never shown again after saving."""

    __tablename__ = "chat_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    signing_secret: Mapped[str] = mapped_column(String(200), default="")
    bot_token: Mapped[str] = mapped_column(String(500), default="")
    mattermost_token: Mapped[str] = mapped_column(String(200), default="")
    channel: Mapped[str] = mapped_column(String(100), default="")
    api_url: Mapped[str] = mapped_column(String(500), default=SLACK_API_URL)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)


class ChatIdentity(db.Model):
    """A chat user (their workspace and id there) linked to an account, once, from a
    signed link they opened logged in."""

    __tablename__ = "chat_identities"
    __table_args__ = (UniqueConstraint("workspace", "chat_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace: Mapped[str] = mapped_column(String(64))
    chat_user_id: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)

    user: Mapped[User] = relationship()


class ChatThread(db.Model):
    """The incident's thread: the channel and the timestamp of its first message."""

    __tablename__ = "chat_threads"
    __table_args__ = (Index("ix_chat_threads_channel_ts", "channel", "ts", unique=True),)

    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True
    )
    channel: Mapped[str] = mapped_column(String(100))
    ts: Mapped[str] = mapped_column(String(32))


class ChatMessage(OutboxColumns, db.Model):
    """One message for an incident's thread (the first one starts it), or a private reply to
    one chat user (`ephemeral_to` in `channel`, no incident): written with the change,
    posted by a background job; `ts` is set once the chat has it."""

    __tablename__ = "chat_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int | None] = mapped_column(
        ForeignKey("incidents.id", ondelete="CASCADE"), index=True
    )
    channel: Mapped[str | None] = mapped_column(String(64))
    ephemeral_to: Mapped[str | None] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    starts_thread: Mapped[bool] = mapped_column(Boolean, default=False)
    pin: Mapped[bool] = mapped_column(Boolean, default=False)
    ts: Mapped[str | None] = mapped_column(String(32))

    incident: Mapped[Incident | None] = relationship()
