"""Configuration read from the environment, with safe defaults for the embedded setup."""

from __future__ import annotations

import ipaddress
import os
import secrets
from pathlib import Path
from typing import Any

from limits import parse_many

SECRET_KEY_FILE = "secret_key"
DEFAULT_SQLITE_NAME = "incident_room.db"
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class ConfigError(ValueError):
    """A setting that cannot work, said in one line naming the variable."""


def load_secret_key(instance_path: Path) -> str:
    """SECRET_KEY from the environment, or one generated once and kept in the instance folder.

    A hard-coded default would let anyone forge sessions on a careless deployment; a key
    generated per install and persisted survives restarts without that risk.
    """
    from_env = os.environ.get("SECRET_KEY")
    if from_env:
        return from_env
    key_file = instance_path / SECRET_KEY_FILE
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_hex(32)
    instance_path.mkdir(parents=True, exist_ok=True)
    key_file.touch(mode=0o600)
    key_file.write_text(key)
    return key


def sqlalchemy_url(url: str) -> str:
    """Name the driver we ship for PostgreSQL (psycopg2, made gevent-cooperative)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg2://" + url.removeprefix(prefix)
    return url


def database_url(instance_path: Path) -> str:
    """DATABASE_URL, normalised for SQLAlchemy; SQLite in the instance folder when unset."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return f"sqlite:///{instance_path / DEFAULT_SQLITE_NAME}"
    return sqlalchemy_url(url)


def split_list(value: str | None) -> list[str]:
    return [item.strip() for item in (value or "").split(",") if item.strip()]


def network_list(value: str | list[str] | tuple[Network, ...] | None) -> tuple[Network, ...]:
    """A comma-separated list of CIDR networks or single addresses (`10.0.0.0/8,127.0.0.1`)."""
    if isinstance(value, tuple):
        return value
    items = split_list(value) if isinstance(value, str | None) else value
    try:
        return tuple(ipaddress.ip_network(item, strict=False) for item in items)
    except ValueError as error:
        raise ConfigError(f"OUTBOUND_ALLOW_INTERNAL: {error}") from None


BRIDGE_PLACEHOLDERS = {"reference": "INC-1", "number": 1, "token": "0" * 12}


def bridge_template(value: str | None) -> str:
    """BRIDGE_URL_TEMPLATE: an http(s) URL with {reference}, {number} and {token} (random,
    so a room's address cannot be guessed), e.g. https://meet.example/ir-{reference}-{token}."""
    template = (value or "").strip()
    if not template:
        return ""
    try:
        sample = template.format(**BRIDGE_PLACEHOLDERS)
    except (KeyError, IndexError, ValueError) as error:
        raise ConfigError(f"BRIDGE_URL_TEMPLATE: unknown placeholder {error}") from None
    if not sample.startswith(("https://", "http://")):
        raise ConfigError("BRIDGE_URL_TEMPLATE: give an http:// or https:// address")
    return template


def rate_limit(name: str, default: str) -> str:
    """A limit in the `limits` notation ("60 per minute", "20/10 seconds") from `name`."""
    value = os.environ.get(name) or default
    try:
        parse_many(value)
    except ValueError:
        raise ConfigError(f"{name}: {value!r} is not a rate limit like '60 per minute'") from None
    return value


def rate_limit_storage(config: dict[str, Any]) -> str:
    """Where rate-limit counters live: RATELIMIT_STORAGE_URL, else the Redis the workers
    share (SOCKETIO_MESSAGE_QUEUE), else this process's memory (there is only one then)."""
    return (
        os.environ.get("RATELIMIT_STORAGE_URL")
        or config.get("SOCKETIO_MESSAGE_QUEUE")
        or "memory://"
    )


def secure_cookies() -> bool:
    """SESSION_COOKIE_SECURE=1/0 as said; unset, on when PUBLIC_URL is an https:// address."""
    said = os.environ.get("SESSION_COOKIE_SECURE", "")
    if said in ("0", "1"):
        return said == "1"
    return os.environ.get("PUBLIC_URL", "").startswith("https://")


def config_from_environment(instance_path: Path) -> dict[str, Any]:
    """Build the app's config mapping from the process environment."""
    return {
        "SECRET_KEY": load_secret_key(instance_path),
        # Seals the event log (unit_of_work/chain.py); unset, derived from SECRET_KEY. Keep
        # it out of the database and its backups, and stable: a new key fails every seal.
        "CHAIN_KEY": os.environ.get("CHAIN_KEY") or "",
        # The crash tests' hook (unit_of_work/change.py): die right after this op_id commits.
        "CRASH_AFTER_COMMIT_OP_ID": os.environ.get("CRASH_AFTER_COMMIT_OP_ID") or "",
        "SQLALCHEMY_DATABASE_URI": database_url(instance_path),
        "SOCKETIO_MESSAGE_QUEUE": os.environ.get("SOCKETIO_MESSAGE_QUEUE") or None,
        "SOCKETIO_CHANNEL": os.environ.get("SOCKETIO_CHANNEL") or "incident-room",
        "SOCKETIO_ASYNC_MODE": os.environ.get("SOCKETIO_ASYNC_MODE") or None,
        "ALLOWED_ORIGINS": split_list(os.environ.get("ALLOWED_ORIGINS")),
        "SESSION_COOKIE_SECURE": secure_cookies(),
        "RUN_BACKGROUND_JOBS": os.environ.get("RUN_BACKGROUND_JOBS", "1") != "0",
        "WEBHOOK_JOB_INTERVAL_SECONDS": float(os.environ.get("WEBHOOK_JOB_INTERVAL_SECONDS") or 2),
        "BACKGROUND_JOB_INTERVAL_SECONDS": float(
            os.environ.get("BACKGROUND_JOB_INTERVAL_SECONDS") or 15
        ),
        "PRESENCE_STALE_SECONDS": float(os.environ.get("PRESENCE_STALE_SECONDS") or 45),
        # Presence changes within this pause go to the room as one message (0: at once).
        "PRESENCE_COALESCE_SECONDS": float(os.environ.get("PRESENCE_COALESCE_SECONDS") or 0.1),
        "LOG_LEVEL": os.environ.get("LOG_LEVEL") or "INFO",
        "PUBLIC_URL": os.environ.get("PUBLIC_URL") or "",
        "EVIDENCE_STORAGE": os.environ.get("EVIDENCE_STORAGE") or "database",
        "EVIDENCE_MAX_BYTES": int(os.environ.get("EVIDENCE_MAX_BYTES") or 5 * 1024 * 1024),
        # Internal networks (loopback, private, link-local...) the server may still send
        # webhooks and other outbound requests to; public addresses need no listing.
        "OUTBOUND_ALLOW_INTERNAL": os.environ.get("OUTBOUND_ALLOW_INTERNAL") or "",
        # The war-room call made for each SEV1/SEV2 (services/bridge.py); unset: none.
        "BRIDGE_URL_TEMPLATE": os.environ.get("BRIDGE_URL_TEMPLATE") or "",
        "SMTP_URL": os.environ.get("SMTP_URL") or "",
        "MAIL_FROM": os.environ.get("MAIL_FROM") or "Incident Room <incident-room@localhost>",
        "MAIL_JOB_INTERVAL_SECONDS": float(os.environ.get("MAIL_JOB_INTERVAL_SECONDS") or 2),
        # Runbooks not updated for this many days are listed as stale (unset: the playbook's 180).
        # How far back earlier SEV3s of one service or alert key count as recurring (days;
        # unset: the playbook's 90).
        "POSTMORTEM_RECURRENCE_WINDOW_DAYS": int(
            os.environ.get("POSTMORTEM_RECURRENCE_WINDOW_DAYS") or 0
        )
        or None,
        "RUNBOOK_STALE_DAYS": int(os.environ.get("RUNBOOK_STALE_DAYS") or 0) or None,
        "CLOCK_OFFSET_FILE": os.environ.get("CLOCK_OFFSET_FILE") or "",
        # The public status page (docs/status-page.md): its name, and how long a worker
        # serves its cached rendering before it checks the database for a change again.
        "STATUS_PAGE_NAME": os.environ.get("STATUS_PAGE_NAME") or "Status",
        "STATUS_PAGE_RECHECK_SECONDS": float(os.environ.get("STATUS_PAGE_RECHECK_SECONDS") or 1),
        # Live text (docs/protocol-live-text.md): a burst of typing becomes a revision when
        # its document has been idle this long, or once it has lasted this long.
        "LIVE_TEXT_IDLE_SECONDS": float(os.environ.get("LIVE_TEXT_IDLE_SECONDS") or 3),
        "LIVE_TEXT_MAX_BURST_SECONDS": float(os.environ.get("LIVE_TEXT_MAX_BURST_SECONDS") or 60),
        "LIVE_TEXT_JOB_INTERVAL_SECONDS": float(
            os.environ.get("LIVE_TEXT_JOB_INTERVAL_SECONDS") or 1
        ),
        # Reverse proxies in front whose X-Forwarded-For names the client (deploy/nginx.conf: 1).
        "TRUSTED_PROXY_COUNT": int(os.environ.get("TRUSTED_PROXY_COUNT") or 0),
        # Limits on what one client may ask (docs/protocol.md, "Limits").
        "RATE_LIMIT_API": rate_limit("RATE_LIMIT_API", "600 per minute"),
        "RATE_LIMIT_DECLARATIONS": rate_limit("RATE_LIMIT_DECLARATIONS", "10 per minute"),
        # Requests from chat (services/chat): per workspace, and per person in it.
        "RATE_LIMIT_CHAT_WORKSPACE": rate_limit("RATE_LIMIT_CHAT_WORKSPACE", "120 per minute"),
        "RATE_LIMIT_CHAT_USER": rate_limit("RATE_LIMIT_CHAT_USER", "20 per minute"),
        # Status page subscriptions (anonymous): per address subscribed, per client network.
        "RATE_LIMIT_SUBSCRIBE_ADDRESS": rate_limit("RATE_LIMIT_SUBSCRIBE_ADDRESS", "3 per hour"),
        "RATE_LIMIT_SUBSCRIBE_CLIENT": rate_limit("RATE_LIMIT_SUBSCRIBE_CLIENT", "20 per hour"),
        "RATE_LIMIT_SOCKET_READS_PER_CONNECTION": rate_limit(
            "RATE_LIMIT_SOCKET_READS_PER_CONNECTION", "20 per 10 seconds"
        ),
        "RATE_LIMIT_SOCKET_READS_PER_USER": rate_limit(
            "RATE_LIMIT_SOCKET_READS_PER_USER", "60 per minute"
        ),
    }


DEFAULTS: dict[str, Any] = {
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "WTF_CSRF_TIME_LIMIT": None,
    "PASSWORD_HASH_METHOD": "scrypt",
    # Limits on what one client may send (documented in docs/protocol.md).
    "MAX_EVENT_BYTES": 64 * 1024,
    "MAX_TEXT_LENGTH": 10_000,
    # A socket event trusts a check of its login session this recent (HTTP: always checked).
    "SESSION_RECHECK_SECONDS": 5.0,
    "RATE_LIMIT_EVENTS": 30,
    "RATE_LIMIT_WINDOW_SECONDS": 5.0,
    # Live text: one update (decoded), one document with its history, updates per user.
    "LIVE_TEXT_MAX_UPDATE_BYTES": 32 * 1024,
    "LIVE_TEXT_MAX_DOCUMENT_BYTES": 512 * 1024,
    "LIVE_TEXT_RATE_LIMIT_EVENTS": 120,
    "LIVE_TEXT_RATE_LIMIT_WINDOW_SECONDS": 10.0,
    # Flask-Limiter (the HTTP edge's per-route limits); its storage is set in create_app.
    "RATELIMIT_STRATEGY": "moving-window",
    "RATELIMIT_SWALLOW_ERRORS": True,  # Redis away: limits lapse, the app keeps serving
    "WEBHOOK_TIMEOUT_SECONDS": 5.0,
    "SMTP_TIMEOUT_SECONDS": 10.0,
    # Bounds on one post-mortem PDF render (incident_room/exports/pdf.py).
    "PDF_RENDER_TIMEOUT_SECONDS": 60,
    "PDF_MEMORY_LIMIT_BYTES": 2 * 1024**3,
    "PDF_MAX_TIMELINE_ENTRIES": 5000,
    "PDF_MAX_EVIDENCE_IMAGES": 40,
}
