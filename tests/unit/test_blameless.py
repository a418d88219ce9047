"""The blameless aid flags blaming phrases with a suggestion, and leaves plain facts alone."""

import pytest

from incident_room.services.postmortem.blameless import find_blame, names_to_watch

PEOPLE = [
    {"username": "fox", "display_name": "Fox Mulder"},
    {"username": "dana", "display_name": "Dana Scully"},
]
NAMES = names_to_watch(PEOPLE)


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("The change was careless.", "careless"),
        ("Ops should have known the pool was small.", "should have known"),
        ("Root cause: human error.", "human error"),
        ("It was Fox's fault.", "Fox's fault"),
        ("Fox broke checkout.", "Fox broke"),
        ("Dana Scully forgot the flag.", "Dana Scully forgot"),
        ("fox accidentally deleted the index", "fox accidentally deleted"),
        ("Mulder failed to page the vendor.", "Mulder failed to"),
        ("Nobody is to blame here.", "to blame"),
        # Anyone named as the cause, in the incident or not:
        ("Because John pushed a bad deploy without testing it.", "John pushed"),
        ("The outage began when Priya forgot the flag.", "Priya forgot"),
    ],
)
def test_blaming_phrases_are_flagged_with_a_suggestion(text: str, phrase: str) -> None:
    flags = find_blame(text, NAMES)
    assert [flag.phrase for flag in flags] == [phrase]
    assert text[flags[0].start : flags[0].end] == phrase
    assert flags[0].suggestion


@pytest.mark.parametrize(
    "text",
    [
        "The deploy ran without a canary and the pool was exhausted.",
        "Fox rolled back deploy 4211 at 02:40.",
        "Dana paged the database vendor.",
        "The error rate fell after the failover.",
        "Because the deploy pushed a bad config, checkout failed.",
        "Redis dropped connections under load.",  # a sentence's first word is not a name
    ],
)
def test_plain_facts_are_not_flagged(text: str) -> None:
    assert find_blame(text, NAMES) == []


def test_names_include_display_names_their_parts_and_usernames() -> None:
    assert {"Fox Mulder", "Fox", "Mulder", "fox", "Dana Scully", "Dana", "dana"} <= set(NAMES)
