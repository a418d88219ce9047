"""Components: the admins define them (grouped, ordered, mapped to internal services);
their state moves with the public incidents that affect them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import delete, select, update

from ...clock import now
from ...errors import invalid
from ...extensions import db
from ...models import (
    Incident,
    Service,
    StatusComponent,
    StatusComponentService,
    StatusIncidentComponent,
    StatusPageVersion,
    StatusStateChange,
    User,
)
from ...unit_of_work import commits_itself
from ..access import require_admin
from .live import announce_change
from .policy import DESCRIPTION_MAX, NAME_MAX, STATES, worst


@dataclass(frozen=True)
class ComponentSettings:
    """A component as an admin describes it (validated at the edge)."""

    name: str
    group_name: str = ""
    position: int = 0
    description: str = ""
    service_ids: list[int] = field(default_factory=list)


def check_state(state: object, field_name: str = "state") -> str:
    """One of Statuspage's four component states, or `invalid` naming the field."""
    if state not in STATES:
        raise invalid(field_name, f"A component is one of: {', '.join(STATES)}.")
    return str(state)


def require_components(ids: Iterable[int]) -> dict[int, StatusComponent]:
    """{id: component} for every id given, or `invalid` (field components) if one is unknown."""
    wanted = set(ids)
    found = {
        c.id: c
        for c in db.session.scalars(select(StatusComponent).where(StatusComponent.id.in_(wanted)))
    }
    if set(found) != wanted:
        raise invalid("components", "No such component.")
    return found


def all_components() -> list[StatusComponent]:
    """Every component in the page's order: by group, then position, then name."""
    return list(
        db.session.scalars(
            select(StatusComponent).order_by(
                StatusComponent.group_name, StatusComponent.position, StatusComponent.name
            )
        )
    )


def services_of(component_id: int) -> list[Service]:
    return list(
        db.session.scalars(
            select(Service)
            .join(StatusComponentService, StatusComponentService.service_id == Service.id)
            .where(StatusComponentService.component_id == component_id)
            .order_by(Service.name)
        )
    )


def components_for_service(service_id: int | None) -> list[StatusComponent]:
    """The components an internal service is shown as (the incident's service's, offered)."""
    if service_id is None:
        return []
    return list(
        db.session.scalars(
            select(StatusComponent)
            .join(StatusComponentService, StatusComponentService.component_id == StatusComponent.id)
            .where(StatusComponentService.service_id == service_id)
        )
    )


def bump_version() -> None:
    """Tell every worker's cache the page changed, in the caller's transaction."""
    changed = db.session.execute(
        update(StatusPageVersion)
        .where(StatusPageVersion.id == 1)
        .values(version=StatusPageVersion.version + 1, changed_at=now())
    )
    if changed.rowcount == 0:
        db.session.add(StatusPageVersion(id=1, version=1, changed_at=now()))


def enter_state(component: StatusComponent, state: str, incident: Incident | None = None) -> None:
    """Put a component in a state, kept in its history when it is a change."""
    if component.state == state:
        return
    at = now()
    component.state = state
    component.updated_at = at
    incident_id = incident.id if incident else None
    db.session.add(
        StatusStateChange(component_id=component.id, state=state, at=at, incident_id=incident_id)
    )
    bump_version()


def settle(component: StatusComponent, incident: Incident | None = None) -> None:
    """A component's state is the worst that the public incidents affecting it and the
    admins' own choice say: an incident set back does not undo what an admin set by hand."""
    chosen = db.session.scalars(
        select(StatusIncidentComponent.state).where(
            StatusIncidentComponent.component_id == component.id
        )
    )
    enter_state(component, worst((*chosen, component.manual_state)), incident)


@commits_itself
def set_manual_state(admin: User, component: StatusComponent, state: str) -> None:
    """An admin sets a component's state by hand (operational takes their choice back); a
    public incident holding it in a worse state keeps it there until set back."""
    require_admin(admin)
    component.manual_state = check_state(state)
    settle(component)
    db.session.commit()
    announce_change()


def _check(settings: ComponentSettings, component_id: int | None) -> None:
    name = settings.name.strip()
    if not name or len(name) > NAME_MAX:
        raise invalid("name", f"A component is named in 1-{NAME_MAX} characters.")
    if len(settings.group_name) > NAME_MAX:
        raise invalid("group_name", f"A group is named in at most {NAME_MAX} characters.")
    if len(settings.description) > DESCRIPTION_MAX:
        raise invalid("description", f"At most {DESCRIPTION_MAX} characters.")
    same = db.session.scalar(select(StatusComponent).where(StatusComponent.name == name))
    if same is not None and same.id != component_id:
        raise invalid("name", f"There is already a component called {name!r}.")
    known = set(db.session.scalars(select(Service.id).where(Service.id.in_(settings.service_ids))))
    if known != set(settings.service_ids):
        raise invalid("services", "No such service.")


@commits_itself
def save_component(
    admin: User, settings: ComponentSettings, component: StatusComponent | None = None
) -> StatusComponent:
    """Create a component, or change one: its name, group, place and services."""
    require_admin(admin)
    _check(settings, component.id if component else None)
    if component is None:
        component = StatusComponent()
        db.session.add(component)
    component.name = settings.name.strip()
    component.group_name = settings.group_name.strip()
    component.position = settings.position
    component.description = settings.description.strip()
    db.session.flush()
    db.session.execute(
        delete(StatusComponentService).where(StatusComponentService.component_id == component.id)
    )
    for service_id in sorted(set(settings.service_ids)):
        db.session.add(StatusComponentService(component_id=component.id, service_id=service_id))
    bump_version()
    db.session.commit()
    announce_change()
    return component


@commits_itself
def remove_component(admin: User, component: StatusComponent) -> None:
    require_admin(admin)
    db.session.delete(component)
    bump_version()
    db.session.commit()
    announce_change()
