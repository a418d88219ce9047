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

from ..clock import now
from ..models import WebhookDelivery
from ..unit_of_work import commits_itself
from .outbox import claim_due, record_attempt

SIGNATURE_HEADER = "X-Incident-Room-Signature"
TIMESTAMP_HEADER = "X-Incident-Room-Timestamp"


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 over `timestamp.body`; receivers recompute it to trust the body."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


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


@commits_itself
def deliver_due(limit: int = 20) -> int:
    """Send what is due; returns how many attempts were made."""
    lease = timedelta(seconds=current_app.config["WEBHOOK_TIMEOUT_SECONDS"] * 2)
    due = claim_due(WebhookDelivery, limit, lease)
    for delivery in due:
        status, error = _send(delivery)
        delivery.response_status = status
        record_attempt(delivery, error)
    return len(due)
