"""Login sessions kept on the server: logging out, a new password or a disabled account
ends them for good, whatever copies of the cookie exist.

The signed cookie carries the session's random key; the database keeps its SHA-256, one row
per live session. Checking a session is one primary-key read (the edges decide how often:
web/user_loading.py).
"""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import delete, select

from ..extensions import db
from ..models import LoginSession, User
from ..unit_of_work import commits_itself


def secret_digest(secret: str) -> str:
    """What is stored of a token or session key: its SHA-256, so a database leak leaks none."""
    return hashlib.sha256(secret.encode()).hexdigest()


@commits_itself
def start_session(user: User) -> str:
    """A new live session for `user`; returns its key (for the cookie, never stored)."""
    key = secrets.token_urlsafe(32)
    db.session.add(LoginSession(id=secret_digest(key), user_id=user.id))
    db.session.commit()
    return key


@commits_itself
def end_session(key: str) -> None:
    db.session.execute(delete(LoginSession).where(LoginSession.id == secret_digest(key)))
    db.session.commit()


def end_sessions_of(user: User) -> None:
    """End every session of `user`, in the caller's transaction."""
    db.session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))


def session_is_live(key: str, user_id: int) -> bool:
    found = db.session.scalar(
        select(LoginSession.user_id).where(LoginSession.id == secret_digest(key))
    )
    return found == user_id
