"""A worker pointed at the wrong database or Redis refuses to start, in one clear line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.live import PROJECT_ROOT, free_port
from tests.support.rooms import prepare_room
from tests.support.services import TEST_CHAIN_KEY

REFUSAL = "incident-room: refusing to start: "


def start_refused(**env: str) -> str:
    """Run `python app.py` with `env`; assert it exits 2 at once; return its one stderr line."""
    result = subprocess.run(
        [sys.executable, "app.py", "--port", str(free_port())],
        cwd=PROJECT_ROOT,
        env={**os.environ, "SECRET_KEY": "startup-test", "CHAIN_KEY": TEST_CHAIN_KEY, **env},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2, result.stderr
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(REFUSAL)
    return line.removeprefix(REFUSAL)


def test_unreachable_database_is_named_without_its_password() -> None:
    line = start_refused(DATABASE_URL="postgresql://ops:s3cret@127.0.0.1:1/incidents")
    assert line.startswith("DATABASE_URL postgresql+psycopg2://ops:***@127.0.0.1:1/incidents")
    assert "cannot connect" in line and "Connection refused" in line
    assert "s3cret" not in line


def test_database_without_tables_says_to_upgrade_first(tmp_path: Path) -> None:
    line = start_refused(DATABASE_URL=f"sqlite:///{tmp_path / 'empty.db'}")
    assert "no Incident Room tables" in line and "flask --app app db upgrade" in line


def test_unreachable_redis_is_named(postgres_url: str) -> None:
    prepare_room(postgres_url, users=1)
    line = start_refused(DATABASE_URL=postgres_url, SOCKETIO_MESSAGE_QUEUE="redis://127.0.0.1:1/0")
    assert line.startswith("SOCKETIO_MESSAGE_QUEUE redis://127.0.0.1:1/0: cannot reach Redis")


@pytest.mark.parametrize("queue", ["amqp://guest@127.0.0.1//", "kafka://127.0.0.1:9092"])
def test_a_message_queue_other_than_redis_is_refused(sqlite_url: str, queue: str) -> None:
    line = start_refused(DATABASE_URL=sqlite_url, SOCKETIO_MESSAGE_QUEUE=queue)
    assert line.startswith("SOCKETIO_MESSAGE_QUEUE must be a redis:// URL")
