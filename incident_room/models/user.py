"""Accounts and their personal API tokens."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import now
from ..extensions import db
from .types import UTCDateTime


def public_user(user_id: int, username: str, display_name: str) -> dict:
    """A person as others see them (never the password hash)."""
    return {"id": user_id, "username": username, "display_name": display_name}


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    # Where pages reach them out of the browser (optional; set with `flask users email`).
    email: Mapped[str | None] = mapped_column(String(254))
    # Their own zone (IANA name), for what counts as after hours for them; UTC when unset.
    time_zone: Mapped[str | None] = mapped_column(String(64))
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    # Instance-wide settings (webhooks, templates, teams, schedules, the status page) are
    # for admins; `flask users create --admin` or `flask users promote` makes one.
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # Set by `flask users disable`: no login, no session, no API token until enabled again.
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def is_active(self) -> bool:
        return self.disabled_at is None

    def to_public(self) -> dict:
        return public_user(self.id, self.username, self.display_name)


class LoginSession(db.Model):
    """One browser's login, kept on the server so that ending it holds for every copy of its
    cookie: a session is live while its row exists. Only the key's SHA-256 is stored."""

    __tablename__ = "login_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)


class ApiToken(db.Model):
    """A personal API token; only its SHA-256 is stored, so a database leak leaks no tokens."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
