"""Each person's private iCalendar feed of their shifts, behind a secret URL (only the
secret's SHA-256 is stored; making a new one ends the old link)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from icalendar import Calendar, Event
from sqlalchemy import select

from ...extensions import db
from ...models import CalendarFeed, LayerPerson, OnCallOverride, OnCallSchedule, RotationLayer, User
from ...policy import ONCALL_FEED_AHEAD, ONCALL_FEED_PAST
from ...unit_of_work import commits_itself
from .rotation import WEEK, shifts_of
from .schedules import spec_of

PRODID = "-//Incident Room//On-call shifts//EN"


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@commits_itself
def new_feed_secret(user: User) -> str:
    """A fresh secret for `user`'s feed (shown once); any earlier link stops working."""
    secret = secrets.token_urlsafe(32)
    feed = db.session.get(CalendarFeed, user.id)
    if feed is None:
        feed = CalendarFeed(user_id=user.id)
        db.session.add(feed)
    feed.secret_hash = _digest(secret)
    db.session.commit()
    return secret


def has_feed(user: User) -> bool:
    return db.session.get(CalendarFeed, user.id) is not None


def user_for_feed(secret: str) -> User | None:
    if not secret or len(secret) > 100:
        return None
    feed = db.session.scalar(
        select(CalendarFeed).where(CalendarFeed.secret_hash == _digest(secret))
    )
    return db.session.get(User, feed.user_id) if feed else None


def schedules_of(user: User) -> list[OnCallSchedule]:
    """The schedules `user` is in (a layer's people or an override)."""
    in_layer = (
        select(RotationLayer.schedule_id).join(LayerPerson).where(LayerPerson.user_id == user.id)
    )
    in_override = select(OnCallOverride.schedule_id).where(OnCallOverride.user_id == user.id)
    return list(
        db.session.scalars(
            select(OnCallSchedule)
            .where(OnCallSchedule.id.in_(in_layer.union(in_override)))
            .order_by(OnCallSchedule.id)
        )
    )


def calendar_for(user: User, at: datetime, host: str) -> bytes:
    """`user`'s shifts around `at` as an iCalendar document (times in UTC)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"On call: {user.display_name}")
    calendar.add("x-published-ttl", "PT1H")  # how often subscribers should fetch it again
    for schedule in schedules_of(user):
        spec = spec_of(schedule)
        start, end = at - ONCALL_FEED_PAST, at + ONCALL_FEED_AHEAD
        # A week more, so that the last shift is whole rather than cut at the window's end.
        for shift in shifts_of(spec, user.id, start, end + WEEK):
            if shift.starts_at >= end:
                continue
            event = Event()
            start = shift.starts_at.strftime("%Y%m%dT%H%M%SZ")
            event.add("uid", f"oncall-{schedule.id}-{user.id}-{start}@{host}")
            event.add("dtstamp", at)
            event.add("dtstart", shift.starts_at)
            event.add("dtend", shift.ends_at)
            event.add("summary", f"On call: {schedule.name} ({schedule.team.name})")
            event.add("transp", "TRANSPARENT")
            calendar.add_component(event)
    return calendar.to_ical()
