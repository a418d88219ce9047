"""Who is on call when: hand-computed cases across DST changes, layers, regions, overrides."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from incident_room.services.oncall.rotation import (
    Layer,
    Override,
    Region,
    Schedule,
    gaps,
    on_call_at,
    shifts,
    shifts_of,
)

A, B, C, D, E = 1, 2, 3, 4, 5
FIVE = (A, B, C, D, E)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def who(schedule: Schedule, at: datetime) -> int | None:
    answer = on_call_at(schedule, at)
    return answer.user_id if answer else None


def weekly(zone: str, weekday: int, at: time, starts_on: date, people=FIVE, **kw) -> Layer:
    return Layer("Primary", zone, weekday, at, starts_on, tuple(people), **kw)


# Monday 09:00 in Berlin from Monday 2026-03-16: week 0 = A from 08:00 UTC (CET, +1).
# Berlin springs forward on Sunday 2026-03-29 and falls back on Sunday 2026-10-25.
BERLIN = Schedule((weekly("Europe/Berlin", 0, time(9), date(2026, 3, 16)),))


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (utc(2026, 3, 16, 7, 59), None),  # before the first hand-off
        (utc(2026, 3, 16, 8, 0), A),  # 09:00 CET
        (utc(2026, 3, 23, 7, 59), A),
        (utc(2026, 3, 23, 8, 0), B),  # 09:00 CET
        # After spring forward 09:00 CEST is 07:00 UTC: the hand-off moves an hour earlier
        # in UTC, not in Berlin.
        (utc(2026, 3, 30, 6, 59), B),
        (utc(2026, 3, 30, 7, 0), C),
        (utc(2026, 3, 30, 7, 30), C),
        # Autumn: Oct 19 is week 31 (B, 09:00 CEST = 07:00 UTC); Oct 26 week 32 (C) starts
        # at 09:00 CET = 08:00 UTC.
        (utc(2026, 10, 19, 6, 59), A),
        (utc(2026, 10, 19, 7, 0), B),
        (utc(2026, 10, 26, 7, 30), B),
        (utc(2026, 10, 26, 8, 0), C),
    ],
)
def test_berlin_hand_off_stays_at_nine_local_across_dst(at, expected):
    assert who(BERLIN, at) == expected


# Sunday 12:00 in New York from Sunday 2026-03-01 (EST, -5): week 0 = A from 17:00 UTC.
# New York springs forward on 2026-03-08 and falls back on 2026-11-01.
NEW_YORK = Schedule((weekly("America/New_York", 6, time(12), date(2026, 3, 1)),))


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (utc(2026, 3, 1, 17, 0), A),
        (utc(2026, 3, 8, 15, 59), A),
        (utc(2026, 3, 8, 16, 0), B),  # 12:00 EDT
        # Nov 1 is week 35 (35 mod 5 = 0: A again) at 12:00 EST = 17:00 UTC; E before.
        (utc(2026, 11, 1, 16, 30), E),  # 11:30 EST
        (utc(2026, 11, 1, 17, 0), A),
    ],
)
def test_new_york_hand_off_stays_at_noon_local_across_dst(at, expected):
    assert who(NEW_YORK, at) == expected


def test_a_hand_off_in_the_missing_or_repeated_hour_is_taken_before_the_change():
    # Sunday 02:30 in Berlin, from 2026-03-22 (A). 2026-03-29 02:30 does not exist: the
    # hand-off is at 02:30 CET = 01:30 UTC. 2026-10-25 02:30 happens twice: the first
    # (CEST, 00:30 UTC) is the hand-off; 01:15 UTC is 02:15 CET, after it although its
    # wall time is earlier.
    schedule = Schedule((weekly("Europe/Berlin", 6, time(2, 30), date(2026, 3, 22)),))
    assert who(schedule, utc(2026, 3, 29, 1, 29)) == A
    assert who(schedule, utc(2026, 3, 29, 1, 30)) == B
    # Oct 25 is week 31 (31 mod 5 = 1: B); Oct 18 is week 30 (A).
    assert who(schedule, utc(2026, 10, 25, 0, 29)) == A
    assert who(schedule, utc(2026, 10, 25, 0, 30)) == B
    assert who(schedule, utc(2026, 10, 25, 1, 15)) == B


def test_the_week_spans_are_one_hour_short_and_long_across_dst():
    spring = shifts(BERLIN, utc(2026, 3, 23), utc(2026, 4, 6))
    assert [(s.user_id, s.starts_at, s.ends_at) for s in spring] == [
        (A, utc(2026, 3, 23), utc(2026, 3, 23, 8)),
        (B, utc(2026, 3, 23, 8), utc(2026, 3, 30, 7)),  # 167 hours
        (C, utc(2026, 3, 30, 7), utc(2026, 4, 6)),
    ]
    autumn = shifts(BERLIN, utc(2026, 10, 19, 7), utc(2026, 10, 26, 9))
    assert [(s.user_id, s.ends_at - s.starts_at) for s in autumn] == [
        (B, utc(2026, 10, 26, 8) - utc(2026, 10, 19, 7)),  # 169 hours
        (C, utc(2026, 10, 26, 9) - utc(2026, 10, 26, 8)),
    ]
    assert autumn[0].ends_at - autumn[0].starts_at == (utc(2026, 1, 8, 1) - utc(2026, 1, 1))


def test_a_later_layer_takes_over_from_its_first_hand_off():
    # From Monday 2026-04-06 a new rotation (E, A, B, C, D) at 10:00 Berlin replaces the old,
    # whose week 3 (D) began that day at 09:00 CEST.
    new = Layer("New", "Europe/Berlin", 0, time(10), date(2026, 4, 6), (E, A, B, C, D))
    schedule = Schedule((BERLIN.layers[0], new))
    assert who(schedule, utc(2026, 4, 6, 6, 59)) == C
    assert who(schedule, utc(2026, 4, 6, 7, 0)) == D  # old layer, 09:00 CEST
    assert on_call_at(schedule, utc(2026, 4, 6, 7)).layer == 0
    assert who(schedule, utc(2026, 4, 6, 8, 0)) == E  # new layer, 10:00 CEST
    assert on_call_at(schedule, utc(2026, 4, 6, 8)).layer == 1
    assert who(schedule, utc(2026, 4, 13, 7, 59)) == E
    assert who(schedule, utc(2026, 4, 13, 8, 0)) == A


# Follow-the-sun on Wednesday 2026-01-14 (winter: Berlin +1, New York -5, Sydney +11), each
# region 09:00-17:00 plus 2 h: Sydney 22:00-08:00 UTC, Berlin 08:00-18:00, New York 14:00-00:00.
def region(name: str, zone: str, people: tuple[int, ...]) -> Layer:
    return Layer(name, zone, 0, time(9), date(2026, 1, 5), people, region=Region(time(9), time(17)))


SUN = Schedule(
    (
        region("Sydney", "Australia/Sydney", (A,)),
        region("Berlin", "Europe/Berlin", (B,)),
        region("New York", "America/New_York", (C,)),
    )
)


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (utc(2026, 1, 14, 0, 0), A),  # New York's buffer has just ended
        (utc(2026, 1, 14, 7, 59), A),
        (utc(2026, 1, 14, 8, 0), B),  # Berlin opens, above Sydney
        (utc(2026, 1, 14, 13, 59), B),
        (utc(2026, 1, 14, 14, 0), C),  # New York opens, above Berlin
        (utc(2026, 1, 14, 22, 0), C),  # New York's buffer: 17:00-19:00 New York time
        (utc(2026, 1, 14, 23, 59), C),
    ],
)
def test_follow_the_sun_regions_cover_business_hours_plus_the_buffer(at, expected):
    assert who(SUN, at) == expected


def test_follow_the_sun_without_a_third_region_leaves_a_gap():
    two = Schedule(SUN.layers[1:])
    assert [(g.starts_at, g.ends_at) for g in gaps(two, utc(2026, 1, 14), utc(2026, 1, 15))] == [
        (utc(2026, 1, 14), utc(2026, 1, 14, 8)),
    ]
    # Summer: New York is -4 and Berlin +2: Berlin 07:00-17:00 UTC, New York 13:00-23:00.
    assert [(g.starts_at, g.ends_at) for g in gaps(two, utc(2026, 7, 15), utc(2026, 7, 16))] == [
        (utc(2026, 7, 15), utc(2026, 7, 15, 7)),
        (utc(2026, 7, 15, 23), utc(2026, 7, 16)),
    ]


def test_an_override_wins_over_every_layer_for_its_window_only():
    cover = Override(E, utc(2026, 3, 24, 18), utc(2026, 3, 25, 6), replaces=B)
    schedule = Schedule(BERLIN.layers, (cover,))
    assert who(schedule, utc(2026, 3, 24, 17, 59)) == B
    assert who(schedule, utc(2026, 3, 24, 18)) == E
    assert on_call_at(schedule, utc(2026, 3, 24, 18)).override == cover
    assert who(schedule, utc(2026, 3, 25, 6)) == B
    assert [
        (s.user_id, s.starts_at) for s in shifts(schedule, utc(2026, 3, 24), utc(2026, 3, 26))
    ] == [
        (B, utc(2026, 3, 24)),
        (E, utc(2026, 3, 24, 18)),
        (B, utc(2026, 3, 25, 6)),
    ]


def test_one_persons_shifts_merge_across_sources():
    # E covers the last day of D's week and runs straight into E's own week.
    cover = Override(E, utc(2026, 4, 12, 8), utc(2026, 4, 13, 7), replaces=D)
    schedule = Schedule(BERLIN.layers, (cover,))
    mine = shifts_of(schedule, E, utc(2026, 4, 1), utc(2026, 4, 30))
    assert [(s.starts_at, s.ends_at) for s in mine] == [(utc(2026, 4, 12, 8), utc(2026, 4, 20, 7))]


def test_a_naive_instant_is_refused():
    with pytest.raises(ValueError):
        on_call_at(BERLIN, datetime(2026, 3, 30, 7))
