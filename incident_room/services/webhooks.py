"""Outbound webhooks: endpoints, and the notifications a change queues for them.

`notify` only writes delivery rows in the change's own transaction (an outbox): nothing is
sent while the room waits, nothing is lost if the process dies before sending, and the
background sender (webhook_sender.py) does the slow part.
"""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select

from ..clock import iso, now
from ..errors import DomainError, invalid
from ..extensions import db
from ..models import Incident, User, WebhookDelivery, WebhookEndpoint
from ..policy import SEVERITIES
from ..unit_of_work import commits_itself
from . import outbound
from .access import require_admin
from .chat.thread import announce
from .links import public_url

BODY_FORMATS = ("json", "slack", "ntfy")
SLACK_TEXT = {
    "declared": "declared",
    "severity_changed": "severity changed",
    "status_changed": "status changed",
    "update_posted": "update posted",
    "all_clear": "all-clear called",
    "paged": "paged",
    "page_acknowledged": "page acknowledged",
    "postmortem_milestone_due": "post-mortem milestone due",
}


@commits_itself
def create_endpoint(
    actor: User, name: str, url: str, severities: list[str], body_format: str
) -> tuple[WebhookEndpoint, str]:
    """Add an endpoint (admins only); returns it with its signing secret, which is never
    shown again."""
    require_admin(actor)
    outbound.check_url(url)
    if not name.strip() or len(name) > 100:
        raise invalid("name", "Give the endpoint a short name.")
    if any(severity not in SEVERITIES for severity in severities):
        raise invalid("severities", "Severities must be among SEV1..SEV4.")
    if body_format not in BODY_FORMATS:
        raise invalid("body_format", "The body is json, slack or ntfy.")
    if body_format == "ntfy" and not _ntfy_topic(url):
        raise invalid("url", "An ntfy address ends with its topic: https://ntfy.example/oncall.")
    secret = secrets.token_hex(32)
    endpoint = WebhookEndpoint(
        name=name.strip(),
        url=url.strip(),
        severities=sorted(set(severities)),
        body_format=body_format,
        secret=secret,
        created_by_id=actor.id,
        created_by=actor,
    )
    db.session.add(endpoint)
    db.session.commit()
    return endpoint, secret


@commits_itself
def remove_endpoint(actor: User, endpoint_id: int) -> None:
    require_admin(actor)
    endpoint = db.session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None:
        raise DomainError("not_found", "No such webhook.")
    db.session.delete(endpoint)
    db.session.commit()


def _incident_url(incident: Incident) -> str:
    return public_url(f"/incidents/{incident.id}")


def _ntfy_topic(url: str) -> str:
    path = urlsplit(url.strip()).path.strip("/")
    return path if path and "/" not in path else ""


def delivery_url(endpoint: WebhookEndpoint) -> str:
    """Where a delivery is POSTed: the endpoint, or for ntfy its server's root (ntfy takes
    JSON with the topic in the body there)."""
    if endpoint.body_format != "ntfy":
        return endpoint.url
    parts = urlsplit(endpoint.url)
    return f"{parts.scheme}://{parts.netloc}/"


def _ntfy_body(endpoint: WebhookEndpoint, kind: str, incident: Incident, details: dict) -> dict:
    """ntfy's JSON publishing: a phone notification; a page rings loudest and carries an
    Acknowledge button that POSTs the page's one-time ack link."""
    severity = incident.severity or "unclassified"
    message = f"{incident.title}. {details.get('text') or ''}".strip()
    if details.get("person"):
        message = f"{details['person']}: {message}"
    body: dict[str, Any] = {
        "topic": _ntfy_topic(endpoint.url),
        "title": f"{incident.reference} {severity}: {SLACK_TEXT[kind]}",
        "message": message,
        "priority": 5 if kind == "paged" or severity == "SEV1" else 4 if severity == "SEV2" else 3,
        "tags": ["rotating_light"] if kind == "paged" else [],
        "click": _incident_url(incident),
    }
    if details.get("ack_url"):
        acknowledge = {"action": "http", "label": "Acknowledge", "url": details["ack_url"]}
        body["actions"] = [{**acknowledge, "method": "POST", "clear": True}]
    return body


def _body(endpoint: WebhookEndpoint, kind: str, incident: Incident, details: dict) -> dict:
    if endpoint.body_format == "ntfy":
        return _ntfy_body(endpoint, kind, incident, details)
    if endpoint.body_format == "slack":
        severity = incident.severity or "unclassified"
        line = f"[{incident.reference} {severity} {incident.status}] {incident.title}"
        extra = details.get("text") or ""
        call = f" War room: {details['bridge_url']}" if details.get("bridge_url") else ""
        text = f"{line}: {SLACK_TEXT[kind]}. {extra} {_incident_url(incident)}{call}"
        return {"text": text.strip()}
    return {
        "event": kind,
        "at": iso(now()),
        "incident": {
            "id": incident.id,
            "reference": incident.reference,
            "title": incident.title,
            "severity": incident.severity,
            "status": incident.status,
            "url": _incident_url(incident),
        },
        "details": details,
    }


def notify(incident: Incident, kind: str, details: dict[str, Any] | None = None) -> None:
    """Queue `kind` for every endpoint that wants this incident's severity.

    Private incidents (security) are never announced outside the room, and drills are
    rehearsals: nobody outside hears of them. The incident's chat thread hears the same news.
    """
    if incident.private or incident.drill:
        return
    announce(incident, kind, details)
    endpoints = db.session.scalars(select(WebhookEndpoint).where(WebhookEndpoint.active))
    for endpoint in endpoints:
        if endpoint.severities and incident.severity not in endpoint.severities:
            continue
        db.session.add(
            WebhookDelivery(
                endpoint_id=endpoint.id,
                incident_id=incident.id,
                kind=kind,
                body=_body(endpoint, kind, incident, details or {}),
                next_attempt_at=now(),
            )
        )


def recent_deliveries(limit: int = 50) -> list[WebhookDelivery]:
    return list(
        db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id.desc()).limit(limit))
    )
