"""New rows (events, entries and their revisions, applied op_ids) written as plain inserts.

The ORM's unit of work costs several times the insert itself per object, and these rows are
only inserted by the transaction that makes them, so they skip it: `append_row` queues a row
in the session, and just before the session commits it flushes the ORM objects (the rows may
refer to them) and inserts the queued rows, one statement per run of rows of a table, in the
order they were queued. A rollback drops them. Nothing may read a queued row back before the
commit; later transactions load and change them as models like any other row.
"""

from __future__ import annotations

from itertools import groupby
from typing import Any

from sqlalchemy import Table, event, inspect
from sqlalchemy.orm import Session

from ..extensions import db

PENDING_ROWS = "incident_room.pending_rows"


def append_row(table: Table, row: dict[str, Any]) -> None:
    db.session.info.setdefault(PENDING_ROWS, []).append((table, row))


def append_instance(instance: Any) -> None:
    """Queue a model object that was built but never added to the session, as the row of
    the columns it was given (the others take their defaults)."""
    given = inspect(instance).dict
    table = instance.__table__
    append_row(
        table, {column.key: given[column.key] for column in table.columns if column.key in given}
    )


@event.listens_for(Session, "before_commit")
def _insert_pending_rows(session: Session) -> None:
    pending = session.info.pop(PENDING_ROWS, None)
    if not pending:
        return
    session.flush()
    connection = session.connection()
    for table, rows in groupby(pending, key=lambda queued: queued[0]):
        connection.execute(table.insert(), [row for _, row in rows])


@event.listens_for(Session, "after_soft_rollback")
def _drop_pending_rows(session: Session, _previous_transaction: Any) -> None:
    session.info.pop(PENDING_ROWS, None)
