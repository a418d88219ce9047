"""The schedule's next weeks as geometry for a server-drawn SVG: a row per layer, the
overrides, and who is on call in the end."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from .rotation import Schedule, Shift, segments

WIDTH = 1000
LEFT = 130
ROW = 34
TOP = 26
PALETTE = 8  # CSS classes person-0 .. person-7


@dataclass(frozen=True)
class Block:
    x: float
    width: float
    label: str
    title: str  # "Fox: 2026-03-30 07:00 UTC - 2026-04-06 07:00 UTC"
    css_class: str


@dataclass(frozen=True)
class Row:
    label: str
    y: float
    blocks: list[Block]


@dataclass(frozen=True)
class Tick:
    x: float
    text: str
    major: bool


@dataclass(frozen=True)
class Timeline:
    title: str
    width: int
    height: int
    left: int
    rows: list[Row]
    ticks: list[Tick]
    now_x: float


def utc_text(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _x(at: datetime, start: datetime, end: datetime) -> float:
    share = (at - start) / (end - start)
    return round(LEFT + share * (WIDTH - LEFT - 10), 1)


def _blocks(
    shifts: list[Shift], names: Mapping[int, str], colours: Mapping[int, int], start, end
) -> list[Block]:
    blocks = []
    for shift in shifts:
        if shift.user_id is None:
            continue
        name = names.get(shift.user_id, "someone")
        x0, x1 = _x(shift.starts_at, start, end), _x(shift.ends_at, start, end)
        blocks.append(
            Block(
                x0,
                max(x1 - x0, 1),
                name if x1 - x0 > 8 * len(name) else "",
                f"{name}: {utc_text(shift.starts_at)} - {utc_text(shift.ends_at)}",
                f"person-{colours.get(shift.user_id, 0) % PALETTE}",
            )
        )
    return blocks


def timeline(
    schedule: Schedule, names: Mapping[int, str], start: datetime, weeks: int, now: datetime
) -> Timeline:
    end = start + timedelta(weeks=weeks)
    people = sorted(
        {p for layer in schedule.layers for p in layer.people}
        | {o.user_id for o in schedule.overrides}
    )
    colours = {person: index for index, person in enumerate(people)}
    rows: list[tuple[str, list[Shift]]] = [
        (layer.name, segments(Schedule((layer,)), start, end)) for layer in schedule.layers
    ]
    if schedule.overrides:
        rows.append(("Overrides", segments(Schedule((), schedule.overrides), start, end)))
    rows.append(("On call", segments(schedule, start, end)))
    drawn = [
        Row(label, TOP + index * ROW, _blocks(shifts, names, colours, start, end))
        for index, (label, shifts) in enumerate(rows)
    ]
    ticks = []
    day = start.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    while day <= end:
        if day >= start:
            ticks.append(Tick(_x(day, start, end), day.strftime("%a %d %b"), day.weekday() == 0))
        day += timedelta(days=1)
    return Timeline(
        f"Who is on call from {utc_text(start)} for {weeks} weeks",
        WIDTH,
        TOP + len(rows) * ROW + 6,
        LEFT,
        drawn,
        ticks,
        _x(now, start, end) if start <= now <= end else -1,
    )
