"""Query-string filters the list pages share: a row named by its id (a team, a service) or a
person by username, each checked to exist; anything else is `invalid`."""

from __future__ import annotations

from flask import request

from ..errors import invalid
from ..extensions import db
from ..models import User
from ..services.accounts import find_user


def row_id_arg(name: str, model: type[db.Model], what: str) -> int | None:
    """The id in `?name=`, of an existing `model` row; None when the filter is not set."""
    raw = request.args.get(name, "")
    if not raw:
        return None
    if not raw.isdigit() or db.session.get(model, int(raw[:12])) is None:
        raise invalid(name, f"No such {what}.")
    return int(raw)


def user_arg(name: str) -> User | None:
    """The person whose username is in `?name=`; None when the filter is not set."""
    raw = request.args.get(name, "")
    if not raw:
        return None
    user = find_user(raw[:80])
    if user is None:
        raise invalid(name, "No such person.")
    return user
