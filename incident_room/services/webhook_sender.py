"""Sending queued webhook deliveries: signed, retried with backoff, every outcome recorded.

Runs in a background job in each worker. A delivery is claimed by pushing its next
attempt time past the send timeout before sending (PostgreSQL: `FOR UPDATE SKIP
LOCKED`), so two workers never send the same attempt.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import urllib.error
import urllib.request
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from ..clock import now
from ..extensions import db
from ..models import WebhookDelivery
from ..unit_of_work import commits_itself

BACKOFF = (
    timedelta(seconds=10),
    timedelta(seconds=30),
    timedelta(minutes=2),
    timedelta(minutes=10),
    timedelta(minutes=30),
)
SIGNATURE_HEADER = "X-Incident-Room-Signature"
TIMESTAMP_HEADER = "X-Incident-Room-Timestamp"


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


def _send(delivery: WebhookDelivery) -> tuple[int | None, str | None]:
    """POST the body; returns (HTTP status, error reason or None)."""
    body = json.dumps(delivery.body, separators=(",", ":")).encode()
    timestamp = str(int(now().timestamp()))
    request = urllib.request.Request(
        delivery.endpoint.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "IncidentRoom-Webhook/1",
            TIMESTAMP_HEADER: timestamp,
            SIGNATURE_HEADER: signature(delivery.endpoint.secret, timestamp, body),
        },
    )
    try:
        with urllib.request.urlopen(
            request, timeout=current_app.config["WEBHOOK_TIMEOUT_SECONDS"]
        ) as response:
            return response.status, None
    except urllib.error.HTTPError as error:
        return error.code, f"HTTP {error.code} {error.reason}"
    except (urllib.error.URLError, OSError) as error:
        return None, f"unreachable: {getattr(error, 'reason', error)}"


def _record(delivery: WebhookDelivery, status: int | None, error: str | None) -> None:
    delivery.attempts += 1
    delivery.response_status = status
    delivery.last_error = error
    if error is None:
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
        status, error = _send(delivery)
        _record(delivery, status, error)
    return len(due)
