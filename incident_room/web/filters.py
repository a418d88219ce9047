"""Filters the list pages and forms share: a row named by its id (a team, a service) or a
person by username, each checked to exist; anything else is `invalid`."""

from __future__ import annotations

from flask import request

from ..errors import invalid
from ..extensions import db
from ..models import User
from ..services.accounts import find_user


def row_by_id(raw: str, field: str, model: type[db.Model], what: str) -> db.Model | None:
    """The `model` row whose id is `raw` (a form or query value); None when `raw` is empty."""
    if not raw:
        return None
    row = db.session.get(model, int(raw[:12])) if raw.isdigit() else None
    if row is None:
        raise invalid(field, f"No such {what}.")
    return row


def row_id_arg(name: str, model: type[db.Model], what: str) -> int | None:
    """The id in `?name=`, of an existing `model` row; None when the filter is not set."""
    row = row_by_id(request.args.get(name, ""), name, model, what)
    return row.id if row is not None else None


def user_arg(name: str) -> User | None:
    """The person whose username is in `?name=`; None when the filter is not set."""
    raw = request.args.get(name, "")
    if not raw:
        return None
    user = find_user(raw[:80])
    if user is None:
        raise invalid(name, "No such person.")
    return user
