"""Post-mortem fixtures: a scripted, resolved incident on SQLite (and PostgreSQL)."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.conftest import add_user
from tests.postmortem.scripted import Scripted, play_scripted_incident


@pytest.fixture
def db_app(app_on_each_database: Flask) -> Flask:
    """The app on SQLite, then on PostgreSQL, with Dana and Fox."""
    add_user(app_on_each_database, "dana", "Dana Scully")
    add_user(app_on_each_database, "fox", "Fox Mulder")
    return app_on_each_database


@pytest.fixture
def scripted(app: Flask, dana, fox, clock) -> Scripted:
    return play_scripted_incident(app, clock)
