"""Can this worker serve? Database and Redis checks at startup and behind /readyz.

A wrong DATABASE_URL or Redis URL should stop the process at once with one line naming the
setting and where it points, not serve a login page that fails on the first request.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import NoReturn
from urllib.parse import urlsplit, urlunsplit

import redis
from flask import Flask
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Engine

from .config import ConfigError

CONNECT_TIMEOUT_SECONDS = 5


class StartupRefused(Exception):
    """The process cannot serve; the message is the one line the operator sees."""


def redacted(url: str) -> str:
    """`url` with any password replaced, fit for logs and error messages."""
    parts = urlsplit(url)
    if not parts.password:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def _first_line(error: BaseException) -> str:
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__


def database_problem(engine: Engine) -> str | None:
    """None when the database answers a query, else what went wrong."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as error:  # any failure means: not usable
        return _first_line(error)
    return None


def redis_problem(url: str) -> str | None:
    """None when Redis at `url` answers PING, else what went wrong."""
    try:
        client = redis.Redis.from_url(
            url,
            socket_connect_timeout=CONNECT_TIMEOUT_SECONDS,
            socket_timeout=CONNECT_TIMEOUT_SECONDS,
        )
        try:
            client.ping()
        finally:
            client.close()
    except Exception as error:
        return _first_line(error)
    return None


def _startup_engine(url: str) -> Engine:
    if url.startswith("postgres"):
        return create_engine(url, connect_args={"connect_timeout": CONNECT_TIMEOUT_SECONDS})
    return create_engine(url)


def check_startup(app: Flask) -> None:
    """Raise StartupRefused unless the database (with its schema) and Redis answer."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    engine = _startup_engine(url)
    try:
        if problem := database_problem(engine):
            raise StartupRefused(f"DATABASE_URL {redacted(url)}: cannot connect: {problem}")
        if not inspect(engine).has_table("incidents"):
            raise StartupRefused(
                f"DATABASE_URL {redacted(url)}: no Incident Room tables; "
                "run `flask --app app db upgrade` first"
            )
    finally:
        engine.dispose()
    queue = app.config.get("SOCKETIO_MESSAGE_QUEUE")
    if queue and (problem := redis_problem(queue)):
        raise StartupRefused(
            f"SOCKETIO_MESSAGE_QUEUE {redacted(queue)}: cannot reach Redis: {problem}"
        )


def refuse(reason: str) -> NoReturn:
    """Stop the process before it serves: one line on stderr, exit status 2."""
    print(f"incident-room: refusing to start: {reason}", file=sys.stderr, flush=True)
    raise SystemExit(2)


def app_or_exit(factory: Callable[[], Flask]) -> Flask:
    """The app from `factory`, checked; or refuse to start."""
    try:
        app = factory()
        check_startup(app)
    except (ConfigError, StartupRefused) as error:
        refuse(str(error))
    return app
