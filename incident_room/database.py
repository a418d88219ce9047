"""Engine tuning: SQLite in WAL mode with a busy timeout; PostgreSQL made gevent-friendly."""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine

SQLITE_BUSY_TIMEOUT_MS = 10_000


@event.listens_for(Engine, "connect")
def _tune_sqlite(dbapi_connection: Any, connection_record: Any) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def engine_options(url: str) -> dict[str, Any]:
    """Pool settings that suit the database behind `url`."""
    if url.startswith("sqlite"):
        return {"connect_args": {"check_same_thread": False, "timeout": 10}}
    # Each write holds a second connection for the per-incident advisory lock.
    # A bounded connect, so /readyz answers "not ready" instead of hanging on a lost host.
    return {
        "pool_pre_ping": True,
        "pool_size": 20,
        "max_overflow": 20,
        "connect_args": {"connect_timeout": 10},
    }


def make_postgres_cooperative() -> None:
    """Let psycopg2 wait on the gevent hub instead of blocking the whole process."""
    from psycogreen.gevent import patch_psycopg

    patch_psycopg()


def upsert(model: Any, engine: Engine) -> Any:
    """An INSERT that takes `.on_conflict_do_update(...)` on the engine's database (both
    dialects spell it the same way)."""
    dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
    return dialect.insert(model)
