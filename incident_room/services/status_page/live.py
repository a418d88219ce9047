"""Which committed incident events change the public page (so its watchers are told)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ...extensions import db
from ...models import StatusPublicIncident

PAGE_EVENT_PREFIXES = ("status_page.", "incident.")


def _may_matter(event: dict[str, Any]) -> bool:
    if event["type"].startswith(PAGE_EVENT_PREFIXES):
        return True
    entry = (event.get("data") or {}).get("entry") or {}
    details = entry.get("details") or {}
    return entry.get("kind") == "update" and details.get("audience") == "status_page"


def changes_the_page(incident_id: int, events: Sequence[dict[str, Any]]) -> bool:
    """A status-page move, or an incident or status-page update event of a public incident."""
    if not any(_may_matter(event) for event in events):
        return False
    return db.session.get(StatusPublicIncident, incident_id) is not None
