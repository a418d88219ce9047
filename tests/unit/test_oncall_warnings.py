"""The playbook's rotation rules on a proposed schedule: same person twice, too few people."""

from __future__ import annotations

from datetime import date, time

from incident_room.services.oncall.rotation import Layer, Schedule
from incident_room.services.oncall.warnings import playbook_warnings

NAMES = {1: "Ann", 2: "Bo", 3: "Cy", 4: "Di", 5: "Ed"}


def layer(*people: int) -> Layer:
    return Layer("Primary", "Europe/Berlin", 0, time(9), date(2026, 3, 16), people)


def rules(*people: int) -> list[tuple[str, str]]:
    warnings = playbook_warnings(Schedule((layer(*people),)), NAMES)
    return [(w.rule, w.message) for w in warnings]


def test_five_people_in_turn_break_no_rule():
    assert rules(1, 2, 3, 4, 5) == []


def test_fewer_than_five_people_is_warned_about():
    assert rules(1, 2, 3, 4) == [
        (
            "too_few_people",
            "Primary rotates 4 people: the playbook asks for at least 5 (one week in 5).",
        )
    ]


def test_the_same_person_two_weeks_running_is_warned_about_also_across_the_wrap():
    assert [r for r, _ in rules(1, 2, 2, 3, 4, 5)] == ["same_person_twice"]
    assert rules(1, 2, 3, 4, 5, 1)[0][1] == (
        "Primary: Ann is on call two weeks in a row; the playbook asks for a gap between "
        "their weeks."
    )


def test_one_person_alone_breaks_both_rules():
    assert [r for r, _ in rules(3)] == ["too_few_people", "same_person_twice"]
