"""The transaction's one queue of pending work: rows to insert at commit, events to publish
after it.

New rows that only the transaction making them inserts (events, timeline entries and their
revisions, applied op_ids) skip the ORM's unit of work, which costs several times the insert
itself per object: `append_row` queues a row, and just before the session commits it flushes
the ORM objects (the rows may refer to them) and inserts the queued rows, one statement per
run of rows of a table, in the order they were queued. The events the transaction recorded
wait beside them and are handed to the publishers only once the commit has succeeded.
A rollback drops the whole queue. Nothing may read a queued row back before the commit;
later transactions load and change them as models like any other row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from sqlalchemy import Table, event, inspect
from sqlalchemy.orm import Session

from ..extensions import db
from ..wire.events import Event

PENDING_WORK = "incident_room.pending_work"


@dataclass
class PendingWork:
    rows: list[tuple[Table, dict[str, Any]]] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)


def pending_work(session: Session | None = None) -> PendingWork:
    """The current transaction's queue, made on first use."""
    info = (session or db.session).info
    work = info.get(PENDING_WORK)
    if work is None:
        work = info[PENDING_WORK] = PendingWork()
    return work


def append_row(table: Table, row: dict[str, Any]) -> None:
    pending_work().rows.append((table, row))


def append_instance(instance: Any) -> None:
    """Queue a model object that was built but never added to the session, as the row of
    the columns it was given (the others take their defaults)."""
    given = inspect(instance).dict
    table = instance.__table__
    append_row(
        table, {column.key: given[column.key] for column in table.columns if column.key in given}
    )


def take_events() -> list[Event]:
    """The events waiting for the commit, leaving none behind."""
    work = pending_work()
    events, work.events = work.events, []
    return events


@event.listens_for(Session, "before_commit")
def _insert_pending_rows(session: Session) -> None:
    work = session.info.get(PENDING_WORK)
    if work is None or not work.rows:
        return
    rows, work.rows = work.rows, []
    session.flush()
    connection = session.connection()
    for table, run in groupby(rows, key=lambda queued: queued[0]):
        connection.execute(table.insert(), [row for _, row in run])


@event.listens_for(Session, "after_commit")
def _forget_committed_work(session: Session) -> None:
    session.info.pop(PENDING_WORK, None)


@event.listens_for(Session, "after_soft_rollback")
def _drop_pending_work(session: Session, _previous_transaction: Any) -> None:
    session.info.pop(PENDING_WORK, None)
