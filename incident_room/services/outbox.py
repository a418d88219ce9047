"""Sending what outboxes hold (webhook deliveries, e-mail, chat messages): claim what is due,
try it, record the outcome with back-off. Shared by every sender job.

A change writes its outbox row in its own transaction, so nothing is sent for a change that
did not commit and a slow receiver never slows the change. A sender claims due rows by
pushing their `next_attempt_at` past a lease (skipping rows another worker holds, on
PostgreSQL), commits the claim, then sends - so across workers each row is attempted once per
turn, and a worker that dies mid-send leaves the row to be retried when its lease runs out.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TypeVar

from sqlalchemy import select

from ..clock import now
from ..extensions import db
from ..models.outbox import OutboxColumns

BACKOFF = (
    timedelta(seconds=10),
    timedelta(seconds=30),
    timedelta(minutes=2),
    timedelta(minutes=10),
    timedelta(minutes=30),
)

Row = TypeVar("Row", bound=OutboxColumns)


def claim_due(model: type[Row], limit: int, lease: timedelta) -> list[Row]:
    """Up to `limit` pending rows whose time has come, leased to this worker for `lease`."""
    query = (
        select(model)
        .where(model.status == "pending", model.next_attempt_at <= now())
        .order_by(model.next_attempt_at, model.id)  # type: ignore[attr-defined]
        .limit(limit)
    )
    if db.engine.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    due = list(db.session.scalars(query))
    for row in due:
        row.next_attempt_at = now() + lease
    db.session.commit()
    return due


def record_attempt(row: OutboxColumns, error: str | None) -> None:
    """Delivered; or retried after the next back-off; or, past the last, failed for good."""
    row.attempts += 1
    row.last_error = error
    if error is None:
        row.status, row.delivered_at = "delivered", now()
    elif row.attempts > len(BACKOFF):
        row.status = "failed"
    else:
        row.next_attempt_at = now() + BACKOFF[row.attempts - 1]
    db.session.commit()
