"""Who is logged in: a live login session, and its user, without a query per socket event.

Flask-SocketIO runs every event in a request context of its own, so Flask-Login loads the
user again for each one: a SELECT, and a pooled connection, per message on the room's
busiest path (about 1 ms of the 8 a timeline entry cost the server in bench.profile).
Accounts are not renamed or deleted in the app, so a copy read moments ago serves: it is
merged into the session without a query, and it is read again after FRESH_SECONDS, so a
change made behind the app's back is seen soon. Copies are kept per app.

The login session (services/sessions.py) is checked against the database on every HTTP
request and socket connection, so a logout, a new password or a disabled account holds at
once. A socket event trusts a check this worker made less than `SESSION_RECHECK_SECONDS`
ago (5 s): on its own worker an ended session is refused at once (the logout forgets the
check), on other workers within those seconds.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Any

from flask import current_app, request, session
from sqlalchemy.orm import make_transient_to_detached

from ..clock import now
from ..extensions import db
from ..models import User
from ..services.sessions import session_is_live

FRESH_SECONDS = 30.0
COLUMNS = tuple(column.key for column in User.__table__.columns)
SESSION_KEY = "login_session"


def _copies() -> dict[int, tuple[float, dict[str, Any]]]:
    return current_app.extensions.setdefault("incident_room.user_copies", {})


def _session_checks() -> dict[str, datetime]:
    """Session key -> when this worker last found it live."""
    return current_app.extensions.setdefault("incident_room.session_checks", {})


def _trusted_for() -> timedelta:
    """How old a check may be: none for HTTP requests and socket connections."""
    event = getattr(request, "event", None)
    if event is None or event["message"] == "connect":
        return timedelta(0)
    return timedelta(seconds=current_app.config["SESSION_RECHECK_SECONDS"])


def live_session(user_id: int) -> bool:
    """Does the request's cookie carry a live login session of `user_id`?"""
    key = session.get(SESSION_KEY)
    if not isinstance(key, str):
        return False
    checks = _session_checks()
    checked = checks.get(key)
    if checked is not None and now() - checked < _trusted_for():
        return True
    if not session_is_live(key, user_id):
        checks.pop(key, None)
        return False
    checks[key] = now()
    return True


def forget_session_check(key: str) -> None:
    _session_checks().pop(key, None)


def load_user_by_id(user_id: int) -> User | None:
    copies = _copies()
    held = copies.get(user_id)
    if held is not None and time.monotonic() - held[0] < FRESH_SECONDS:
        copy = User(**held[1])
        make_transient_to_detached(copy)
        return db.session.merge(copy, load=False)
    user = db.session.get(User, user_id)
    if user is not None:
        copies[user_id] = (time.monotonic(), {name: getattr(user, name) for name in COLUMNS})
    return user
