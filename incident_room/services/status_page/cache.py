"""The rendering cache: each rendering is kept until the page changes.

The key says what a rendering is valid for: the version counter bumped in the transaction
of every status-page change, the event counters of the public incidents (a posted update
moves them), the maintenance starts and ends passed, and the day (the bars move at
midnight). It is read from the database (one prebuilt statement), so every worker sees a
change once it commits - at most `STATUS_PAGE_RECHECK_SECONDS` later (default 1 s), since
a worker re-reads it no more often than that; a live page asks for the version it was told
about, which makes the worker read it at once. The room's hot path never reads or writes it.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from sqlalchemy import bindparam, func, literal_column, select

from ...clock import now
from ...extensions import db
from ...models import Incident, StatusMaintenance, StatusPageVersion, StatusPublicIncident

CACHE = "incident_room.status_page_cache"

# Built once: constructing a statement costs more than SQLite takes to run it.
_AT = bindparam("at")
_KEY = select(
    select(StatusPageVersion.version).where(StatusPageVersion.id == 1).scalar_subquery(),
    select(func.coalesce(func.sum(Incident.last_seq), 0))
    .join(StatusPublicIncident, StatusPublicIncident.incident_id == Incident.id)
    .scalar_subquery(),
    select(func.count(literal_column("1")))
    .select_from(StatusMaintenance)
    .where(StatusMaintenance.starts_at <= _AT)
    .scalar_subquery(),
    select(func.count(literal_column("1")))
    .select_from(StatusMaintenance)
    .where(StatusMaintenance.ends_at <= _AT)
    .scalar_subquery(),
)


@dataclass(frozen=True)
class Rendering:
    body: str
    etag: str
    last_modified: datetime


@dataclass
class Cache:
    """This worker's renderings and the key it last read (and when, by the monotonic clock)."""

    key: str = ""
    read_at: float = float("-inf")
    renderings: dict[str, tuple[str, Rendering]] = field(default_factory=dict)


def page_cache() -> Cache:
    return current_app.extensions.setdefault(CACHE, Cache())


def read_key() -> str:
    """What a rendering is valid for, from the database, now."""
    at = now()
    version, events, started, ended = db.session.execute(_KEY, {"at": at}).one()
    return f"{version or 0}.{events}.{started + ended}.{at.date().isoformat()}"


def current_key(fresh: bool = False) -> str:
    """The key, re-read when asked or when the last read is older than the recheck time."""
    cache = page_cache()
    if fresh or not is_fresh(cache, current_app.config["STATUS_PAGE_RECHECK_SECONDS"]):
        cache.key, cache.read_at = read_key(), time.monotonic()
    return cache.key


def is_fresh(cache: Cache, recheck: float) -> bool:
    return time.monotonic() - cache.read_at < recheck


def cached(name: str, render: Callable[[], str], fresh: bool = False) -> tuple[str, Rendering]:
    """(key, the rendering `name` for it), made once per change per worker."""
    cache = page_cache()
    key = current_key(fresh)
    kept = cache.renderings.get(name)
    if kept is not None and kept[0] == key:
        return key, kept[1]
    body = render()
    digest = hashlib.sha256(f"{name}\0{key}\0{body}".encode()).hexdigest()[:32]
    rendering = Rendering(body, digest, now().replace(microsecond=0))
    cache.renderings[name] = (key, rendering)
    return key, rendering
