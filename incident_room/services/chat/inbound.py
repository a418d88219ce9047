"""What the Events API sends: `@incident SEV-X: ...` in the configured channel (or to the
app by mention) declares; a reply in an incident's thread becomes a timeline note by its
author, linked back to the message. Only linked accounts act; other events are ignored."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy import select

from ...errors import DomainError
from ...extensions import db
from ...models import ChatSettings, ChatThread
from ...unit_of_work import run_change
from ..declare import QUICK_SYNTAX
from ..timeline import NewEntry, add_entry
from .commands import declare_from_chat, link_invitation
from .identities import ChatUser, linked_account
from .policy import NOTE_MAX_CHARS
from .thread import reply_privately

log = logging.getLogger(__name__)
MENTION = re.compile(r"^\s*<@[A-Z0-9]+>\s*", re.IGNORECASE)


@dataclass(frozen=True)
class ChatPost:
    """One message event: who wrote it where, its text, its ts and its thread's ts."""

    person: ChatUser
    kind: str  # "message" or "app_mention"
    channel: str
    text: str
    ts: str
    thread_ts: str | None = None


def unescaped(text: str) -> str:
    """Chat's `&lt;`, `&gt;` and `&amp;` as the characters the person typed."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def message_link(settings: ChatSettings, post: ChatPost) -> str:
    """A permalink to the message on the chat's web side (Slack's archives form)."""
    parts = urlsplit(settings.api_url)
    stamp = post.ts.replace(".", "")
    link = f"{parts.scheme}://{parts.netloc}/archives/{post.channel}/p{stamp}"
    if post.thread_ts:
        link += f"?thread_ts={post.thread_ts}&cid={post.channel}"
    return link


def _note_from_reply(settings: ChatSettings, post: ChatPost) -> bool:
    thread = db.session.scalar(
        select(ChatThread).where(
            ChatThread.channel == post.channel, ChatThread.ts == post.thread_ts
        )
    )
    if thread is None:
        return False
    author = linked_account(post.person)
    if author is None:
        reply_privately(post.channel, post.person.user_id, link_invitation(post.person).text)
        return False
    said = unescaped(post.text)[:NOTE_MAX_CHARS]
    text = f"{said}\n\n(from chat: {message_link(settings, post)})"
    run_change(
        thread.incident_id,
        author,
        lambda incident: add_entry(incident, author, NewEntry(kind="note", text=text)),
        op_id=f"chat:{post.channel}:{post.ts}"[:64],
    )
    return True


def _declaration(settings: ChatSettings, post: ChatPost) -> str | None:
    """The phrase after `@incident` (or after the app's mention), when this post declares."""
    if post.kind == "app_mention":
        return unescaped(MENTION.sub("", post.text, count=1))
    if post.channel == settings.channel and (match := QUICK_SYNTAX.match(unescaped(post.text))):
        return match["rest"]
    return None


def receive_post(settings: ChatSettings, post: ChatPost) -> str:
    """Act on one message event; says what came of it (for the log and the tests)."""
    try:
        if post.thread_ts and post.thread_ts != post.ts:
            return "noted" if _note_from_reply(settings, post) else "ignored"
        phrase = _declaration(settings, post)
        if phrase is None:
            return "ignored"
        user = linked_account(post.person)
        if user is None:
            reply_privately(post.channel, post.person.user_id, link_invitation(post.person).text)
            return "invited"
        declare_from_chat(user, phrase)
        return "declared"
    except DomainError as error:
        log.info("chat event refused", extra={"code": error.code, "chat_ts": post.ts})
        return "refused"
