"""The admins' chat settings: one row, secrets kept but never shown again after saving."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ...clock import now
from ...errors import invalid
from ...extensions import db
from ...models import ChatSettings, User
from ...unit_of_work import commits_itself
from .. import outbound
from ..access import require_admin

SECRET_FIELDS = ("signing_secret", "bot_token", "mattermost_token")
MAX_SECRET_LENGTH = 200


@dataclass(frozen=True)
class ChatSettingsForm:
    """What the admin sent; an empty secret keeps the one saved before."""

    channel: str
    api_url: str
    signing_secret: str = ""
    bot_token: str = ""
    mattermost_token: str = ""


def chat_settings() -> ChatSettings | None:
    return db.session.scalar(select(ChatSettings).order_by(ChatSettings.id).limit(1))


def posts_to_chat(settings: ChatSettings | None) -> bool:
    """Set up enough to post: a bot token and a channel."""
    return settings is not None and bool(settings.bot_token and settings.channel)


def _checked_secret(form: ChatSettingsForm, name: str) -> str:
    value = getattr(form, name).strip()
    if len(value) > MAX_SECRET_LENGTH or any(c.isspace() for c in value):
        raise invalid(name, "Secrets and tokens have no spaces and are at most 200 characters.")
    return value


@commits_itself
def save_chat_settings(actor: User, form: ChatSettingsForm) -> ChatSettings:
    require_admin(actor)
    outbound.check_url(form.api_url.strip(), "api_url")
    channel = form.channel.strip()
    if not channel or len(channel) > 100 or any(c.isspace() for c in channel):
        raise invalid("channel", "Give the channel's id (e.g. C0123ABCD), no spaces.")
    secrets = {name: _checked_secret(form, name) for name in SECRET_FIELDS}
    settings = chat_settings() or ChatSettings()
    settings.channel, settings.api_url = channel, form.api_url.strip()
    for name, value in secrets.items():
        if value:
            setattr(settings, name, value)
        elif getattr(settings, name) is None:
            setattr(settings, name, "")
    settings.updated_at = now()
    db.session.add(settings)
    db.session.commit()
    return settings
