"""The rendering cache: each rendering is kept until the page changes. The key is read
from the database on every request (one small query), so every worker sees a change the
moment it commits - the version counter bumped by every status-page change, the event
counters of the public incidents (a posted update moves them), the maintenance starts and
ends passed, and the day (the bars move at midnight). The room's hot path never reads or
writes it."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import func, select

from ...clock import now
from ...extensions import db
from ...models import Incident, StatusPageVersion, StatusPublicIncident
from .maintenance import boundaries_passed

CACHE = "incident_room.status_page_cache"


@dataclass(frozen=True)
class Rendering:
    body: str
    etag: str
    last_modified: datetime


def current_key() -> str:
    """What a rendering is valid for; it changes with anything the page shows."""
    version = db.session.scalar(select(StatusPageVersion.version).where(StatusPageVersion.id == 1))
    events = db.session.scalar(
        select(func.coalesce(func.sum(Incident.last_seq), 0)).join(
            StatusPublicIncident, StatusPublicIncident.incident_id == Incident.id
        )
    )
    return f"{version or 0}.{events}.{boundaries_passed()}.{now().date().isoformat()}"


def cached(name: str, render: Callable[[], str]) -> Rendering:
    """The rendering `name` for the current key, made once per change per worker."""
    store: dict[str, tuple[str, Rendering]] = current_app.extensions.setdefault(CACHE, {})
    key = current_key()
    kept = store.get(name)
    if kept is not None and kept[0] == key:
        return kept[1]
    body = render()
    digest = hashlib.sha256(f"{name}\0{key}\0{body}".encode()).hexdigest()[:32]
    rendering = Rendering(body, digest, now().replace(microsecond=0))
    store[name] = (key, rendering)
    return rendering
