"""Items and tickets moving together: an item sent to its team's tracker becomes a ticket
linked from the item; the tracker's signed webhook moves the item when the ticket closes
or reopens."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from flask import current_app

from ...errors import DomainError
from ...extensions import db
from ...models import Incident, IssueTracker, PostmortemActionItem, User
from ...unit_of_work import run_change
from .. import outbound
from ..access import visible_incident
from ..links import public_url
from ..postmortem.action_items import follow_ticket, link_ticket, live_item
from ..postmortem.board import ticket_incident_ids
from .config import DIALECTS, tracker_for
from .dialects import NewTicket, Ticket, TicketRequest, signed_by

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TrackerHook:
    """A webhook as it arrived: the tracker it names, its headers and its raw body."""

    tracker_id: int
    headers: dict[str, str]
    raw: bytes


def _new_ticket(incident: Incident, item: PostmortemActionItem) -> NewTicket:
    # A private incident's title stays in the app; the ticket links back to it.
    about = incident.reference if incident.private else f"{incident.reference} {incident.title}"
    lines = [
        f"Action item from the post-mortem of {about}.",
        f"Owner: {item.owner.display_name if item.owner else 'nobody yet'}",
        f"Due: {item.due_on.isoformat() if item.due_on else 'no date yet'}",
        f"Post-mortem: {public_url(f'/incidents/{incident.id}/postmortem')}",
    ]
    return NewTicket(item.text, "\n".join(lines))


def _tracker_and_ticket(
    actor: User, incident_id: int, item_id: str
) -> tuple[IssueTracker, TicketRequest]:
    incident = visible_incident(actor, incident_id)
    item = live_item(incident, item_id)
    if item.tracker_key is not None:
        raise DomainError("conflict", "This action item already has its ticket.", field="tracker")
    tracker = tracker_for(incident)
    if tracker is None:
        message = "No tracker is set up for this team; an admin adds one in the settings."
        raise DomainError("invalid", message, field="tracker")
    request = DIALECTS[tracker.kind].open_ticket(tracker, _new_ticket(incident, item))
    db.session.expunge(tracker)  # read while the tracker answers, with no transaction held
    db.session.rollback()
    return tracker, request


def _open_ticket(tracker: IssueTracker, request: TicketRequest) -> Ticket:
    outcome = outbound.post(
        request.url,
        outbound.json_body(request.body),
        {**outbound.JSON_HEADERS, **request.headers},
        current_app.config["WEBHOOK_TIMEOUT_SECONDS"],
    )
    ticket = None
    if outcome.ok:
        try:
            ticket = DIALECTS[tracker.kind].opened(tracker, json.loads(outcome.body))
        except (ValueError, AttributeError):
            ticket = None
    if ticket is None:
        reason = outcome.error or "unreadable answer"
        log.info("tracker %s refused a ticket: %s", tracker.id, reason)
        raise DomainError(
            "upstream", f"The tracker did not open the ticket ({reason}).", reason=reason
        )
    return ticket


def send_to_tracker(
    actor: User, incident_id: int, item_id: str, op_id: str | None = None
) -> dict[str, Any]:
    """Open the item's ticket in its team's tracker and link it; returns the change's ack.

    Not one `run_change`: the tracker is called between the check and the link with no
    lock or transaction held, so a slow tracker never stalls the room. Two people sending
    the same item at once may open two tickets; the second link is refused (`conflict`).
    """
    tracker, request = _tracker_and_ticket(actor, incident_id, item_id)
    ticket = _open_ticket(tracker, request)
    return run_change(
        incident_id,
        actor,
        lambda inc: link_ticket(inc, actor, item_id, ticket.key, ticket.url),
        op_id=op_id,
    )


def _verified_payload(hook: TrackerHook) -> tuple[IssueTracker, dict[str, Any]]:
    tracker = db.session.get(IssueTracker, hook.tracker_id)
    header = DIALECTS[tracker.kind].signature_header if tracker else ""
    if tracker is None or not signed_by(tracker.webhook_secret, hook.raw, hook.headers.get(header)):
        raise DomainError("unauthenticated", "The signature does not match.")
    try:
        payload = json.loads(hook.raw)
    except ValueError:
        raise DomainError("invalid", "The body is not JSON.", field="body") from None
    if not isinstance(payload, dict):
        raise DomainError("invalid", "The body is not a JSON object.", field="body")
    return tracker, payload


def receive_ticket_change(hook: TrackerHook) -> int:
    """Apply a tracker's webhook; returns how many items moved (0: nothing to do)."""
    tracker, payload = _verified_payload(hook)
    change = DIALECTS[tracker.kind].change(hook.headers, payload)
    if change is None:
        return 0
    moved = 0
    for incident_id in ticket_incident_ids(change.key):
        ack = run_change(
            incident_id, None, lambda inc: follow_ticket(inc, change.key, change.closed) or {}
        )
        moved += "action_item" in ack
    return moved
