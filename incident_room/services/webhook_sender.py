"""Sending queued webhook deliveries: signed, retried with backoff, every outcome recorded.

Sent through `outbound` (internal addresses refused at every send, no redirects); the
recorded reason is its coarse one.

Runs in a background job in each worker. A delivery is claimed by pushing its next
attempt time past the send timeout before sending (PostgreSQL: `FOR UPDATE SKIP
LOCKED`), so two workers never send the same attempt.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from ..clock import now
from ..extensions import db
from ..models import WebhookDelivery
from ..unit_of_work import commits_itself
from . import outbound

BACKOFF = (
    timedelta(seconds=10),
    timedelta(seconds=30),
    timedelta(minutes=2),
    timedelta(minutes=10),
    timedelta(minutes=30),
)
SIGNATURE_HEADER = "X-Incident-Room-Signature"
TIMESTAMP_HEADER = "X-Incident-Room-Timestamp"
USER_AGENT = "IncidentRoom-Webhook/1"


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 over `timestamp.body`; receivers recompute it to trust the body."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


def _claim_due(limit: int) -> list[WebhookDelivery]:
    timeout = current_app.config["WEBHOOK_TIMEOUT_SECONDS"]
    query = (
        select(WebhookDelivery)
        .where(WebhookDelivery.status == "pending", WebhookDelivery.next_attempt_at <= now())
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
        .limit(limit)
    )
    if db.engine.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    due = list(db.session.scalars(query))
    for delivery in due:
        delivery.next_attempt_at = now() + timedelta(seconds=timeout * 2)
    db.session.commit()
    return due


def _send(delivery: WebhookDelivery) -> outbound.Outcome:
    """POST the signed body through the guarded outbound client."""
    body = outbound.json_body(delivery.body)
    timestamp = str(int(now().timestamp()))
    headers = {
        **outbound.JSON_HEADERS,
        "User-Agent": USER_AGENT,
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: signature(delivery.endpoint.secret, timestamp, body),
    }
    return outbound.post(
        delivery.endpoint.url, body, headers, current_app.config["WEBHOOK_TIMEOUT_SECONDS"]
    )


def _record(delivery: WebhookDelivery, outcome: outbound.Outcome) -> None:
    delivery.attempts += 1
    delivery.response_status = outcome.status
    delivery.last_error = outcome.error
    if outcome.ok:
        delivery.status, delivery.delivered_at = "delivered", now()
    elif delivery.attempts > len(BACKOFF):
        delivery.status = "failed"
    else:
        delivery.next_attempt_at = now() + BACKOFF[delivery.attempts - 1]
    db.session.commit()


@commits_itself
def deliver_due(limit: int = 20) -> int:
    """Send what is due; returns how many attempts were made."""
    due = _claim_due(limit)
    for delivery in due:
        _record(delivery, _send(delivery))
    return len(due)
