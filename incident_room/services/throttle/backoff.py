"""Failures counted per key in the database, and attempts refused while a key waits.

In the database, not Redis, whatever the deployment: every worker sees the same counts,
they survive a restart of a worker or of Redis (which keeps holding nothing), they follow
the app's clock, and one upsert per key counts a failure exactly once however many workers
race. It costs a read per login attempt (and per unknown API token) and a write per
failure - nothing on the paths that succeed.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, delete, select, update

from ...clock import as_utc, now
from ...database import upsert
from ...errors import DomainError
from ...extensions import db
from ...models import Throttle
from ...unit_of_work import commits_itself
from .policy import RULES, Backoff

log = logging.getLogger("incident_room.security")
MAX_KEY_LENGTH = 200


@dataclass(frozen=True)
class Key:
    """What one rule counts for: an account, an address, or both."""

    rule: Backoff
    name: str

    @property
    def id(self) -> str:
        return f"{self.rule.name}:{self.name}"[:MAX_KEY_LENGTH]


def _blocked_until(keys: list[Key]) -> datetime | None:
    ids = [key.id for key in keys]
    rows = db.session.scalars(select(Throttle.blocked_until).where(Throttle.key.in_(ids)))
    ends = [as_utc(end) for end in rows if end is not None]
    return max(ends, default=None)


def refuse_while_waiting(keys: list[Key], **context: str) -> None:
    """`rate_limited` with `retry_after` (whole seconds) while any of `keys` waits."""
    until = _blocked_until(keys)
    if until is None or until <= now():
        return
    seconds = math.ceil((until - now()).total_seconds())
    log.warning(
        "throttled",
        extra={"throttle": [key.rule.name for key in keys], "retry_after": seconds, **context},
    )
    raise DomainError(
        "rate_limited",
        f"Too many failed attempts. Try again in {seconds} seconds.",
        retry_after=seconds,
    )


def _count_failure(key: Key) -> None:
    at = now()
    table = Throttle.__table__
    fresh_count = case(
        (table.c.last_failure_at < at - key.rule.forget_after, 1), else_=table.c.failures + 1
    )
    counted = db.session.execute(
        upsert(Throttle, db.engine)
        .values(key=key.id, failures=1, last_failure_at=at, blocked_until=None)
        .on_conflict_do_update(
            index_elements=["key"], set_={"failures": fresh_count, "last_failure_at": at}
        )
        .returning(table.c.failures)
    ).scalar_one()
    wait = key.rule.wait_after(counted)
    if wait:
        db.session.execute(
            update(Throttle).where(Throttle.key == key.id).values(blocked_until=at + wait)
        )


@commits_itself
def note_failure(keys: list[Key]) -> None:
    """One more failure against each key (and the wait it earns)."""
    for key in keys:
        _count_failure(key)
    db.session.commit()


@commits_itself
def forget(keys: list[Key]) -> None:
    """A success: these keys start again from nothing."""
    db.session.execute(delete(Throttle).where(Throttle.key.in_([key.id for key in keys])))
    db.session.commit()


@commits_itself
def forget_quiet_keys() -> None:
    """Drop the counts no rule remembers any longer (a background job; idempotent)."""
    longest = max(rule.forget_after for rule in RULES)
    db.session.execute(delete(Throttle).where(Throttle.last_failure_at < now() - longest))
    db.session.commit()
