"""Scheduled maintenance: admins plan a window (start, end, components) and post updates;
it is scheduled, in progress or completed by the clock, so every worker agrees on what to
show. Announcing a start or an end - the update Statuspage posts, the live page told, and
through that update the subscribers - is a job that claims each once across workers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select, update

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
from .policy import (
    MAINTENANCE_CLOCK_UPDATES,
    MAINTENANCE_STATUSES,
    MAINTENANCE_TITLE_MAX,
    PAGE_ID,
    UPDATE_MAX,
)


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
    # A window planned already under way (or over) is shown so at once: the clock's job
    # announces only the starts and ends still ahead.
    maintenance.clock_status = maintenance_status(maintenance)
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


def _boundary(maintenance: StatusMaintenance, status: str) -> datetime:
    """When the clock moved the window into `status`."""
    return as_utc(maintenance.starts_at if status == "in_progress" else maintenance.ends_at)


def _claim_move(maintenance_id: int, announced: str, status: str) -> bool:
    """Move the announced status on from the one this worker read: true for one worker."""
    claimed = db.session.execute(
        update(StatusMaintenance)
        .where(StatusMaintenance.id == maintenance_id, StatusMaintenance.clock_status == announced)
        .values(clock_status=status)
        .execution_options(synchronize_session=False)
    )
    return claimed.rowcount == 1


@commits_itself
def announce_clock_moves() -> int:
    """The job: each window whose start or end the clock passed since it was last announced
    gets Statuspage's update for each step ("in progress", "completed", dated at the start
    or end), claimed by a conditional UPDATE and saved in a transaction of its own; the
    subscribers' job tells them of it like any maintenance update, and the live page is
    told once something moved. Returns how many windows moved."""
    at = now()
    due = db.session.execute(
        select(StatusMaintenance.id, StatusMaintenance.clock_status).where(
            or_(
                (StatusMaintenance.clock_status == "scheduled")
                & (StatusMaintenance.starts_at <= at),
                (StatusMaintenance.clock_status == "in_progress")
                & (StatusMaintenance.ends_at <= at),
            )
        )
    ).all()
    db.session.commit()
    moved = 0
    for maintenance_id, announced in due:
        maintenance = db.session.get(StatusMaintenance, maintenance_id)
        status = maintenance_status(maintenance, at)
        if not _claim_move(maintenance_id, announced, status):
            db.session.rollback()
            continue
        first = MAINTENANCE_STATUSES.index(announced) + 1
        last = MAINTENANCE_STATUSES.index(status) + 1
        db.session.add_all(
            StatusMaintenanceUpdate(
                maintenance_id=maintenance_id,
                body=MAINTENANCE_CLOCK_UPDATES[step],
                created_at=_boundary(maintenance, step),
            )
            for step in MAINTENANCE_STATUSES[first:last]
        )
        bump_version()
        db.session.commit()
        moved += 1
    if moved:
        announce_change()
    return moved


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
