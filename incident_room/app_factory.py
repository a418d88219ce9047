"""The application factory: config, database, extensions, Socket.IO handlers, blueprints."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from limits.errors import ConfigurationError as LimitsConfigurationError
from werkzeug.middleware.proxy_fix import ProxyFix

from . import database
from .clock import install_clock
from .config import (
    DEFAULTS,
    ConfigError,
    bridge_template,
    config_from_environment,
    network_list,
    rate_limit_storage,
    sqlalchemy_url,
)
from .extensions import csrf, db, limiter, login_manager, migrate, socketio
from .models.types import render_migration_type
from .preflight import redacted
from .realtime.origins import same_origin_or
from .realtime.packets import JsonPacket
from .realtime.queue import client_manager

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Application factory: config from the environment, overridden by `config`."""
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
        instance_relative_config=True,
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.update(DEFAULTS)
    app.config.update(config_from_environment(Path(app.instance_path)))
    app.config.update(config or {})
    app.config["SQLALCHEMY_DATABASE_URI"] = sqlalchemy_url(app.config["SQLALCHEMY_DATABASE_URI"])
    app.config["OUTBOUND_ALLOW_INTERNAL"] = network_list(app.config["OUTBOUND_ALLOW_INTERNAL"])
    app.config["BRIDGE_URL_TEMPLATE"] = bridge_template(app.config.get("BRIDGE_URL_TEMPLATE"))
    app.config.setdefault("RATELIMIT_STORAGE_URI", rate_limit_storage(app.config))
    app.config.setdefault("RATELIMIT_KEY_PREFIX", app.config["SOCKETIO_CHANNEL"])
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = database.engine_options(
        app.config["SQLALCHEMY_DATABASE_URI"]
    )

    from . import cli, models, realtime  # noqa: F401  (models: register the schema)

    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(PROJECT_ROOT / "migrations"),
        render_as_batch=True,
        compare_type=True,
        render_item=render_migration_type,
        include_object=_not_search_fts,
    )
    csrf.init_app(app)
    login_manager.init_app(app)
    # Handlers must be registered before the first init_app: Flask-SocketIO only
    # re-registers on later apps what it collected while it had no server yet.
    realtime.register_handlers()
    realtime.install(app)
    install_clock(app)
    socketio.init_app(
        app,
        # Always given, so an app built after one with a queue does not inherit it.
        client_manager=client_manager(
            app.config["SOCKETIO_MESSAGE_QUEUE"], app.config["SOCKETIO_CHANNEL"]
        ),
        async_mode=app.config["SOCKETIO_ASYNC_MODE"],
        cors_allowed_origins=same_origin_or(app.config["ALLOWED_ORIGINS"]),
        max_http_buffer_size=app.config["MAX_EVENT_BYTES"] * 4,
        serializer=JsonPacket,
    )

    _init_limiter(app)

    from .web import register_blueprints

    register_blueprints(app)
    cli.register(app)
    if app.config["TRUSTED_PROXY_COUNT"]:
        # The client's address (throttles, rate limits) from the proxies' X-Forwarded-For.
        hops = app.config["TRUSTED_PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops)  # type: ignore[method-assign]
    return app


def _not_search_fts(obj: Any, name: str | None, type_: str, *_: Any) -> bool:
    """Autogenerate leaves alone SQLite's full-text table (and its shadow tables), which the
    search makes on first use (services/runbooks/search.py), not a migration."""
    return not (type_ == "table" and (name or "").startswith("search_fts"))


def _init_limiter(app: Flask) -> None:
    """Flask-Limiter on the rate-limit storage, refusing to start on one it cannot use."""
    try:
        limiter.init_app(app)
    except LimitsConfigurationError as error:
        uri = redacted(app.config["RATELIMIT_STORAGE_URI"])
        raise ConfigError(f"RATELIMIT_STORAGE_URL {uri}: {error}") from None
