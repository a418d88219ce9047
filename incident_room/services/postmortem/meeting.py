"""The post-mortem meeting (day 2-3): an iCalendar invite to download, or to send by e-mail
to everyone who took part in the incident."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from icalendar import Calendar, Event, vCalAddress
from sqlalchemy import select

from ...clock import now
from ...errors import invalid
from ...extensions import db
from ...models import Incident, User
from ...policy import MEETING_LENGTH, MEETING_OFFERED_AFTER
from ...unit_of_work import EventType
from ..links import public_url
from ..mail.messages import mail_enabled, queue_mail
from ..participants import participant_ids
from .workspace import ensure_may_publish, record_postmortem_event, require_postmortem

PRODID = "-//Incident Room//Post-mortem meeting//EN"


def meeting_start(incident: Incident) -> datetime:
    """Day 2 after the all-clear (the playbook's day 2-3); before it, day 2 from now."""
    return (incident.resolved_at or now()) + MEETING_OFFERED_AFTER


def _invitees(incident: Incident) -> list[User]:
    ids = participant_ids(incident.id)
    return list(db.session.scalars(select(User).where(User.id.in_(ids)).order_by(User.id)))


def meeting_invite(incident: Incident, method: str = "PUBLISH") -> str:
    """The meeting as an iCalendar document (UTC times), organised by the post-mortem owner."""
    start = meeting_start(incident)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = Event()
    event.add("uid", f"postmortem-meeting-{incident.id}@incident-room")
    event.add("dtstamp", now())
    event.add("dtstart", start)
    event.add("dtend", start + MEETING_LENGTH)
    event.add("status", "CONFIRMED" if incident.resolved_at else "TENTATIVE")
    event.add("summary", f"Post-mortem meeting: {incident.reference} {incident.title}")
    event.add(
        "description",
        f"Facilitated, blameless review of {incident.reference}.\n"
        f"Post-mortem: {public_url(f'/incidents/{incident.id}/postmortem')}",
    )
    owner = incident.postmortem_owner
    if owner is not None and owner.email:
        organizer = vCalAddress(f"mailto:{owner.email}")
        organizer.params["cn"] = owner.display_name
        event.add("organizer", organizer)
    for person in _invitees(incident):
        if person.email:
            attendee = vCalAddress(f"mailto:{person.email}")
            attendee.params["cn"] = person.display_name
            event.add("attendee", attendee)
    calendar.add_component(event)
    return calendar.to_ical().decode()


def send_meeting_invite(incident: Incident, actor: User) -> dict[str, Any]:
    """The owner (or the IC) sends the invite to every participant with an e-mail address."""
    ensure_may_publish(incident, actor)
    postmortem = require_postmortem(incident)
    if not mail_enabled():
        raise invalid("mail", "This instance sends no e-mail: download the invite instead.")
    invite = meeting_invite(incident, method="REQUEST")
    invitees = [person for person in _invitees(incident) if person.email]
    if not invitees:
        raise invalid("mail", "Nobody who took part has an e-mail address set.")
    for person in invitees:
        queue_mail(
            person.email,
            f"Post-mortem meeting: {incident.reference} {incident.title}",
            f"You are invited to the post-mortem meeting of {incident.reference}.\n"
            f"{public_url(f'/incidents/{incident.id}/postmortem')}\n",
            purpose="postmortem_meeting",
            calendar=invite,
        )
    data = {"invited": [person.display_name for person in invitees]}
    record_postmortem_event(incident, postmortem, EventType.POSTMORTEM_MEETING_INVITED, actor, data)
    return data
