"""Subscribers: by e-mail (double opt-in: nothing is sent but the confirmation until its
link is followed; every message carries a one-click unsubscribe) or by webhook, for every
component or some. Telling them is a background job: each posted status-page update of a
public incident, each maintenance update (the clock's "in progress" and "completed" too)
and each change of a component's state is claimed once (a row inserted), and its mail and
webhook deliveries are queued in that same transaction for the outboxes to send."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from flask import current_app
from sqlalchemy import and_, delete, or_, select
from sqlalchemy.exc import IntegrityError

from ...clock import iso, now
from ...errors import DomainError, invalid
from ...extensions import db
from ...models import (
    Incident,
    StatusComponent,
    StatusMaintenance,
    StatusMaintenanceUpdate,
    StatusNotice,
    StatusPublicIncident,
    StatusStateChange,
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
from .page import component_dict, group_id, incident_json, overall_status
from .policy import NOTICE_BATCH, NOTICE_WINDOW, PAGE_ID, STATE_LABELS

PURPOSE = "status_page"
# What a notice of a maintenance update and of a component's state change is named by
# (Statuspage's ids for them, and the key claiming each in status_notices).
MAINTENANCE_UPDATE = "maintenance-update-"
COMPONENT_UPDATE = "component-update-"


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


@dataclass(frozen=True)
class Notice:
    """One thing to tell the followers of some components: the webhook's Statuspage body
    (its `page` is added when told) and the mail's subject line, text and page link."""

    webhook: dict[str, Any]
    subject: str
    text: str
    where: str
    component_ids: set[int]


def _update_notice(kind: str, about: dict[str, Any], update_id: str) -> Notice:
    """An update of an incident or a scheduled maintenance (`kind`), in Statuspage's shape."""
    update = next(u for u in about["incident_updates"] if u["id"] == update_id)
    where = f"/status/incidents/{about['id']}" if kind == "incident" else f"/status#{about['id']}"
    return Notice(
        webhook={kind: {**about, "incident_updates": [update]}},
        subject=f"{about['name']}: {update['status'].replace('_', ' ').capitalize()}",
        text=update["body"],
        where=where,
        component_ids={int(c["id"]) for c in about["components"]},
    )


def _state_before(change: StatusStateChange) -> str:
    """The component's state before this change (operational, as every component starts)."""
    before = db.session.scalar(
        select(StatusStateChange.state)
        .where(
            StatusStateChange.component_id == change.component_id,
            or_(
                StatusStateChange.at < change.at,
                and_(StatusStateChange.at == change.at, StatusStateChange.id < change.id),
            ),
        )
        .order_by(StatusStateChange.at.desc(), StatusStateChange.id.desc())
        .limit(1)
    )
    return before or "operational"


def _component_notice(change: StatusStateChange) -> Notice:
    """A component's state change, as Statuspage's component_update webhook carries it (the
    component as the change left it)."""
    component = db.session.get(StatusComponent, change.component_id)
    old, new = _state_before(change), change.state
    group = group_id(component.group_name) if component.group_name else None
    return Notice(
        webhook={
            "component_update": {
                "created_at": iso(change.at),
                "new_status": new,
                "old_status": old,
                "id": f"{COMPONENT_UPDATE}{change.id}",
                "component_id": str(component.id),
            },
            "component": {
                **component_dict(component, group),
                "status": new,
                "updated_at": iso(change.at),
            },
        },
        subject=f"{component.name}: {STATE_LABELS[new]}",
        text=f"{component.name} changed from {STATE_LABELS[old]} to {STATE_LABELS[new]}.",
        where=f"/status#component-{component.id}",
        component_ids={component.id},
    )


def _tell(subscriber: StatusSubscriber, notice: Notice) -> None:
    """Queue one notice for one subscriber; a fresh token makes its unsubscribe link."""
    if subscriber.webhook_url:
        status = overall_status()
        page = {
            "id": PAGE_ID,
            "status_indicator": status["indicator"],
            "status_description": status["description"],
        }
        body = {"page": page, **notice.webhook}
        db.session.add(StatusWebhookDelivery(subscriber_id=subscriber.id, body=body))
        return
    token = secrets.token_urlsafe(32)
    subscriber.token_digest = secret_digest(token)
    leave = manage_url(token, "unsubscribe")
    queue_mail(
        str(subscriber.email),
        f"[{page_name()}] {notice.subject}",
        f"{notice.text}\n\n{public_url(notice.where)}\n\nUnsubscribe: {leave}\n",
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


def _tell_all(notice: Notice) -> None:
    for subscriber in _audience(notice.component_ids):
        _tell(subscriber, notice)
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


def _recent_untold(model: type, at: Any, prefix: str, limit: int) -> list[Any]:
    """Rows of `model` (maintenance updates, component state changes) of the last
    NOTICE_WINDOW by their time `at` nobody was told of yet, oldest first; a notice named
    `prefix` + the row's id marks one told."""
    since = now() - NOTICE_WINDOW
    # A row is told after its time, so its notice is no older than the window either: the
    # notices read stay as few as the rows, however long the page has been up.
    told = set(
        db.session.scalars(
            select(StatusNotice.entry_id).where(
                StatusNotice.incident_id.is_(None),
                StatusNotice.entry_id.startswith(prefix),
                StatusNotice.created_at >= since,
            )
        )
    )
    recent = db.session.scalars(select(model).where(at >= since).order_by(at, model.id))
    return [row for row in recent if f"{prefix}{row.id}" not in told][:limit]


def _maintenance_notice(update: StatusMaintenanceUpdate) -> Notice:
    maintenance = db.session.get(StatusMaintenance, update.maintenance_id)
    return _update_notice(
        "scheduled_maintenance", maintenance_json(maintenance), f"{MAINTENANCE_UPDATE}{update.id}"
    )


def _incident_notice(entry: TimelineEntry) -> Notice:
    return _update_notice(
        "incident", incident_json(db.session.get(Incident, entry.incident_id)), entry.id
    )


@commits_itself
def tell_subscribers(limit: int = NOTICE_BATCH) -> int:
    """The background job: each posted status-page update, maintenance update and component
    state change not yet told, claimed by inserting its notice (a second worker's insert
    fails and it moves on), its messages queued in the same transaction. Returns how many
    were told."""
    untold = [
        (
            StatusNotice(entry_id=entry.id, incident_id=entry.incident_id),
            partial(_incident_notice, entry),
        )
        for entry in _untold(limit)
    ]
    for prefix, model, at, build in (
        (
            MAINTENANCE_UPDATE,
            StatusMaintenanceUpdate,
            StatusMaintenanceUpdate.created_at,
            _maintenance_notice,
        ),
        (COMPONENT_UPDATE, StatusStateChange, StatusStateChange.at, _component_notice),
    ):
        untold += [
            (StatusNotice(entry_id=f"{prefix}{row.id}"), partial(build, row))
            for row in _recent_untold(model, at, prefix, limit)
        ]
    told = 0
    for notice, build in untold:
        if _claim(notice):
            _tell_all(build())
            told += 1
    return told
