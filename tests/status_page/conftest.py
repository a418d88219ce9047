"""Fixtures of the status page's subscriber tests: a real local SMTP server, and two
workers (apps) on one database that send mail to it and webhooks to local receivers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from tests.conftest import add_user, dispose, make_app
from tests.support.smtp import Mailbox, smtp_server


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    with smtp_server() as running:
        yield running


@pytest.fixture
def two_workers(database_url: str, mailbox: Mailbox, clock) -> Iterator[tuple[Flask, Flask]]:
    """Two apps on one database (on the frozen clock, 2026-03-14 02:00 UTC) with the admin
    `ada` and the IC-to-be `dana`."""
    settings = {
        "SMTP_URL": mailbox.url,
        "PUBLIC_URL": "https://status.example.com",
        "OUTBOUND_ALLOW_INTERNAL": "127.0.0.1",
    }
    first, second = make_app(database_url, **settings), make_app(database_url, **settings)
    add_user(first, "ada", "Ada Admin", admin=True)
    add_user(first, "dana", "Dana Scully")
    yield first, second
    dispose(first)
    dispose(second)
