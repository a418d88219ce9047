"""Per-incident write serialisation, within a process and across worker processes.

Holding the lock from before the transaction until after the broadcast makes every room
see events in `seq` order: nobody can commit seq N+1 before seq N has been published.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text

from ..extensions import db

# Namespaces the advisory-lock key so other users of the database cannot collide with it.
ADVISORY_LOCK_NAMESPACE = 0x1_C1D

_local_locks: weakref.WeakValueDictionary[int, threading.Lock] = weakref.WeakValueDictionary()
_local_locks_guard = threading.Lock()


def _local_lock(incident_id: int) -> threading.Lock:
    with _local_locks_guard:
        lock = _local_locks.get(incident_id)
        if lock is None:
            lock = threading.Lock()
            _local_locks[incident_id] = lock
        return lock


@contextmanager
def incident_lock(incident_id: int) -> Iterator[None]:
    lock = _local_lock(incident_id)
    with lock:
        if db.engine.dialect.name != "postgresql":
            yield
            return
        key = {"ns": ADVISORY_LOCK_NAMESPACE, "id": incident_id}
        with db.engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:ns, :id)"), key)
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:ns, :id)"), key)
                conn.commit()
