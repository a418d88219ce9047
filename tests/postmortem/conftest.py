"""Post-mortem fixtures: a scripted, resolved incident on SQLite (and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from tests.conftest import add_user, dispose, make_app
from tests.postmortem.scripted import Scripted, play_scripted_incident


@pytest.fixture
def db_app(database_url: str) -> Iterator[Flask]:
    """The app on SQLite, then on PostgreSQL."""
    application = make_app(database_url)
    add_user(application, "dana", "Dana Scully")
    add_user(application, "fox", "Fox Mulder")
    yield application
    dispose(application)


@pytest.fixture
def scripted(app: Flask, dana, fox, clock) -> Scripted:
    return play_scripted_incident(app, clock)
