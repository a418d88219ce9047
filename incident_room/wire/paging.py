"""A page as the browser and the API see it."""

from __future__ import annotations

from typing import TypedDict

from ..clock import iso
from ..models import Incident, Page
from .people import UserRef, user_ref


class Reach(TypedDict):
    """One person told of a page, and whether their e-mail got out (None: no address)."""

    person: UserRef | None
    step: str
    email: str | None  # pending (being retried), delivered, failed
    email_error: str | None


class PageView(TypedDict):
    id: int
    incident_id: int
    reference: str
    title: str
    severity: str | None
    service: str
    status: str
    step: int
    opened_at: str | None
    escalate_at: str | None
    acked_at: str | None
    acked_by: UserRef | None
    paged: list[UserRef | None]
    reach: list[Reach]


def page_dict(page: Page, incident: Incident) -> PageView:
    return {
        "id": page.id,
        "incident_id": incident.id,
        "reference": incident.reference,
        "title": incident.title,
        "severity": incident.severity,
        "service": page.service_name,
        "status": page.status,
        "step": page.step,
        "opened_at": iso(page.opened_at),
        "escalate_at": iso(page.escalate_at),
        "acked_at": iso(page.acked_at),
        "acked_by": user_ref(page.acked_by),
        "paged": [user_ref(notice.user) for notice in page.notices],
        "reach": [
            {
                "person": user_ref(notice.user),
                "step": notice.label,
                "email": notice.mail.status if notice.mail else None,
                "email_error": notice.mail.last_error if notice.mail else None,
            }
            for notice in page.notices
        ],
    }
