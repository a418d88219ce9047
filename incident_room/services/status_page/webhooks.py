"""Sending status-page updates to webhook subscribers: claimed from their outbox, posted
through services/outbound (internal addresses refused at every send, no redirects),
retried with back-off, every outcome recorded."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app

from ...extensions import db
from ...models import StatusSubscriber, StatusWebhookDelivery
from ...unit_of_work import commits_itself
from .. import outbound
from ..outbox import claim_due, record_attempt

USER_AGENT = "IncidentRoom-StatusPage/1"


@commits_itself
def deliver_status_webhooks(limit: int = 20) -> int:
    """Send what is due; returns how many attempts were made."""
    timeout = current_app.config["WEBHOOK_TIMEOUT_SECONDS"]
    due = claim_due(StatusWebhookDelivery, limit, timedelta(seconds=timeout * 2))
    for delivery in due:
        subscriber = db.session.get(StatusSubscriber, delivery.subscriber_id)
        if subscriber is None or not subscriber.webhook_url:
            record_attempt(delivery, "unsubscribed")
            continue
        headers = {**outbound.JSON_HEADERS, "User-Agent": USER_AGENT}
        body = outbound.json_body(delivery.body)
        outcome = outbound.post(subscriber.webhook_url, body, headers, timeout)
        delivery.response_status = outcome.status
        record_attempt(delivery, outcome.error)
    return len(due)
