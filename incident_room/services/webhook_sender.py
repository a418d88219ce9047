"""Sending queued webhook deliveries: signed, retried with backoff, every outcome recorded.

Runs in a background job in each worker. A delivery is claimed by pushing its next
attempt time past the send timeout before sending (PostgreSQL: `FOR UPDATE SKIP
LOCKED`), so two workers never send the same attempt. It is sent through `outbound`
(internal addresses refused at every send, no redirects); the recorded reason is its
coarse one.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

from flask import current_app

from ..clock import now
from ..models import WebhookDelivery
from ..unit_of_work import commits_itself
from . import outbound
from .outbox import claim_due, record_attempt
from .webhooks import delivery_url

SIGNATURE_HEADER = "X-Incident-Room-Signature"
TIMESTAMP_HEADER = "X-Incident-Room-Timestamp"
USER_AGENT = "IncidentRoom-Webhook/1"


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 over `timestamp.body`; receivers recompute it to trust the body."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


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
        delivery_url(delivery.endpoint),
        body,
        headers,
        current_app.config["WEBHOOK_TIMEOUT_SECONDS"],
    )


@commits_itself
def deliver_due(limit: int = 20) -> int:
    """Send what is due; returns how many attempts were made."""
    lease = timedelta(seconds=current_app.config["WEBHOOK_TIMEOUT_SECONDS"] * 2)
    due = claim_due(WebhookDelivery, limit, lease)
    for delivery in due:
        outcome = _send(delivery)
        delivery.response_status = outcome.status
        record_attempt(delivery, outcome.error)
    return len(due)
