"""The suite tells a server that is not running from one that answers but fails us: the
first may be skipped on request (SKIP_SERVICE_TESTS=1), the second never is."""

from __future__ import annotations

import socket

from incident_room.config import sqlalchemy_url
from tests.support.services import TEST_DATABASE_URL, postgres_problem, redis_problem


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens once the probe is closed


def test_a_server_nobody_runs_is_not_running() -> None:
    port = closed_port()
    url = sqlalchemy_url(f"postgresql://postgres@127.0.0.1:{port}/test")
    assert "is not running" in postgres_problem(url)
    assert "is not running" in redis_problem(f"redis://127.0.0.1:{port}/0")


def test_a_server_that_answers_but_fails_says_why() -> None:
    wrong_database = TEST_DATABASE_URL.rsplit("/", 1)[0] + "/no_such_database"
    problem = postgres_problem(wrong_database)
    assert "answers but fails" in problem and "no_such_database" in problem
    # Redis spoken to the PostgreSQL port: something answers, not in Redis's tongue.
    assert "answers but fails" in redis_problem("redis://127.0.0.1:5432/0")


def test_the_servers_the_suite_uses_answer() -> None:
    assert postgres_problem(TEST_DATABASE_URL) is None
