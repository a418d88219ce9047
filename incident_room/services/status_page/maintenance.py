"""Scheduled maintenance: admins plan a window (start, end, components) and post updates;
it is scheduled, in progress or completed by the clock, so every worker agrees without a
job having to move it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from ...clock import as_utc, iso, now
from ...errors import invalid
from ...extensions import db
from ...models import (
    StatusComponent,
    StatusMaintenance,
    StatusMaintenanceComponent,
    StatusMaintenanceUpdate,
    User,
)
from ...unit_of_work import commits_itself
from ..access import require_admin
from .components import bump_version, require_components
from .live import announce_change
from .policy import MAINTENANCE_TITLE_MAX, PAGE_ID, UPDATE_MAX


@dataclass(frozen=True)
class MaintenancePlan:
    """A maintenance window as an admin plans it (validated at the edge)."""

    title: str
    starts_at: datetime
    ends_at: datetime
    component_ids: list[int] = field(default_factory=list)


def maintenance_status(maintenance: StatusMaintenance, at: datetime | None = None) -> str:
    """Statuspage's scheduled / in_progress / completed, by the clock."""
    at = at or now()
    if at < as_utc(maintenance.starts_at):
        return "scheduled"
    return "in_progress" if at < as_utc(maintenance.ends_at) else "completed"


def boundaries_passed(at: datetime | None = None) -> int:
    """How many starts and ends are behind us: the cache's key moves when one passes."""
    at = at or now()
    starts = db.session.scalar(
        select(func.count()).select_from(StatusMaintenance).where(StatusMaintenance.starts_at <= at)
    )
    ends = db.session.scalar(
        select(func.count()).select_from(StatusMaintenance).where(StatusMaintenance.ends_at <= at)
    )
    return int(starts or 0) + int(ends or 0)


@commits_itself
def schedule_maintenance(admin: User, plan: MaintenancePlan) -> StatusMaintenance:
    """Plan a window; one that ends before it starts is refused and nothing is saved."""
    require_admin(admin)
    title = plan.title.strip()
    if not title or len(title) > MAINTENANCE_TITLE_MAX:
        raise invalid("title", f"A maintenance is named in 1-{MAINTENANCE_TITLE_MAX} characters.")
    if plan.ends_at <= plan.starts_at:
        raise invalid("ends_at", "A maintenance ends after it starts.")
    ids = set(require_components(plan.component_ids))
    maintenance = StatusMaintenance(title=title, starts_at=plan.starts_at, ends_at=plan.ends_at)
    db.session.add(maintenance)
    db.session.flush()
    db.session.add_all(
        StatusMaintenanceComponent(maintenance_id=maintenance.id, component_id=cid)
        for cid in sorted(ids)
    )
    bump_version()
    db.session.commit()
    announce_change()
    return maintenance


@commits_itself
def post_maintenance_update(
    admin: User, maintenance: StatusMaintenance, body: str
) -> StatusMaintenanceUpdate:
    require_admin(admin)
    body = body.strip()
    if not body or len(body) > UPDATE_MAX:
        raise invalid("body", f"An update says something in 1-{UPDATE_MAX} characters.")
    update = StatusMaintenanceUpdate(maintenance_id=maintenance.id, body=body, created_at=now())
    db.session.add(update)
    bump_version()
    db.session.commit()
    announce_change()
    return update


def maintenances(active_or_upcoming: bool = False) -> list[StatusMaintenance]:
    """Maintenance windows, soonest first; only those not yet over when asked."""
    query = select(StatusMaintenance).order_by(StatusMaintenance.starts_at, StatusMaintenance.id)
    if active_or_upcoming:
        query = query.where(StatusMaintenance.ends_at > now())
    return list(db.session.scalars(query))


def maintenance_json(maintenance: StatusMaintenance) -> dict[str, Any]:
    """One maintenance as Statuspage's scheduled_maintenances shows it."""
    status = maintenance_status(maintenance)
    updates = db.session.scalars(
        select(StatusMaintenanceUpdate)
        .where(StatusMaintenanceUpdate.maintenance_id == maintenance.id)
        .order_by(StatusMaintenanceUpdate.created_at.desc(), StatusMaintenanceUpdate.id.desc())
    )
    components = db.session.scalars(
        select(StatusComponent)
        .join(
            StatusMaintenanceComponent,
            StatusMaintenanceComponent.component_id == StatusComponent.id,
        )
        .where(StatusMaintenanceComponent.maintenance_id == maintenance.id)
        .order_by(StatusComponent.group_name, StatusComponent.position, StatusComponent.name)
    )
    return {
        "id": f"maintenance-{maintenance.id}",
        "name": maintenance.title,
        "status": status,
        "impact": "maintenance",
        "created_at": iso(maintenance.created_at),
        "updated_at": iso(maintenance.created_at),
        "monitoring_at": None,
        "resolved_at": iso(maintenance.ends_at) if status == "completed" else None,
        "started_at": iso(maintenance.starts_at),
        "scheduled_for": iso(maintenance.starts_at),
        "scheduled_until": iso(maintenance.ends_at),
        "shortlink": None,
        "page_id": PAGE_ID,
        "incident_updates": [
            {
                "id": f"maintenance-update-{update.id}",
                "incident_id": f"maintenance-{maintenance.id}",
                "status": maintenance_status(maintenance, as_utc(update.created_at)),
                "body": update.body,
                "created_at": iso(update.created_at),
                "updated_at": iso(update.created_at),
                "display_at": iso(update.created_at),
            }
            for update in updates
        ],
        "components": [{"id": str(c.id), "name": c.name, "status": c.state} for c in components],
    }
