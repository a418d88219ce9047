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
# The explicit opt-out for a quick local run: tests that need a server are skipped (and
# listed at the end) instead of failing. Without it a server that does not answer is an error.
SKIP_SERVICE_TESTS = os.environ.get("SKIP_SERVICE_TESTS") == "1"

_status: dict[str, str | None] = {}


NOT_RUNNING = ("connection refused", "could not connect", "no such file", "timed out")


def _kind(error: Exception) -> str:
    """A server that is not there, told from one that answers but fails us (a wrong
    password, a missing database, a broken install): the second is never "skipped"."""
    said = str(error).lower()
    if any(sign in said for sign in NOT_RUNNING):
        return "is not running (nothing answers)"
    return f"answers but fails: {str(error).strip().splitlines()[0][:200]}"


def postgres_problem(url: str) -> str | None:
    try:
        engine = create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as error:
        return f"PostgreSQL at {url} {_kind(error)}"
    return None


def redis_problem(url: str) -> str | None:
    try:
        redis.Redis.from_url(url, socket_connect_timeout=3).ping()
    except Exception as error:
        return f"Redis at {url} {_kind(error)}"
    return None


def service_problem(name: str) -> str | None:
    if name not in _status:
        _status[name] = (
            postgres_problem(TEST_DATABASE_URL)
            if name == "postgres"
            else redis_problem(TEST_REDIS_URL)
        )
    return _status[name]


def require_service(name: str) -> None:
    """Fail the test when the server does not answer; skip it only under the explicit
    opt-out (SKIP_SERVICE_TESTS=1), and never when the server answers but fails us."""
    problem = service_problem(name)
    if problem is None:
        return
    if SKIP_SERVICE_TESTS and "is not running" in problem:
        pytest.skip(problem)
    pytest.fail(f"{problem} (`make services` starts it; SKIP_SERVICE_TESTS=1 skips these tests)")


def skipped_services() -> list[str]:
    """What the opt-out skipped (without it, nothing is skipped: those tests failed)."""
    return [problem for problem in _status.values() if problem] if SKIP_SERVICE_TESTS else []


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
