"""Creating, disabling and enabling accounts, their passwords, issuing and resolving API tokens."""

from __future__ import annotations

import secrets
from typing import Any

from flask import current_app
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from ..clock import now
from ..errors import invalid
from ..extensions import db
from ..models import ApiToken, User
from ..unit_of_work import commits_itself
from .mail.messages import check_address
from .oncall.drafts import check_zone
from .sessions import end_sessions_of, secret_digest

TOKEN_PREFIX = "ir_"
USERNAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789._-")


def _hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def _unknown_user_hash() -> str:
    """Checked against when the username is unknown, so both failures take the same time."""
    cached = current_app.extensions.get("incident_room.unknown_user_hash")
    if cached is None:
        cached = _hash_password(secrets.token_hex(16))
        current_app.extensions["incident_room.unknown_user_hash"] = cached
    return cached


def _check_password(password: str) -> None:
    if len(password) < 8:
        raise invalid("password", "Passwords need at least 8 characters.")


@commits_itself
def create_user(
    username: str, password: str, display_name: str | None = None, *, admin: bool = False
) -> User:
    username = username.strip().lower()
    if not username or len(username) > 64 or not set(username) <= USERNAME_CHARS:
        raise invalid("username", "Usernames are 1-64 of a-z, 0-9, '.', '_' and '-'.")
    _check_password(password)
    if db.session.scalar(select(User).filter_by(username=username)):
        raise invalid("username", f"The username {username!r} is taken.")
    user = User(
        username=username,
        display_name=(display_name or username).strip()[:120],
        password_hash=_hash_password(password),
        is_admin=admin,
    )
    db.session.add(user)
    db.session.commit()
    return user


@commits_itself
def set_admin(user: User, admin: bool) -> None:
    """Make `user` an admin of the instance, or take it back."""
    user.is_admin = admin
    db.session.commit()


@commits_itself
def set_email(user: User, address: str | None) -> None:
    """Where pages reach `user` by e-mail (None: nowhere)."""
    user.email = check_address(address, "email") if address else None
    db.session.commit()


@commits_itself
def set_time_zone(user: User, zone: str | None) -> None:
    """The zone that decides what is after hours for `user` (None: UTC)."""
    user.time_zone = check_zone(zone, "time_zone") if zone else None
    db.session.commit()


@commits_itself
def set_password(user: User, password: str) -> None:
    """A new password; every session of the account ends (on every worker)."""
    _check_password(password)
    user.password_hash = _hash_password(password)
    end_sessions_of(user)
    db.session.commit()


@commits_itself
def set_disabled(user: User, disabled: bool) -> None:
    """Disable an account (its sessions end, its logins and API tokens are refused) or
    enable it again. Disabling through `offboarding.disable_account` also ends the observer
    links the account made."""
    user.disabled_at = now() if disabled else None
    if disabled:
        end_sessions_of(user)
    db.session.commit()


def authenticate(username: str, password: str) -> User | None:
    """The enabled user with this name and password, or None (without saying what was wrong)."""
    user = db.session.scalar(select(User).filter_by(username=username.strip().lower()))
    password_hash = user.password_hash if user else _unknown_user_hash()
    if check_password_hash(password_hash, password) and user and user.is_active:
        return user
    return None


def find_user(username: str) -> User | None:
    return db.session.scalar(select(User).filter_by(username=username.strip().lower()))


@commits_itself
def create_api_token(user: User) -> str:
    """A new personal API token; returned once, only its digest is kept."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=user.id, token_hash=secret_digest(token)))
    db.session.commit()
    return token


@commits_itself
def user_for_token(token: str) -> User | None:
    record = db.session.scalar(select(ApiToken).filter_by(token_hash=secret_digest(token)))
    if record is None:
        return None
    user = db.session.get(User, record.user_id)
    if user is None or not user.is_active:
        return None
    record.last_used_at = now()
    db.session.commit()
    return user


def resolve_user(value: Any, field: str = "user") -> User:
    """A user named by id or username in a payload."""
    user = None
    if isinstance(value, int) and not isinstance(value, bool):
        user = db.session.get(User, value)
    elif isinstance(value, str) and len(value) <= 64:
        user = db.session.scalar(select(User).filter_by(username=value.strip().lower()))
    if user is None:
        raise invalid(field, "No such user.")
    return user
