"""Pages: an alert for a service wakes the first step of its escalation policy (and, for a
SEV1, the manager step at once); a step not acknowledged within its window pages the next,
on the background job, exactly once however many workers run it; an ack - in any open tab,
or by the one-time link sent by e-mail - stops it; the all-clear resolves it. Every move is
an event on the incident's log with a timeline entry, so the room and the post-mortem see
who was woken and when."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from ...clock import now
from ...errors import DomainError, invalid, not_found
from ...extensions import db
from ...models import EscalationPolicy, EscalationStep, Incident, Page, PageNotice, Service, User
from ...policy import ACTIVE_STATUSES
from ...unit_of_work import EventType, record_event, run_change
from ...wire.incident import entry_dict
from ...wire.paging import PageView, page_dict
from ..links import public_url
from ..mail.messages import queue_mail
from ..oncall.rotation import on_call_at
from ..oncall.schedules import spec_of
from ..participants import note_participant
from ..roles import assign_role, holder_of, roles_state
from ..timeline import NewEntry, write_entry
from ..webhooks import notify
from .policy import MANAGER_AT_ONCE

COMMANDER = "incident_commander"


def ack_window(policy: EscalationPolicy, severity: str | None) -> timedelta:
    minutes = {"SEV1": policy.ack_minutes_sev1, "SEV2": policy.ack_minutes_sev2}
    return timedelta(minutes=minutes.get(severity or "", policy.ack_minutes_other))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def ack_link(token: str) -> str:
    return public_url(f"/pages/ack/{token}")


def _who_for(step: EscalationStep, at: datetime) -> User | None:
    if step.user is not None:
        return step.user
    answer = on_call_at(spec_of(step.schedule), at) if step.schedule else None
    return db.session.get(User, answer.user_id) if answer else None


def _tell(page: Page, incident: Incident, step: EscalationStep, user: User) -> None:
    """Write down that `user` is paged and reach them outside the browser: e-mail with a
    one-time ack link (sent after commit by the mail job) and the signed webhooks."""
    token = secrets.token_urlsafe(32)
    notice = PageNotice(
        user_id=user.id,
        user=user,
        step=step.position,
        label=step.label,
        notified_at=now(),
        token_hash=_digest(token),
    )
    page.notices.append(notice)
    link = ack_link(token)
    severity = incident.severity or "unclassified"
    if user.email:
        notice.mail = queue_mail(
            user.email,
            f"[{severity}] {incident.reference} {incident.title}: you are paged",
            f"You are paged as {step.label} for {page.service_name}: {incident.title}.\n\n"
            f"Acknowledge (no login needed, works once): {link}\n"
            f"The room: {public_url(f'/incidents/{incident.id}')}\n",
            purpose="page",
        )
    notify(
        incident,
        "paged",
        {"person": user.display_name, "step": step.label, "ack_url": link},
    )


def _page_step(page: Page, incident: Incident, step: EscalationStep) -> str:
    """Page `step` now; the words for the timeline."""
    user = _who_for(step, now())
    if user is None:
        return f"nobody is on call for {step.label}"
    _tell(page, incident, step, user)
    return f"{user.display_name} ({step.label})"


def _record(incident: Incident, actor: User | None, kind: str, page: Page, text: str) -> PageView:
    db.session.flush()
    view = page_dict(page, incident)
    entry = write_entry(incident, actor, NewEntry(kind="escalation", text=text))
    data: dict[str, Any] = {"page": view, "entry": entry_dict(entry)}
    if kind == EventType.PAGE_ACKNOWLEDGED:
        data["roles"] = roles_state(incident)
    record_event(incident, kind, actor, data)
    return view


def open_page(incident: Incident, service: Service) -> PageView | None:
    """Inside the change that opened or named the incident: page the service's policy.
    Drills are rehearsals and never page; a service without a policy pages nobody."""
    if incident.drill or service.escalation_policy_id is None:
        return None
    policy = db.session.get(EscalationPolicy, service.escalation_policy_id)
    if policy is None or not policy.steps:
        return None
    page = Page(
        incident_id=incident.id,
        policy_id=policy.id,
        service_name=service.name,
        severity=incident.severity,
        status="triggered",
        step=0,
        opened_at=now(),
    )
    db.session.add(page)
    first = policy.steps[0]
    paged = [_page_step(page, incident, first)]
    if incident.severity in MANAGER_AT_ONCE:
        managers = [step for step in policy.steps[1:] if step.is_manager]
        paged += [
            f"{_page_step(page, incident, step)} at once ({incident.severity})" for step in managers
        ]
    window = ack_window(policy, incident.severity)
    page.escalate_at = now() + window
    text = (
        f"Paged {', '.join(paged)} for {service.name}; "
        f"ack within {int(window.total_seconds() // 60)} minutes or it escalates."
    )
    return _record(incident, None, EventType.PAGE_OPENED, page, text)


def page_person(incident: Incident, actor: User, person: User) -> dict[str, Any]:
    """One click from the room (a runbook's escalation contact, say): page `person` now,
    by every channel a policy's step would use; it waits for their ack and does not
    escalate further."""
    if incident.status not in ACTIVE_STATUSES:
        raise invalid("status", "The incident is over: nobody is paged for it.")
    page = Page(
        incident_id=incident.id,
        policy_id=None,
        service_name=_service_name(incident),
        severity=incident.severity,
        status="triggered",
        step=0,
        opened_at=now(),
    )
    db.session.add(page)
    step = EscalationStep(position=0, label=f"asked by {actor.display_name}")
    _tell(page, incident, step, person)
    text = f"{actor.display_name} paged {person.display_name}."
    return {"page": _record(incident, actor, EventType.PAGE_OPENED, page, text)}


def _service_name(incident: Incident) -> str:
    service = db.session.get(Service, incident.service_id) if incident.service_id else None
    return service.name if service else incident.reference


def _due_page(incident: Incident, page_id: int, at: datetime) -> Page | None:
    page = db.session.get(Page, page_id)
    if page is None or page.incident_id != incident.id or page.status != "triggered":
        return None
    if page.escalate_at is None or page.escalate_at > at:
        return None
    return page


def escalate(incident: Incident, page_id: int) -> dict[str, Any]:
    """Under the incident lock, and only if still due: page the next step."""
    at = now()
    page = _due_page(incident, page_id, at)
    if page is None:
        return {}
    policy = db.session.get(EscalationPolicy, page.policy_id) if page.policy_id else None
    steps = policy.steps if policy else []
    waited = ", ".join(sorted({notice.user.display_name for notice in page.notices})) or "nobody"
    if page.step + 1 >= len(steps):
        page.escalate_at = None
        text = f"No ack from {waited}: every step of the escalation policy has been paged."
        _record(incident, None, EventType.PAGE_ESCALATED, page, text)
        return {}
    page.step += 1
    paged = _page_step(page, incident, steps[page.step])
    page.escalate_at = at + ack_window(policy, incident.severity)
    text = f"No ack from {waited}: escalated to {paged}."
    _record(incident, None, EventType.PAGE_ESCALATED, page, text)
    return {}


def escalate_due_pages() -> int:
    """The background job's pass: every triggered page whose window ran out moves on once."""
    due = db.session.execute(
        select(Page.id, Page.incident_id).where(
            Page.status == "triggered", Page.escalate_at.is_not(None), Page.escalate_at <= now()
        )
    ).all()
    db.session.rollback()
    for page_id, incident_id in due:
        run_change(incident_id, None, lambda inc, p=page_id: escalate(inc, p))
    return len(due)


def page_of(page_id: int) -> Page:
    page = db.session.get(Page, page_id)
    if page is None:
        raise not_found("page")
    return page


def acknowledge(
    incident: Incident, actor: User, page_id: int, take_command: bool = False
) -> dict[str, Any]:
    """`actor` is on it: escalation stops. With `take_command`, they also become the
    Incident Commander in the same change (a takeover, said on the timeline)."""
    page = db.session.get(Page, page_id)
    if page is None or page.incident_id != incident.id:
        raise not_found("page")
    if page.status != "triggered":
        who = page.acked_by.display_name if page.acked_by else "someone"
        raise invalid("page", f"This page is already {page.status} (by {who}).")
    page.status, page.acked_at, page.escalate_at = "acknowledged", now(), None
    page.acked_by_id, page.acked_by = actor.id, actor
    note_participant(incident, actor)
    text = f"{actor.display_name} acknowledged the page for {page.service_name}"
    commander = holder_of(incident.id, COMMANDER)
    if take_command and (commander is None or commander.id != actor.id):
        # They are joining in this very change, so this is the takeover without the
        # "has joined" check of claim_role: the page is their way in.
        assign_role(incident, COMMANDER, actor, actor, "takeover" if commander else "claim")
        was = f" from {commander.display_name}" if commander else ""
        text += f" and took over Incident Commander{was}"
    text += "."
    notify(incident, "page_acknowledged", {"person": actor.display_name})
    return {"page": _record(incident, actor, EventType.PAGE_ACKNOWLEDGED, page, text)}


def notice_for_token(token: str) -> PageNotice | None:
    """The notice a one-time ack link was sent with, while its page still waits."""
    if not token or len(token) > 100:
        return None
    notice = db.session.scalar(select(PageNotice).filter_by(token_hash=_digest(token)))
    if notice is None:
        return None
    page = db.session.get(Page, notice.page_id)
    return notice if page is not None and page.status == "triggered" else None


def acknowledge_by_link(token: str) -> tuple[int, PageView]:
    """The e-mailed link: acknowledges as the person it was sent to, once; an unknown,
    used or expired (the page moved on) link is `not_found`."""
    notice = notice_for_token(token)
    if notice is None:
        raise DomainError("not_found", "This ack link is used up or the page is over.")
    page = db.session.get(Page, notice.page_id)
    user, incident_id, page_id = notice.user, page.incident_id, page.id
    ack = run_change(incident_id, user, lambda inc: acknowledge(inc, user, page_id))
    return incident_id, ack["page"]


def resolve_pages(incident: Incident, actor: User) -> None:
    """The all-clear: pages still open are resolved with the incident (each an event, so
    the banners of those still paged clear in every tab)."""
    pages = db.session.scalars(
        select(Page).where(Page.incident_id == incident.id, Page.status != "resolved")
    )
    for page in list(pages):
        page.status, page.resolved_at, page.escalate_at = "resolved", now(), None
        text = f"The page for {page.service_name} is resolved with the all-clear."
        _record(incident, actor, EventType.PAGE_RESOLVED, page, text)


def pages_of(incident_id: int) -> list[PageView]:
    """The incident's pages, oldest first, with how each person was reached (the room)."""
    incident = db.session.get(Incident, incident_id)
    pages = db.session.scalars(
        select(Page).where(Page.incident_id == incident_id).order_by(Page.id)
    )
    return [page_dict(page, incident) for page in pages]


def open_pages_for(user: User) -> list[PageView]:
    """Triggered pages that told `user`: what every tab of theirs shows."""
    pages = db.session.scalars(
        select(Page)
        .join(PageNotice, PageNotice.page_id == Page.id)
        .where(PageNotice.user_id == user.id, Page.status == "triggered")
        .distinct()
        .order_by(Page.id)
    )
    return [page_dict(page, db.session.get(Incident, page.incident_id)) for page in pages]
