"""Who is logged in, without a query per socket event.

Flask-SocketIO runs every event in a request context of its own, so Flask-Login loads the
user again for each one: a SELECT, and a pooled connection, per message on the room's
busiest path (about 1 ms of the 8 a timeline entry cost the server in bench.profile).
Accounts are not renamed or deleted in the app, so a copy read moments ago serves: it is
merged into the session without a query, and it is read again after FRESH_SECONDS, so a
change made behind the app's back is seen soon. Copies are kept per app.
"""

from __future__ import annotations

import time
from typing import Any

from flask import current_app
from sqlalchemy.orm import make_transient_to_detached

from ..extensions import db
from ..models import User

FRESH_SECONDS = 30.0
COLUMNS = tuple(column.key for column in User.__table__.columns)


def _copies() -> dict[int, tuple[float, dict[str, Any]]]:
    return current_app.extensions.setdefault("incident_room.user_copies", {})


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
