"""Subscribers: by e-mail (double opt-in: nothing is sent but the confirmation until its
link is followed; every message carries a one-click unsubscribe) or by webhook, for every
component or some. Telling them is a background job: each posted status-page update of a
public incident, and each maintenance update, is claimed once (a row inserted), and its
mail and webhook deliveries are queued in that same transaction for the outboxes to send."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from ...clock import now
from ...errors import DomainError, invalid
from ...extensions import db
from ...models import (
    Incident,
    StatusMaintenance,
    StatusMaintenanceUpdate,
    StatusNotice,
    StatusPublicIncident,
    StatusSubscriber,
    StatusSubscriberComponent,
    StatusWebhookDelivery,
    TimelineEntry,
)
from ...unit_of_work import commits_itself
from ..links import public_url
from ..mail.messages import check_address, queue_mail
from ..outbound import check_url
from ..sessions import secret_digest
from .components import require_components
from .maintenance import maintenance_json
from .page import incident_json, overall_status
from .policy import NOTICE_BATCH, NOTICE_WINDOW

PURPOSE = "status_page"


@dataclass(frozen=True)
class Subscription:
    """What a visitor asked for (validated at the edge): one of e-mail or webhook."""

    email: str | None = None
    webhook_url: str | None = None
    component_ids: list[int] = field(default_factory=list)


def page_name() -> str:
    return current_app.config["STATUS_PAGE_NAME"]


def manage_url(token: str, action: str) -> str:
    return public_url(f"/status/subscriptions/{token}/{action}")


def subscriber_for(token: str) -> StatusSubscriber:
    """The subscriber a link's token names, or not_found (a used-up or made-up token)."""
    subscriber = db.session.scalar(
        select(StatusSubscriber).where(StatusSubscriber.token_digest == secret_digest(token))
    )
    if subscriber is None:
        raise DomainError("not_found", "This link is no longer valid.")
    return subscriber


def _follow(subscriber: StatusSubscriber, components: set[int]) -> None:
    db.session.execute(
        delete(StatusSubscriberComponent).where(
            StatusSubscriberComponent.subscriber_id == subscriber.id
        )
    )
    db.session.add_all(
        StatusSubscriberComponent(subscriber_id=subscriber.id, component_id=cid)
        for cid in sorted(components)
    )


def _confirmation(address: str, token: str) -> None:
    name = page_name()
    queue_mail(
        address,
        f"Confirm your subscription to {name}",
        f"Someone (we hope you) asked to hear about incidents on {name}.\n\n"
        f"Confirm here: {manage_url(token, 'confirm')}\n\n"
        "If it was not you, ignore this message: nothing more will be sent.\n",
        purpose=PURPOSE,
    )


@commits_itself
def subscribe(request: Subscription) -> tuple[StatusSubscriber, str]:
    """A new subscriber, or a new link for one already known (the answer is the same, so
    nobody learns who subscribes). E-mail waits for its confirmation; a webhook is live
    at once. Returns the subscriber and its token (shown once, in links)."""
    if (request.email is None) == (request.webhook_url is None):
        raise invalid("email", "Give an e-mail address or a webhook URL.")
    components = set(require_components(request.component_ids))
    token = secrets.token_urlsafe(32)
    if request.email is not None:
        address = check_address(request.email)
        if not current_app.config.get("SMTP_URL"):
            raise DomainError("invalid", "This page sends no e-mail.", field="email")
        subscriber = db.session.scalar(
            select(StatusSubscriber).where(StatusSubscriber.email == address)
        ) or StatusSubscriber(email=address)
        _confirmation(address, token)
    else:
        url = str(request.webhook_url).strip()[:500]
        check_url(url, "webhook_url")
        subscriber = StatusSubscriber(webhook_url=url, confirmed_at=now())
    subscriber.token_digest = secret_digest(token)
    db.session.add(subscriber)
    db.session.flush()
    _follow(subscriber, components)
    db.session.commit()
    return subscriber, token


@commits_itself
def confirm(token: str) -> StatusSubscriber:
    subscriber = subscriber_for(token)
    if subscriber.confirmed_at is None:
        subscriber.confirmed_at = now()
    db.session.commit()
    return subscriber


@commits_itself
def unsubscribe(token: str) -> None:
    """One click: the subscriber and what it followed are gone."""
    db.session.delete(subscriber_for(token))
    db.session.commit()


def _audience(component_ids: set[int]) -> list[StatusSubscriber]:
    """Confirmed subscribers who follow every component or one of these."""
    following: dict[int, set[int]] = {}
    for sid, cid in db.session.execute(
        select(StatusSubscriberComponent.subscriber_id, StatusSubscriberComponent.component_id)
    ):
        following.setdefault(sid, set()).add(cid)
    return [
        s
        for s in db.session.scalars(
            select(StatusSubscriber).where(StatusSubscriber.confirmed_at.is_not(None))
        )
        if s.id not in following or following[s.id] & component_ids
    ]


def _tell(
    subscriber: StatusSubscriber, kind: str, about: dict[str, Any], update: dict[str, Any]
) -> None:
    """Queue one update (of an incident or a scheduled maintenance, in Statuspage's shape)
    for one subscriber; a fresh token makes its unsubscribe link."""
    if subscriber.webhook_url:
        status = overall_status()
        page = {
            "id": about["page_id"],
            "status_indicator": status["indicator"],
            "status_description": status["description"],
        }
        body = {"page": page, kind: {**about, "incident_updates": [update]}}
        db.session.add(StatusWebhookDelivery(subscriber_id=subscriber.id, body=body))
        return
    token = secrets.token_urlsafe(32)
    subscriber.token_digest = secret_digest(token)
    leave = manage_url(token, "unsubscribe")
    where = f"/status/incidents/{about['id']}" if kind == "incident" else f"/status#{about['id']}"
    status_words = update["status"].replace("_", " ").capitalize()
    queue_mail(
        str(subscriber.email),
        f"[{page_name()}] {about['name']}: {status_words}",
        f"{update['body']}\n\n{public_url(where)}\n\nUnsubscribe: {leave}\n",
        purpose=PURPOSE,
        headers={
            "List-Unsubscribe": f"<{leave}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def _claim(notice: StatusNotice) -> bool:
    """Insert the notice; False when another worker told this update first."""
    try:
        db.session.add(notice)
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return False
    return True


def _tell_all(kind: str, about: dict[str, Any], update_id: str) -> None:
    update = next(u for u in about["incident_updates"] if u["id"] == update_id)
    for subscriber in _audience({int(c["id"]) for c in about["components"]}):
        _tell(subscriber, kind, about, update)
    db.session.commit()


def _untold(limit: int) -> list[TimelineEntry]:
    """Posted status-page updates of public incidents nobody was told of yet, oldest first."""
    told = select(StatusNotice.entry_id)
    entries = db.session.scalars(
        select(TimelineEntry)
        .join(Incident, Incident.id == TimelineEntry.incident_id)
        .join(StatusPublicIncident, StatusPublicIncident.incident_id == Incident.id)
        .where(
            Incident.drill.is_(False),
            Incident.private.is_(False),
            TimelineEntry.kind == "update",
            TimelineEntry.deleted.is_(False),
            TimelineEntry.id.not_in(told),
        )
        .order_by(TimelineEntry.recorded_at)
    )
    return [e for e in entries if (e.details or {}).get("audience") == "status_page"][:limit]


def _untold_maintenance(limit: int) -> list[StatusMaintenanceUpdate]:
    """Maintenance updates of the last NOTICE_WINDOW nobody was told of yet, oldest first."""
    told = set(
        db.session.scalars(select(StatusNotice.entry_id).where(StatusNotice.incident_id.is_(None)))
    )
    recent = db.session.scalars(
        select(StatusMaintenanceUpdate)
        .where(StatusMaintenanceUpdate.created_at >= now() - NOTICE_WINDOW)
        .order_by(StatusMaintenanceUpdate.created_at, StatusMaintenanceUpdate.id)
    )
    return [u for u in recent if f"maintenance-update-{u.id}" not in told][:limit]


@commits_itself
def tell_subscribers(limit: int = NOTICE_BATCH) -> int:
    """The background job: each posted status-page update not yet told, claimed by
    inserting its notice (a second worker's insert fails and it moves on), its messages
    queued in the same transaction. Returns how many updates were told."""
    told = 0
    for entry in _untold(limit):
        if _claim(StatusNotice(entry_id=entry.id, incident_id=entry.incident_id)):
            incident = incident_json(db.session.get(Incident, entry.incident_id))
            _tell_all("incident", incident, entry.id)
            told += 1
    for update in _untold_maintenance(limit):
        update_id = f"maintenance-update-{update.id}"
        if _claim(StatusNotice(entry_id=update_id)):
            maintenance = db.session.get(StatusMaintenance, update.maintenance_id)
            _tell_all("scheduled_maintenance", maintenance_json(maintenance), update_id)
            told += 1
    return told
