"""`/incident ...` from chat: declare, status, ack, all-clear, help. Each answers with a
`Reply`; a refusal is a private reply saying why (chat shows nothing for an error status)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import url_for
from sqlalchemy import select

from ...errors import DomainError, invalid, not_found
from ...extensions import db
from ...models import Incident, RoleAssignment, User
from ...policy import ACTIVE_STATUSES, STATUS_LABELS
from ...unit_of_work import run_change
from ..access import visible_incidents
from ..declare import SEVERITY_PREFIX, declare_incident, parse_quick_syntax
from ..lifecycle import call_all_clear
from ..links import public_url
from ..paging.pages import acknowledge, open_pages_for
from .identities import ChatUser, link_token, linked_account
from .policy import HELP, NO_OPEN_PAGE, STATUS_LIST_LIMIT
from .thread import escaped, room_url

REFERENCE = re.compile(r"^(?:INC-?)?(?P<number>\d{1,9})$", re.IGNORECASE)


@dataclass(frozen=True)
class Reply:
    """What chat shows: to everyone in the channel, or only to the caller."""

    text: str
    in_channel: bool = False


def link_invitation(person: ChatUser) -> Reply:
    url = public_url(url_for("chat.link", invitation=link_token(person)))
    return Reply(
        "Your chat account is not linked to Incident Room yet. Open this link while logged "
        f"in (it works for an hour), confirm, then try again: {url}"
    )


def declare_from_chat(user: User, phrase: str) -> Reply:
    """`SEV-2: checkout 502s` (the quick syntax without its `@incident`), declared by
    `user`, announced in the channel."""
    incident = declare_incident(user, parse_quick_syntax(f"@incident {phrase}"))
    severity = incident.severity or "unclassified"
    text = (
        f"{user.display_name} declared {incident.reference} {severity}: {incident.title}\n"
        f"Room: {room_url(incident)}"
    )
    return Reply(text, in_channel=True)


def _status(user: User) -> Reply:
    active = list(
        db.session.scalars(
            visible_incidents(user)
            .where(
                Incident.status.in_(ACTIVE_STATUSES),
                Incident.private.is_(False),
                Incident.drill.is_(False),
            )
            .order_by(Incident.declared_at.desc())
            .limit(STATUS_LIST_LIMIT)
        )
    )
    if not active:
        return Reply("No active incidents.")
    lines = [
        f"{incident.reference} {incident.severity or 'unclassified'} "
        f"{STATUS_LABELS[incident.status]}: {incident.title} {room_url(incident)}"
        for incident in active
    ]
    return Reply("\n".join(lines))


def _commanded_incident(user: User, named: str) -> Incident:
    """The incident named (INC-3, 3), or the one active incident `user` commands."""
    if named:
        if not (match := REFERENCE.match(named)):
            raise invalid("incident", "Name the incident like INC-3.")
        incident = db.session.scalar(
            select(Incident).where(Incident.number == int(match["number"]))
        )
        if incident is None:
            raise not_found()
        return incident
    commanded = list(
        db.session.scalars(
            select(Incident)
            .join(RoleAssignment, RoleAssignment.incident_id == Incident.id)
            .where(
                RoleAssignment.user_id == user.id,
                RoleAssignment.role == "incident_commander",
                RoleAssignment.ended_at.is_(None),
                Incident.status.in_(ACTIVE_STATUSES),
            )
        )
    )
    if len(commanded) != 1:
        raise invalid("incident", "Say which incident: /incident all-clear INC-3.")
    return commanded[0]


def _all_clear(user: User, named: str) -> Reply:
    """The room's all-clear: a SEV1/SEV2 then waits for a second participant's confirmation."""
    incident_id = _commanded_incident(user, named).id
    run_change(incident_id, user, lambda incident: call_all_clear(incident, user, owner=None))
    incident = db.session.get(Incident, incident_id)
    said = f"{user.display_name} called all-clear on {incident.reference}"
    if incident.status != "resolved":
        said += ": waiting for a second participant to confirm recovery in the room"
    return Reply(f"{said}.", in_channel=True)


def _ack(user: User) -> Reply:
    """Acknowledge every page still waiting for the caller."""
    waiting = open_pages_for(user)
    if not waiting:
        return Reply(NO_OPEN_PAGE)
    for page in waiting:
        run_change(page["incident_id"], user, lambda inc, p=page["id"]: acknowledge(inc, user, p))
    acked = ", ".join(f"{page['reference']} ({page['service']})" for page in waiting)
    return Reply(f"{user.display_name} acknowledged {acked}.", in_channel=True)


def run_command(person: ChatUser, text: str) -> Reply:
    """Act on `/incident <text>` from `person`; the reply escaped for chat (names and
    titles are shown as typed, never as mentions or links)."""
    reply = _answer(person, text)
    return Reply(escaped(reply.text), reply.in_channel)


def _answer(person: ChatUser, text: str) -> Reply:
    word, _, rest = text.strip().partition(" ")
    word = word.lower()
    if word in ("", "help"):
        return Reply(HELP)
    user = linked_account(person)
    if user is None:
        return link_invitation(person)
    try:
        if word == "status":
            return _status(user)
        if word == "ack":
            return _ack(user)
        if word == "all-clear":
            return _all_clear(user, rest.strip())
        if SEVERITY_PREFIX.match(text) or text.lstrip().startswith(":"):
            return declare_from_chat(user, text)
        return Reply(
            f"Unknown command {word!r}. To declare: /incident SEV-2: what is broken\n{HELP}"
        )
    except DomainError as error:
        return Reply(error.message)
