"""Proposed layers and overrides from form fields, checked: bad input is `invalid` naming the
field, so nothing is saved."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from sqlalchemy import select

from ...errors import invalid
from ...extensions import db
from ...models import User
from .rotation import Layer, Override, Region

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MAX_LAYERS = 10
MAX_PEOPLE = 50
MAX_NAME = 100
_HHMM = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")


@dataclass(frozen=True)
class LayerDraft:
    """A layer as proposed: its rotation (user ids) and the people's names for messages."""

    layer: Layer
    names: Mapping[int, str]


def check_zone(value: str, field: str) -> str:
    value = value.strip()
    if not value or len(value) > 64 or value not in _zones():
        raise invalid(
            field, f"Unknown time zone {value[:64]!r}: give an IANA name like Europe/Berlin."
        )
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise invalid(field, f"Unknown time zone {value!r}.") from error
    return value


@functools.cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones() | {"UTC"})


def zone_names() -> list[str]:
    return sorted(_zones())


def check_time(value: str, field: str) -> time:
    match = _HHMM.fullmatch(value.strip())
    if match is None:
        raise invalid(field, "Give a time as HH:MM (24-hour).")
    return time(int(match[1]), int(match[2]))


def check_date(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError as error:
        raise invalid(field, "Give a date as YYYY-MM-DD.") from error


def _people(value: str, field: str) -> tuple[tuple[int, ...], dict[int, str]]:
    usernames = [name for name in re.split(r"[\s,]+", value.strip().lower()) if name]
    if not usernames:
        raise invalid(field, "Name at least one person (usernames, one per line, in order).")
    if len(usernames) > MAX_PEOPLE:
        raise invalid(field, f"At most {MAX_PEOPLE} people in a rotation.")
    users = {
        user.username: user
        for user in db.session.scalars(select(User).where(User.username.in_(usernames)))
    }
    unknown = [name for name in usernames if name not in users]
    if unknown:
        raise invalid(field, f"No such person: {', '.join(sorted(set(unknown)))}.")
    return (
        tuple(users[name].id for name in usernames),
        {user.id: user.display_name for user in users.values()},
    )


def layer_from(form: Mapping[str, str], index: int) -> LayerDraft | None:
    """The layer in fields `layers-<index>-...`, or None when it is removed or left blank."""
    prefix = f"layers-{index}-"

    def get(key: str) -> str:
        return str(form.get(prefix + key, ""))[:2000]

    if get("remove") or not get("people").strip():
        return None
    name = get("name").strip() or f"Layer {index + 1}"
    if len(name) > MAX_NAME:
        raise invalid(prefix + "name", f"A layer's name is at most {MAX_NAME} characters.")
    weekday = get("weekday").strip()
    if weekday not in {str(day) for day in range(7)}:
        raise invalid(prefix + "weekday", "Pick the hand-off weekday.")
    people, names = _people(get("people"), prefix + "people")
    region = None
    if get("region"):
        region = Region(
            check_time(get("region_start"), prefix + "region_start"),
            check_time(get("region_end"), prefix + "region_end"),
        )
        if region.start == region.end:
            raise invalid(prefix + "region_end", "Business hours end after they start.")
    layer = Layer(
        name=name,
        zone=check_zone(get("zone"), prefix + "zone"),
        handoff_weekday=int(weekday),
        handoff_time=check_time(get("time"), prefix + "time"),
        starts_on=check_date(get("starts_on"), prefix + "starts_on"),
        people=people,
        region=region,
    )
    return LayerDraft(layer, names)


def layers_from(form: Mapping[str, str]) -> list[LayerDraft]:
    """Every layer the form proposes, bottom first; at least one."""
    raw = str(form.get("layer_count", "0"))
    count = int(raw) if raw.isdigit() else 0
    drafts = [
        draft
        for index in range(min(count, MAX_LAYERS + 1))
        if (draft := layer_from(form, index)) is not None
    ]
    if not drafts:
        raise invalid("layers", "A schedule needs at least one layer with people.")
    if len(drafts) > MAX_LAYERS:
        raise invalid("layers", f"At most {MAX_LAYERS} layers.")
    return drafts


def _instant(value: str, zone: ZoneInfo, field: str) -> datetime:
    try:
        wall = datetime.fromisoformat(value.strip())
    except ValueError as error:
        raise invalid(field, "Give a date and time as YYYY-MM-DDTHH:MM.") from error
    if wall.tzinfo is not None:
        return wall.astimezone(UTC)
    return wall.replace(tzinfo=zone).astimezone(UTC)


def override_from(form: Mapping[str, str]) -> Override:
    """An override: who covers, for whom (optional), from and until (in the given zone)."""
    zone = ZoneInfo(check_zone(str(form.get("zone", "UTC")) or "UTC", "zone"))
    starts_at = _instant(str(form.get("starts_at", ""))[:40], zone, "starts_at")
    ends_at = _instant(str(form.get("ends_at", ""))[:40], zone, "ends_at")
    if ends_at <= starts_at:
        raise invalid("ends_at", "An override ends after it starts.")
    (user_id,), _ = _person(str(form.get("user", "")), "user")
    replaces = None
    if str(form.get("replaces", "")).strip():
        (replaces,), _ = _person(str(form.get("replaces", "")), "replaces")
    return Override(user_id, starts_at, ends_at, replaces)


def _person(value: str, field: str) -> tuple[tuple[int, ...], dict[int, str]]:
    people, names = _people(value[:64], field)
    if len(people) != 1:
        raise invalid(field, "Name one person.")
    return people, names
