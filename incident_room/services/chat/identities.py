"""Who a chat user is here: a chat id linked once to an account from a signed link that the
unlinked user gets in a private reply and opens logged in."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select

from ...errors import DomainError
from ...extensions import db
from ...models import ChatIdentity, User
from ...unit_of_work import commits_itself
from .policy import LINK_MAX_AGE

LINK_SALT = "incident-room.chat-link"


@dataclass(frozen=True)
class ChatUser:
    """A person in chat: the chat (slack or mattermost), its workspace id, their id there
    and the name chat shows for them."""

    sender: str
    workspace: str
    user_id: str
    name: str = ""

    @property
    def key(self) -> str:
        """The workspace as identities store it: one chat's ids never meet another's."""
        return f"{self.sender}:{self.workspace}"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=LINK_SALT)


def link_token(person: ChatUser) -> str:
    return _serializer().dumps([person.sender, person.workspace, person.user_id, person.name])


def person_of_token(token: str) -> ChatUser:
    """The chat user a link was made for; refused when forged or older than LINK_MAX_AGE."""
    try:
        sender, workspace, user_id, name = _serializer().loads(
            token, max_age=int(LINK_MAX_AGE.total_seconds())
        )
    except (BadSignature, ValueError, TypeError):
        raise DomainError(
            "not_found", "This link is not valid any more: ask chat for a new one."
        ) from None
    return ChatUser(str(sender), str(workspace), str(user_id), str(name))


def linked_account(person: ChatUser) -> User | None:
    """The account `person` acts as; none when unlinked or the account is disabled."""
    return db.session.scalar(
        select(User)
        .join(ChatIdentity, ChatIdentity.user_id == User.id)
        .where(
            ChatIdentity.workspace == person.key,
            ChatIdentity.chat_user_id == person.user_id,
            User.disabled_at.is_(None),
        )
    )


@commits_itself
def link_identity(user: User, person: ChatUser) -> None:
    """From now on `person` acts in chat as `user` (a link opened again moves it)."""
    identity = db.session.scalar(
        select(ChatIdentity).where(
            ChatIdentity.workspace == person.key, ChatIdentity.chat_user_id == person.user_id
        )
    ) or ChatIdentity(workspace=person.key, chat_user_id=person.user_id)
    identity.user_id = user.id
    db.session.add(identity)
    db.session.commit()
