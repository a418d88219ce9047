"""Finding the PostgreSQL and Redis servers the tests may use, and isolating each test in them."""

from __future__ import annotations

import os
import uuid
from urllib.parse import quote

import pytest
import redis
from sqlalchemy import create_engine, text

from incident_room.config import sqlalchemy_url

TEST_DATABASE_URL = sqlalchemy_url(
    os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
)
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
# Every app and server a test starts seals the event log with this key, as one deployment
# shares one key.
TEST_CHAIN_KEY = "test-chain-key"
REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"

_status: dict[str, str | None] = {}


def _postgres_problem() -> str | None:
    try:
        engine = create_engine(TEST_DATABASE_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as error:  # any failure means: not usable here
        return f"PostgreSQL at {TEST_DATABASE_URL} is not reachable ({type(error).__name__})"
    return None


def _redis_problem() -> str | None:
    try:
        redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=3).ping()
    except Exception as error:
        return f"Redis at {TEST_REDIS_URL} is not reachable ({type(error).__name__})"
    return None


def service_problem(name: str) -> str | None:
    if name not in _status:
        _status[name] = _postgres_problem() if name == "postgres" else _redis_problem()
    return _status[name]


def require_service(name: str) -> None:
    """Skip the test when the server is missing - or fail it, under REQUIRE_SERVICES=1."""
    problem = service_problem(name)
    if problem is None:
        return
    if REQUIRE_SERVICES:
        pytest.fail(f"{problem}; REQUIRE_SERVICES=1 makes that an error")
    pytest.skip(problem)


def skipped_services() -> list[str]:
    return [problem for problem in _status.values() if problem]


class PostgresSchema:
    """A fresh schema per test, so tests share one database without seeing each other."""

    def __init__(self) -> None:
        self.name = f"t_{uuid.uuid4().hex[:12]}"
        self.admin = create_engine(TEST_DATABASE_URL, isolation_level="AUTOCOMMIT")
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{self.name}"'))

    @property
    def url(self) -> str:
        separator = "&" if "?" in TEST_DATABASE_URL else "?"
        return f"{TEST_DATABASE_URL}{separator}options={quote(f'-csearch_path={self.name}')}"

    def drop(self) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{self.name}" CASCADE'))
        self.admin.dispose()


def fresh_redis_url() -> str:
    """The test Redis, emptied so nothing from an earlier run lingers."""
    client = redis.Redis.from_url(TEST_REDIS_URL)
    client.flushdb()
    return TEST_REDIS_URL
