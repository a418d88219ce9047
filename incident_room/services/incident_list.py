"""The incident list: the incidents a user may see, filtered by status and severity."""

from __future__ import annotations

from sqlalchemy import Select, case

from ..models import Incident, User
from ..policy import ACTIVE_STATUSES, SEVERITIES, STATUSES
from .access import visible_incidents

# The page puts what is still burning on top; the API lists newest first (its contract).
OPEN_FIRST = (case((Incident.status.in_(ACTIVE_STATUSES), 0), else_=1), Incident.declared_at.desc())
NEWEST_FIRST = (Incident.id.desc(),)


def incident_list(
    user: User, status: str = "", severity: str = "", order: tuple = OPEN_FIRST
) -> Select:
    """`status` is a status, or `open` for every active one; unknown filters are ignored."""
    query = visible_incidents(user)
    if status == "open":
        query = query.where(Incident.status.in_(ACTIVE_STATUSES))
    elif status in STATUSES:
        query = query.where(Incident.status == status)
    if severity in SEVERITIES:
        query = query.where(Incident.severity == severity)
    return query.order_by(*order)
