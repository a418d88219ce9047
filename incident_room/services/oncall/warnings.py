"""The playbook's rotation rules, checked on a proposed schedule before it is saved."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ...policy import ROTATION_MIN_PEOPLE
from .rotation import Schedule


@dataclass(frozen=True)
class PlaybookWarning:
    """A rule a schedule breaks; saving anyway needs a confirmation."""

    rule: str  # "same_person_twice" | "too_few_people"
    layer: str
    message: str


def playbook_warnings(schedule: Schedule, names: Mapping[int, str]) -> list[PlaybookWarning]:
    warnings: list[PlaybookWarning] = []
    for layer in schedule.layers:
        people = layer.people
        distinct = len(set(people))
        if distinct < ROTATION_MIN_PEOPLE:
            warnings.append(
                PlaybookWarning(
                    "too_few_people",
                    layer.name,
                    f"{layer.name} rotates {distinct} "
                    f"{'person' if distinct == 1 else 'people'}: the playbook asks for at "
                    f"least {ROTATION_MIN_PEOPLE} (one week in {ROTATION_MIN_PEOPLE}).",
                )
            )
        twice = sorted(
            {
                people[week]
                for week in range(len(people))
                if people[week] == people[(week + 1) % len(people)]
            }
        )
        for person in twice:
            warnings.append(
                PlaybookWarning(
                    "same_person_twice",
                    layer.name,
                    f"{layer.name}: {names.get(person, 'someone')} is on call two weeks "
                    "in a row; the playbook asks for a gap between their weeks.",
                )
            )
    return warnings
