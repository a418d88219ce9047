"""Write serialisation per incident (and per alert key), in a process and across workers.

Holding the lock from before the transaction until after the broadcast makes every room
see events in `seq` order: nobody can commit seq N+1 before seq N has been published.
"""

from __future__ import annotations

import contextlib
import threading
import weakref
import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text

from ..extensions import db

# Namespaces the advisory-lock keys so other users of the database cannot collide with them.
INCIDENT_LOCKS = 0x1_C1D
ALERT_KEY_LOCKS = 0x1_C1E

_local_locks: weakref.WeakValueDictionary[tuple[int, int], threading.Lock] = (
    weakref.WeakValueDictionary()
)
_local_locks_guard = threading.Lock()


def _local_lock(namespace: int, key: int) -> threading.Lock:
    with _local_locks_guard:
        lock = _local_locks.get((namespace, key))
        if lock is None:
            lock = threading.Lock()
            _local_locks[(namespace, key)] = lock
        return lock


@contextmanager
def _named_lock(namespace: int, key: int) -> Iterator[None]:
    """A lock held in this process and, on PostgreSQL, across processes (advisory lock)."""
    with _local_lock(namespace, key):
        if db.engine.dialect.name != "postgresql":
            yield
            return
        params = {"ns": namespace, "id": key}
        with db.engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:ns, :id)"), params)
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:ns, :id)"), params)
                conn.commit()


def incident_lock(incident_id: int) -> contextlib.AbstractContextManager[None]:
    return _named_lock(INCIDENT_LOCKS, incident_id)


def alert_key_lock(alert_key: str) -> contextlib.AbstractContextManager[None]:
    """Serialises alerts with one key, so three at once still open one incident."""
    return _named_lock(ALERT_KEY_LOCKS, zlib.crc32(alert_key.encode()) - 2**31)
