"""Fixtures: a fresh app and database per test, a frozen clock, users, logged-in clients."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from incident_room.app_factory import create_app
from incident_room.clock import FrozenClock, set_clock
from incident_room.extensions import db, socketio
from incident_room.models import User
from incident_room.services.accounts import create_user
from incident_room.services.declare import Declaration, declare_incident
from tests.support.services import (
    TEST_CHAIN_KEY,
    PostgresSchema,
    require_service,
    skipped_services,
)
from tests.support.web import login

PASSWORD = "password-123"


class _ThisTest:
    """The apps the running test made, and its frozen clock (each app has its own clock:
    the `clock` fixture gives every app of the test the same one, made before or after)."""

    apps: list[Flask] = []
    clock: FrozenClock | None = None


@pytest.fixture(autouse=True)
def _forget_this_tests_apps() -> Iterator[None]:
    yield
    _ThisTest.apps.clear()
    _ThisTest.clock = None


def make_app(database_url: str, **config: Any) -> Flask:
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "CHAIN_KEY": TEST_CHAIN_KEY,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SOCKETIO_ASYNC_MODE": "threading",
            "SOCKETIO_MESSAGE_QUEUE": None,
            # Cheap hashing keeps the suite fast; production keeps scrypt.
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            # Presence at once, so in-process tests read it right after the change; the
            # pause that gathers changes has tests of its own, and real servers keep it.
            "PRESENCE_COALESCE_SECONDS": 0,
            **config,
        }
    )
    with app.app_context():
        db.create_all()
    _ThisTest.apps.append(app)
    if _ThisTest.clock is not None:
        set_clock(app, _ThisTest.clock)
    return app


def dispose(app: Flask) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'incident_room.db'}"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    require_service("postgres")
    schema = PostgresSchema()
    yield schema.url
    schema.drop()


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest) -> str:
    """Runs the test once on SQLite and once on PostgreSQL."""
    return request.getfixturevalue(f"{request.param}_url")


@pytest.fixture
def app_on_each_database(database_url: str) -> Iterator[Flask]:
    """The app on SQLite, then on PostgreSQL."""
    application = make_app(database_url)
    yield application
    dispose(application)


@pytest.fixture
def app(sqlite_url: str) -> Iterator[Flask]:
    application = make_app(sqlite_url)
    yield application
    dispose(application)


@pytest.fixture
def ctx(app: Flask) -> Iterator[Flask]:
    with app.app_context():
        yield app


@pytest.fixture
def clock() -> Iterator[FrozenClock]:
    frozen = FrozenClock(datetime(2026, 3, 14, 2, 0, tzinfo=UTC))
    _ThisTest.clock = frozen
    for app in _ThisTest.apps:
        set_clock(app, frozen)
    yield frozen


def add_user(
    app: Flask, username: str, display_name: str | None = None, *, admin: bool = False
) -> User:
    with app.app_context():
        user = create_user(username, PASSWORD, display_name or username.capitalize(), admin=admin)
        db.session.expunge(user)
        return user


def declare(
    app: Flask, username: str, title: str = "Checkout API returning 502s", **kw: Any
) -> int:
    """Declare as `username`; returns the incident id."""
    with app.app_context():
        user = db.session.scalar(db.select(User).filter_by(username=username))
        return declare_incident(user, Declaration(title=title, **kw)).id


@pytest.fixture
def dana(app: Flask) -> User:
    return add_user(app, "dana", "Dana Scully")


@pytest.fixture
def ada(app: Flask) -> User:
    """An admin of the instance (webhooks, templates, teams, the status page)."""
    return add_user(app, "ada", "Ada Admin", admin=True)


@pytest.fixture
def fox(app: Flask) -> User:
    return add_user(app, "fox", "Fox Mulder")


def logged_in_client(app: Flask, username: str, password: str = PASSWORD) -> FlaskClient:
    client = app.test_client()
    response = login(client, username, password)
    assert response.status_code == 302
    return client


def socket_client(app: Flask, username: str) -> Any:
    """An in-process Socket.IO client sharing a logged-in Flask session."""
    return socketio.test_client(app, flask_test_client=logged_in_client(app, username))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    for problem in skipped_services():
        terminalreporter.write_line(f"SKIPPED SERVICE TESTS: {problem}", yellow=True, bold=True)
