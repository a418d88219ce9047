"""What the public sees, read from the tables: the overall state, the components, the
public incidents with their posted status-page updates (scrubbed as the drafter scrubs),
in the shapes Atlassian Statuspage uses so its readers read ours."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, select

from ...clock import as_utc, iso, now
from ...extensions import db
from ...models import (
    Incident,
    StatusComponent,
    StatusIncidentComponent,
    StatusPageVersion,
    StatusPublicIncident,
    StatusStateChange,
    TimelineEntry,
)
from ..updates.scrubber import Scrubber
from .components import all_components
from .history import component_history
from .maintenance import maintenance_json, maintenance_status, maintenances
from .policy import (
    IMPACT_FOR_SEVERITY,
    INCIDENT_DESCRIPTION_FALLBACK,
    INCIDENT_STATUS,
    INCIDENTS_LISTED,
    INDICATOR_DESCRIPTION,
    INDICATOR_FOR_STATE,
    INDICATORS,
    MAINTENANCE_DESCRIPTION,
    OPEN_STATUSES,
    PAGE_ID,
    STATE_LABELS,
    worst,
)

STATUS_AUDIENCE = "status_page"


def page_version() -> tuple[int, datetime | None]:
    """(version, when the page last changed): every change bumps it in its transaction."""
    row = db.session.get(StatusPageVersion, 1)
    return (row.version, as_utc(row.changed_at)) if row else (0, None)


def _public() -> Select:
    """Incidents on the page: marked public, never a drill, never private."""
    return (
        select(Incident)
        .join(StatusPublicIncident, StatusPublicIncident.incident_id == Incident.id)
        .where(Incident.drill.is_(False), Incident.private.is_(False))
    )


def public_incidents(open_only: bool = False) -> list[Incident]:
    """The open ones, or the last INCIDENTS_LISTED, newest first."""
    query = _public().order_by(Incident.declared_at.desc(), Incident.id.desc())
    if open_only:
        query = query.where(Incident.status.in_(OPEN_STATUSES))
    return list(db.session.scalars(query.limit(INCIDENTS_LISTED)))


def public_incident(incident_id: int) -> Incident | None:
    return db.session.scalar(_public().where(Incident.id == incident_id))


def _status_at(incident: Incident, at: datetime) -> str:
    """The incident's Statuspage status at a moment, from the times it moved."""
    status = "investigating"
    for room_status in ("identified", "mitigated", "resolved", "postmortem"):
        moved = getattr(incident, f"{room_status}_at")
        if moved is not None and as_utc(moved) <= as_utc(at):
            status = INCIDENT_STATUS[room_status]
    return status


def posted_updates(incident: Incident, scrub: Scrubber) -> list[dict[str, Any]]:
    """The status-page updates posted in the room, newest first, scrubbed (Statuspage's
    incident_updates)."""
    entries = db.session.scalars(
        select(TimelineEntry)
        .where(
            TimelineEntry.incident_id == incident.id,
            TimelineEntry.kind == "update",
            TimelineEntry.deleted.is_(False),
        )
        .order_by(TimelineEntry.recorded_at.desc())
    )
    return [
        {
            "id": entry.id,
            "incident_id": str(incident.id),
            "status": _status_at(incident, entry.recorded_at),
            "body": scrub(entry.text),
            "created_at": iso(entry.recorded_at),
            "updated_at": iso(entry.recorded_at),
            "display_at": iso(entry.recorded_at),
        }
        for entry in entries
        if (entry.details or {}).get("audience") == STATUS_AUDIENCE
    ]


def _affected(incident: Incident) -> list[StatusComponent]:
    """The components the incident affects or affected."""
    ids = set(
        db.session.scalars(
            select(StatusIncidentComponent.component_id).where(
                StatusIncidentComponent.incident_id == incident.id
            )
        )
    ) | set(
        db.session.scalars(
            select(StatusStateChange.component_id).where(
                StatusStateChange.incident_id == incident.id
            )
        )
    )
    return [c for c in all_components() if c.id in ids]


def component_dict(component: StatusComponent, group_id: str | None) -> dict[str, Any]:
    return {
        "id": str(component.id),
        "name": component.name,
        "status": component.state,
        "created_at": iso(component.created_at),
        "updated_at": iso(component.updated_at),
        "position": component.position,
        "description": component.description or None,
        "showcase": True,
        "start_date": component.created_at.date().isoformat(),
        "group_id": group_id,
        "page_id": PAGE_ID,
        "group": False,
        "only_show_if_degraded": False,
    }


def group_id(name: str) -> str:
    return "group-" + "-".join(name.lower().split())


def components_json() -> list[dict[str, Any]]:
    """Statuspage's components: each group is a component of its own naming its members."""
    out: list[dict[str, Any]] = []
    groups: dict[str, dict[str, Any]] = {}
    for component in all_components():
        gid = group_id(component.group_name) if component.group_name else None
        if gid and gid not in groups:
            groups[gid] = {
                **component_dict(component, None),
                "id": gid,
                "name": component.group_name,
                "description": None,
                "group": True,
                "components": [],
            }
            out.append(groups[gid])
        if gid:
            groups[gid]["components"].append(str(component.id))
            groups[gid]["status"] = worst((groups[gid]["status"], component.state))
        out.append(component_dict(component, gid))
    return out


def incident_json(incident: Incident) -> dict[str, Any]:
    """One incident as Statuspage shows it: scrubbed title, status, impact, updates."""
    scrub = Scrubber.for_incident(incident)
    updates = posted_updates(incident, scrub)
    published = db.session.get(StatusPublicIncident, incident.id)
    created = published.published_at if published else incident.declared_at
    latest = updates[0]["updated_at"] if updates else iso(created)
    return {
        "id": str(incident.id),
        "name": scrub(incident.title) or INCIDENT_DESCRIPTION_FALLBACK,
        "status": INCIDENT_STATUS[incident.status],
        "impact": IMPACT_FOR_SEVERITY.get(incident.severity, "minor"),
        "created_at": iso(created),
        "updated_at": latest,
        "started_at": iso(incident.declared_at),
        "monitoring_at": iso(incident.mitigated_at),
        "resolved_at": iso(incident.resolved_at),
        "shortlink": None,
        "page_id": PAGE_ID,
        "incident_updates": updates,
        "components": [component_dict(c, None) for c in _affected(incident)],
    }


def overall_status(incidents: list[Incident] | None = None) -> dict[str, str]:
    """Statuspage's status: the worst of the components' states and the open incidents'
    impacts, as an indicator and its sentence."""
    states = [c.state for c in all_components()]
    indicator = INDICATOR_FOR_STATE[worst(tuple(states))]
    for incident in public_incidents(open_only=True) if incidents is None else incidents:
        impact = IMPACT_FOR_SEVERITY.get(incident.severity, "minor")
        indicator = max(indicator, impact, key=INDICATORS.index)
    if indicator == "none" and any(
        maintenance_status(m) == "in_progress" for m in maintenances(active_or_upcoming=True)
    ):
        return {"indicator": "maintenance", "description": MAINTENANCE_DESCRIPTION}
    return {"indicator": indicator, "description": INDICATOR_DESCRIPTION[indicator]}


def page_json(name: str, url: str) -> dict[str, Any]:
    _, changed = page_version()
    return {
        "id": PAGE_ID,
        "name": name,
        "url": url,
        "time_zone": "Etc/UTC",
        "updated_at": iso(changed or now()),
    }


def summary_json(name: str, url: str) -> dict[str, Any]:
    open_incidents = public_incidents(open_only=True)
    return {
        "page": page_json(name, url),
        "components": components_json(),
        "incidents": [incident_json(i) for i in open_incidents],
        "scheduled_maintenances": [
            maintenance_json(m) for m in maintenances(active_or_upcoming=True)
        ],
        "status": overall_status(open_incidents),
    }


def page_view(at: datetime | None = None) -> dict[str, Any]:
    """Everything /status shows: the sentence and colour, components by group with their
    90 days, the open incidents with their updates, and the past ones."""
    at = at or now()
    incidents = public_incidents()
    open_incidents = [i for i in incidents if i.status in OPEN_STATUSES]
    groups: list[dict[str, Any]] = []
    for component in all_components():
        if not groups or groups[-1]["name"] != component.group_name:
            groups.append({"name": component.group_name, "components": []})
        groups[-1]["components"].append(
            {
                "component": component,
                "label": STATE_LABELS[component.state],
                "history": component_history(component.id, at),
            }
        )
    return {
        "status": overall_status(open_incidents),
        "groups": groups,
        "open_incidents": [incident_json(i) for i in open_incidents],
        "past_incidents": [incident_json(i) for i in incidents if i not in open_incidents],
        "maintenances": [maintenance_json(m) for m in maintenances(active_or_upcoming=True)],
        "state_labels": STATE_LABELS,
    }
