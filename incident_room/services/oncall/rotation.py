"""Who is on call at an instant: one pure function over a schedule's layers and overrides.

Rules (docs/protocol.md, On call):
- A layer rotates weekly over its ordered people: the k-th hand-off is at the layer's local
  weekday and wall time in its zone, k weeks after the first hand-off on or after
  `starts_on`; week k belongs to person k mod n. Hand-offs stay at local wall time across
  DST changes; a wall time that does not exist (spring forward) or exists twice (fall back)
  is taken with fold=0, i.e. at the offset in force before the change.
- A region layer (follow-the-sun) is on call only inside its daily business hours, in its
  zone, extended by the playbook's buffer at the end.
- Layers later in the list take precedence where they are on call; overrides take
  precedence over every layer.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from ...policy import FOLLOW_THE_SUN_BUFFER

WEEK = timedelta(weeks=1)
DAY = timedelta(days=1)
INSTANT = timedelta(microseconds=1)


@dataclass(frozen=True)
class Region:
    """Business hours in the layer's zone (end before start: they cross midnight)."""

    start: time
    end: time

    def length(self) -> timedelta:
        start = timedelta(hours=self.start.hour, minutes=self.start.minute)
        end = timedelta(hours=self.end.hour, minutes=self.end.minute)
        hours = (end - start) % DAY or DAY
        return min(hours + FOLLOW_THE_SUN_BUFFER, DAY)


@dataclass(frozen=True)
class Layer:
    name: str
    zone: str
    handoff_weekday: int  # 0 = Monday
    handoff_time: time
    starts_on: date
    people: tuple[int, ...]  # user ids, in rotation order
    region: Region | None = None

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.zone)

    def first_handoff_date(self) -> date:
        return self.starts_on + timedelta(
            days=(self.handoff_weekday - self.starts_on.weekday()) % 7
        )

    def handoff(self, week: int) -> datetime:
        """The UTC instant week `week` begins (week 0: the first hand-off)."""
        day = self.first_handoff_date() + timedelta(weeks=week)
        return datetime.combine(day, self.handoff_time, tzinfo=self.tz).astimezone(UTC)

    def week_at(self, at: datetime) -> int | None:
        """The rotation week `at` falls in, or None before the first hand-off."""
        wall = at.astimezone(self.tz).replace(tzinfo=None)
        first = datetime.combine(self.first_handoff_date(), self.handoff_time)
        week = math.floor((wall - first) / WEEK)
        # Wall-time arithmetic is off by one near an ambiguous or missing hour: settle it on
        # the real instants.
        while self.handoff(week + 1) <= at:
            week += 1
        while self.handoff(week) > at:
            week -= 1
        return week if week >= 0 else None

    def region_windows(self, start: datetime, end: datetime) -> Iterator[tuple[datetime, datetime]]:
        """The region's on-call windows (UTC) that touch [start, end)."""
        assert self.region is not None
        day = start.astimezone(self.tz).date() - DAY
        last = end.astimezone(self.tz).date()
        while day <= last:
            wall = datetime.combine(day, self.region.start)
            opens = wall.replace(tzinfo=self.tz).astimezone(UTC)
            closes = (wall + self.region.length()).replace(tzinfo=self.tz).astimezone(UTC)
            if closes > start and opens < end:
                yield opens, closes
            day += DAY

    def covers(self, at: datetime) -> bool:
        if self.region is None:
            return True
        return any(opens <= at < closes for opens, closes in self.region_windows(at, at + INSTANT))

    def person_at(self, at: datetime) -> int | None:
        week = self.week_at(at)
        if week is None or not self.people or not self.covers(at):
            return None
        return self.people[week % len(self.people)]


@dataclass(frozen=True)
class Override:
    """`user_id` covers [starts_at, ends_at) (for `replaces`, when named)."""

    user_id: int
    starts_at: datetime
    ends_at: datetime
    replaces: int | None = None


@dataclass(frozen=True)
class Schedule:
    layers: tuple[Layer, ...]
    overrides: tuple[Override, ...] = ()


@dataclass(frozen=True)
class OnCall:
    """Who is on call, and from which layer (its index) or override."""

    user_id: int
    layer: int | None = None
    override: Override | None = field(default=None)

    @property
    def source(self) -> str:
        return "override" if self.override is not None else f"layer-{self.layer}"


@dataclass(frozen=True)
class Shift:
    """A stretch of time with one answer to `on_call_at` (user_id None: nobody)."""

    starts_at: datetime
    ends_at: datetime
    on_call: OnCall | None

    @property
    def user_id(self) -> int | None:
        return self.on_call.user_id if self.on_call else None


def on_call_at(schedule: Schedule, at: datetime) -> OnCall | None:
    """Who is on call at the instant `at` (timezone-aware), or None when nobody is."""
    if at.tzinfo is None:
        raise ValueError("on_call_at needs a timezone-aware instant")
    at = at.astimezone(UTC)
    for override in reversed(schedule.overrides):
        if override.starts_at <= at < override.ends_at:
            return OnCall(override.user_id, override=override)
    for index in range(len(schedule.layers) - 1, -1, -1):
        person = schedule.layers[index].person_at(at)
        if person is not None:
            return OnCall(person, layer=index)
    return None


def _changes(schedule: Schedule, start: datetime, end: datetime) -> set[datetime]:
    """Every instant in (start, end) at which the answer may change."""
    instants: set[datetime] = set()
    for layer in schedule.layers:
        week = max(layer.week_at(start) or 0, 0)
        while (handoff := layer.handoff(week)) < end:
            instants.add(handoff)
            week += 1
        if layer.region is not None:
            for opens, closes in layer.region_windows(start, end):
                instants.update((opens, closes))
    for override in schedule.overrides:
        instants.update((override.starts_at, override.ends_at))
    return {instant for instant in instants if start < instant < end}


def segments(schedule: Schedule, start: datetime, end: datetime) -> list[Shift]:
    """[start, end) cut where the on-call person changes, gaps included (on_call None).
    Built from `on_call_at` at each possible change, so the two never disagree."""
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    cuts = [start, *sorted(_changes(schedule, start, end)), end]
    result: list[Shift] = []
    for opens, closes in pairwise(cuts):
        answer = on_call_at(schedule, opens)
        if result and result[-1].on_call == answer:
            result[-1] = Shift(result[-1].starts_at, closes, answer)
        else:
            result.append(Shift(opens, closes, answer))
    return result


def shifts(schedule: Schedule, start: datetime, end: datetime) -> list[Shift]:
    """The covered stretches of [start, end), one per person and source in a row."""
    return [shift for shift in segments(schedule, start, end) if shift.on_call is not None]


def gaps(schedule: Schedule, start: datetime, end: datetime) -> list[Shift]:
    return [shift for shift in segments(schedule, start, end) if shift.on_call is None]


def shifts_of(schedule: Schedule, user_id: int, start: datetime, end: datetime) -> list[Shift]:
    """One person's shifts, a shift continuing across sources merged into one."""
    merged: list[Shift] = []
    for shift in shifts(schedule, start, end):
        if shift.user_id != user_id:
            continue
        if merged and merged[-1].ends_at == shift.starts_at:
            merged[-1] = Shift(merged[-1].starts_at, shift.ends_at, merged[-1].on_call)
        else:
            merged.append(shift)
    return merged
