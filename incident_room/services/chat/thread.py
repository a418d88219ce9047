"""The incident's chat thread: what a change queues for it, in the change's own transaction
(an outbox, like webhooks), for `sender` to post later. Private incidents and drills are
never announced."""

from __future__ import annotations

from typing import Any

from sqlalchemy import exists, select

from ...extensions import db
from ...models import ChatMessage, Incident
from ...policy import STATUS_LABELS
from ...unit_of_work import commits_itself
from ..links import public_url
from .settings import chat_settings, posts_to_chat


def escaped(text: str) -> str:
    """Text as chat shows it literally: `<`, `>` and `&` are markup there (`<!channel>`
    would page everyone), so a title cannot mention or link anyone."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def room_url(incident: Incident) -> str:
    return public_url(f"/incidents/{incident.id}")


def _declared(incident: Incident, details: dict[str, Any]) -> str:
    severity = incident.severity or "unclassified"
    who = details.get("declared_by", "someone")
    return (
        f"{incident.reference} {severity} declared by {who}: {incident.title}\n"
        f"Room: {room_url(incident)}"
    )


def _status(value: str | None) -> str:
    return STATUS_LABELS.get(value or "", value or "?")


def message_text(incident: Incident, kind: str, details: dict[str, Any]) -> str:
    """One line per kind of news, as the thread shows it."""
    if kind == "declared":
        return _declared(incident, details)
    if kind == "severity_changed":
        return f"Severity: {details.get('from') or 'unclassified'} → {details.get('to')}"
    if kind == "status_changed":
        return f"Status: {_status(details.get('from'))} → {_status(details.get('to'))}"
    if kind == "update_posted":
        return f"Update: {details.get('text', '')}"
    if kind == "all_clear":
        return (
            f"All-clear: {incident.reference} is resolved. Post-mortem owner: "
            f"{details.get('postmortem_owner', 'the Incident Commander')}."
        )
    return str(details.get("text", kind))


def _has(incident: Incident, *conditions: Any) -> bool:
    return bool(
        db.session.scalar(
            select(exists().where(ChatMessage.incident_id == incident.id, *conditions))
        )
    )


def _queue(incident: Incident, kind: str, text: str, **flags: bool) -> None:
    db.session.add(ChatMessage(incident_id=incident.id, kind=kind, text=escaped(text), **flags))


@commits_itself
def reply_privately(channel: str, chat_user_id: str, text: str) -> None:
    """A message only `chat_user_id` sees in `channel` (chat.postEphemeral), sent by the
    same job as the thread; for replies to events, which have no reply of their own."""
    db.session.add(
        ChatMessage(
            incident_id=None,
            channel=channel[:64],
            ephemeral_to=chat_user_id[:64],
            kind="private_reply",
            text=escaped(text),
        )
    )
    db.session.commit()


def announce(incident: Incident, kind: str, details: dict[str, Any] | None = None) -> None:
    """Queue `kind` for the incident's thread: declaring starts the thread; later news goes
    into it (an incident declared before chat was set up has none); the war-room call is
    posted and pinned once, when the incident first has one."""
    details = details or {}
    if incident.private or incident.drill or not posts_to_chat(chat_settings()):
        return
    if kind == "declared":
        _queue(incident, kind, message_text(incident, kind, details), starts_thread=True)
    elif _has(incident, ChatMessage.starts_thread):
        _queue(incident, kind, message_text(incident, kind, details))
    else:
        return
    if details.get("bridge_url") and not _has(incident, ChatMessage.pin):
        _queue(incident, "bridge", f"War room: {details['bridge_url']}", pin=True)
