"""Posting the incident threads' queued messages through the chat's Web API
(`chat.postMessage`, `pins.add`), from the shared outbox: claimed once across workers,
retried with back-off, every outcome recorded; through `outbound`, so the API's address
obeys the no-internal-addresses rule."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select

from ...clock import now
from ...extensions import db
from ...models import ChatMessage, ChatSettings, ChatThread
from ...unit_of_work import commits_itself
from .. import outbound
from ..outbox import claim_due, record_attempt
from .policy import THREAD_WAIT
from .settings import chat_settings, posts_to_chat

Answer = tuple[dict[str, Any] | None, str | None]


def call_api(settings: ChatSettings, method: str, body: dict[str, Any]) -> Answer:
    """POST one Web API method with the bot token: its answer, or why it failed."""
    outcome = outbound.post(
        f"{settings.api_url.rstrip('/')}/{method}",
        outbound.json_body(body),
        {
            "Content-Type": "application/json; charset=utf-8",
            "Authorization": f"Bearer {settings.bot_token}",
        },
        current_app.config["WEBHOOK_TIMEOUT_SECONDS"],
    )
    if not outcome.ok:
        return None, outcome.error
    try:
        answer = json.loads(outcome.body)
    except ValueError:
        return None, f"{method}: unreadable answer"
    if not isinstance(answer, dict) or answer.get("ok") is not True:
        error = answer.get("error") if isinstance(answer, dict) else None
        return None, f"{method}: {str(error or 'refused')[:100]}"
    return answer, None


def _thread_of(message: ChatMessage) -> ChatThread | None:
    return db.session.get(ChatThread, message.incident_id)


def _post(settings: ChatSettings, message: ChatMessage, thread: ChatThread | None) -> str | None:
    """Post (unless an earlier attempt did), start the thread, pin; the error, if any."""
    if message.ts is None:
        body: dict[str, Any] = {"channel": settings.channel, "text": message.text}
        if thread is not None:
            body = {"channel": thread.channel, "text": message.text, "thread_ts": thread.ts}
        answer, error = call_api(settings, "chat.postMessage", body)
        if answer is None:
            return error
        message.ts = str(answer.get("ts") or "")
        if message.starts_thread:
            channel = str(answer.get("channel") or settings.channel)
            db.session.add(
                ChatThread(incident_id=message.incident_id, channel=channel, ts=message.ts)
            )
        db.session.commit()
    if message.pin:
        channel = (thread or _thread_of(message) or settings).channel
        _, error = call_api(settings, "pins.add", {"channel": channel, "timestamp": message.ts})
        return error
    return None


def _wait_for_thread(message: ChatMessage) -> None:
    """Not an attempt: the thread's first message is not posted yet."""
    message.next_attempt_at = now() + THREAD_WAIT
    db.session.commit()


@commits_itself
def deliver_due_chat(limit: int = 20) -> int:
    """Post what is due, in order per thread; returns how many attempts were made."""
    settings = chat_settings()
    if not posts_to_chat(settings):
        return 0
    lease = timedelta(seconds=current_app.config["WEBHOOK_TIMEOUT_SECONDS"] * 4)
    attempts = 0
    for message in claim_due(ChatMessage, limit, lease):
        if message.ephemeral_to is not None:
            body = {"channel": message.channel, "user": message.ephemeral_to, "text": message.text}
            record_attempt(message, call_api(settings, "chat.postEphemeral", body)[1])
            attempts += 1
            continue
        thread = _thread_of(message)
        if thread is None and not message.starts_thread:
            if _first_message_failed(message):
                record_attempt(message, "the thread's first message was never posted")
            else:
                _wait_for_thread(message)
            continue
        record_attempt(message, _post(settings, message, None if message.starts_thread else thread))
        attempts += 1
    return attempts


def _first_message_failed(message: ChatMessage) -> bool:
    first = db.session.scalar(
        select(ChatMessage.status).where(
            ChatMessage.incident_id == message.incident_id, ChatMessage.starts_thread
        )
    )
    return first in (None, "failed")


def recent_messages(limit: int = 20) -> list[ChatMessage]:
    """The latest thread messages and how their posting went (for the settings page)."""
    return list(
        db.session.scalars(select(ChatMessage).order_by(ChatMessage.id.desc()).limit(limit))
    )
