"""Services: the names alerts carry, each owned by a team."""

from __future__ import annotations

import re

from sqlalchemy import select

from ...errors import invalid
from ...extensions import db
from ...models import Service, Team, User
from ...unit_of_work import commits_itself
from ..access import require_team_admin

SERVICE_NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,99}")


def service_named(name: str) -> Service | None:
    return db.session.scalar(select(Service).where(Service.name == name.strip().lower()))


def require_service(name: object, field: str = "service") -> Service:
    """The service an alert or a declaration names, or `invalid` naming the field."""
    service = service_named(name) if isinstance(name, str) else None
    if service is None:
        raise invalid(field, f"No service called {name!r}.")
    return service


def service_to_wire(actor: User, team_id: int, name: object) -> Service:
    """The service a team's schedule or policy is about to take over, once `actor` is an
    admin of that team and of the team owning the service."""
    require_team_admin(actor, team_id)
    service = require_service(name)
    if service.team_id is not None and service.team_id != team_id:
        require_team_admin(actor, service.team_id)
    return service


def check_service_name(name: str) -> str:
    name = name.strip().lower()
    if not SERVICE_NAME.fullmatch(name):
        raise invalid("name", "Service names are 1-100 of a-z, 0-9, '.', '_' and '-'.")
    return name


@commits_itself
def create_service(name: str, team: Team | None = None, description: str = "") -> Service:
    name = check_service_name(name)
    if service_named(name) is not None:
        raise invalid("name", f"There is already a service called {name!r}.")
    service = Service(name=name, team_id=team.id if team else None, description=description)
    db.session.add(service)
    db.session.commit()
    return service


def all_services() -> list[Service]:
    return list(db.session.scalars(select(Service).order_by(Service.name)))
