"""Chat (Slack, Mattermost): the slash command and the Events API (signed, or refused with
401), the page where a chat user links their account, and the admins' chat settings."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs

from flask import Blueprint, current_app, flash, g, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from ..errors import DomainError
from ..extensions import csrf, limiter
from ..models import ChatSettings
from ..services.chat.commands import run_command
from ..services.chat.identities import ChatUser, link_identity, person_of_token
from ..services.chat.inbound import ChatPost, receive_post
from ..services.chat.policy import MAX_BODY_BYTES
from ..services.chat.sender import recent_messages
from ..services.chat.settings import (
    SECRET_FIELDS,
    ChatSettingsForm,
    chat_settings,
    save_chat_settings,
)
from ..services.chat.verify import Presented, verified_sender
from ..services.links import public_url
from .guards import admin_required
from .limits import person

bp = Blueprint("chat", __name__)
POST_EVENTS = ("message", "app_mention")


def _raw() -> bytes:
    if (request.content_length or 0) > MAX_BODY_BYTES:
        raise DomainError("too_large", "The body is too large.")
    return request.get_data(cache=True)[: MAX_BODY_BYTES + 1]


def _presented() -> Presented:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return Presented(
        request.headers.get("X-Slack-Request-Timestamp"),
        request.headers.get("X-Slack-Signature"),
        token.strip() if scheme == "Token" else _text(_fields().get("token")),
    )


def _fields() -> dict[str, Any]:
    """The body's fields: the slash command's form, or the Events API's JSON."""
    if "chat_fields" not in g:
        raw = _raw()
        try:
            if request.mimetype == "application/json":
                parsed = json.loads(raw)
                g.chat_fields = parsed if isinstance(parsed, dict) else {}
            else:
                form = parse_qs(raw.decode(), keep_blank_values=True)
                g.chat_fields = {name: values[0] for name, values in form.items()}
        except (ValueError, UnicodeDecodeError):
            g.chat_fields = {}
    return g.chat_fields


def _verified() -> tuple[str, ChatSettings]:
    """Which chat signed this request (once per request: the rate limits ask first)."""
    if "chat_verified" not in g:
        try:
            settings = chat_settings()
            g.chat_verified = (verified_sender(settings, _presented(), _raw()), settings)
        except DomainError as error:
            g.chat_verified = error
    if isinstance(g.chat_verified, DomainError):
        raise g.chat_verified
    return g.chat_verified


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _person(sender: str) -> ChatUser:
    fields = _fields()
    event = fields.get("event") if isinstance(fields.get("event"), dict) else {}
    return ChatUser(
        sender,
        _text(fields.get("team_id"))[:60],
        _text(fields.get("user_id") or event.get("user"))[:64],
        _text(fields.get("user_name"))[:100],
    )


def _workspace_key() -> str:
    """Signed requests count against their workspace; the rest against their address."""
    try:
        sender, _ = _verified()
    except DomainError:
        return person()
    return f"chat:{_person(sender).key}"


def _user_key() -> str:
    try:
        sender, _ = _verified()
    except DomainError:
        return person()
    chat_user = _person(sender)
    return f"chat:{chat_user.key}:{chat_user.user_id}"


workspace_limit = limiter.limit(
    lambda: current_app.config["RATE_LIMIT_CHAT_WORKSPACE"], key_func=_workspace_key
)
user_limit = limiter.limit(lambda: current_app.config["RATE_LIMIT_CHAT_USER"], key_func=_user_key)


def _refusal(error: DomainError) -> ResponseReturnValue:
    return {"error": error.to_dict()}, error.http_status


@bp.post("/integrations/slack/commands")
@csrf.exempt
@workspace_limit
@user_limit
def command() -> ResponseReturnValue:
    """Slack's (and Mattermost's) slash-command form: answered in the channel or privately."""
    try:
        sender, _ = _verified()
        reply = run_command(_person(sender), _text(_fields().get("text"))[:1000])
    except DomainError as error:
        return _refusal(error)
    return {"response_type": "in_channel" if reply.in_channel else "ephemeral", "text": reply.text}


def _post(sender: str, event: dict[str, Any]) -> ChatPost | None:
    """A person's message event; None for the rest (edits, bots - our own posts included)."""
    if event.get("type") not in POST_EVENTS or event.get("subtype") or event.get("bot_id"):
        return None
    thread_ts = _text(event.get("thread_ts")) or None
    return ChatPost(
        _person(sender),
        event["type"],
        _text(event.get("channel"))[:100],
        _text(event.get("text"))[:10_000],
        _text(event.get("ts"))[:32],
        thread_ts[:32] if thread_ts else None,
    )


@bp.post("/integrations/slack/events")
@csrf.exempt
@workspace_limit
@user_limit
def events() -> ResponseReturnValue:
    """The Events API: the URL check, then message and app_mention events."""
    try:
        sender, settings = _verified()
    except DomainError as error:
        return _refusal(error)
    fields = _fields()
    if fields.get("type") == "url_verification":
        return {"challenge": _text(fields.get("challenge"))}
    event = fields.get("event")
    post = _post(sender, event) if isinstance(event, dict) else None
    # Slack resends what it thinks was not received in time; the first delivery acted.
    if post is None or request.headers.get("X-Slack-Retry-Num"):
        return {"ok": True, "outcome": "ignored"}
    return {"ok": True, "outcome": receive_post(settings, post)}


@bp.route("/integrations/chat/link/<invitation>", methods=["GET", "POST"])
@login_required
def link(invitation: str) -> ResponseReturnValue:
    """Confirm, logged in, that this chat user is you."""
    try:
        chat_user = person_of_token(invitation)
    except DomainError as error:
        return render_template("error.html", message=error.message), error.http_status
    linked = False
    if request.method == "POST":
        link_identity(current_user._get_current_object(), chat_user)
        linked = True
    return render_template("chat/link.html", chat_user=chat_user, linked=linked)


def _settings_page(status: int = 200) -> ResponseReturnValue:
    settings = chat_settings()
    saved = {name: bool(settings and getattr(settings, name)) for name in SECRET_FIELDS}
    return (
        render_template(
            "settings/chat.html",
            settings=settings,
            saved=saved,
            messages=recent_messages(),
            form=request.form,
            commands_url=public_url(url_for("chat.command")),
            events_url=public_url(url_for("chat.events")),
        ),
        status,
    )


@bp.get("/settings/chat")
@admin_required
def settings_page() -> ResponseReturnValue:
    return _settings_page()


@bp.post("/settings/chat")
@admin_required
def settings_save() -> ResponseReturnValue:
    form = request.form
    try:
        save_chat_settings(
            current_user._get_current_object(),
            ChatSettingsForm(
                channel=form.get("channel", "")[:200],
                api_url=form.get("api_url", "")[:500],
                **{name: form.get(name, "")[:1000] for name in SECRET_FIELDS},
            ),
        )
    except DomainError as error:
        flash(error.message, "error")
        return _settings_page(400)
    flash("Chat settings saved. Secrets and tokens are kept and never shown again.", "info")
    return _settings_page()
