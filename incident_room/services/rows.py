"""One lookup for a row that belongs to an incident (or a post-mortem), by its id: a row of
another incident is as missing as one that does not exist."""

from __future__ import annotations

from typing import Any, TypeVar

from ..errors import DomainError
from ..extensions import db

Row = TypeVar("Row")


def find_row_in(
    owner_id: int, model: type[Row], row_id: Any, owner: str = "incident_id"
) -> Row | None:
    """The row with this id if it belongs to `owner_id` (by its `owner` column), else None."""
    row = db.session.get(model, row_id) if row_id is not None else None
    if row is None or getattr(row, owner) != owner_id:
        return None
    return row


def row_in(
    owner_id: int,
    model: type[Row],
    row_id: Any,
    what: str,
    field: str | None = None,
    owner: str = "incident_id",
) -> Row:
    """The row, or `not_found` ("No such <what>.", naming `field` when given)."""
    row = find_row_in(owner_id, model, row_id, owner)
    if row is None:
        details = {"field": field} if field else {}
        raise DomainError("not_found", f"No such {what}.", **details)
    return row
