"""A gentle blameless aid: point at phrases that blame people, suggest a systems framing.

Incidents are failures of systems, not people (../shared/DOMAIN.md). The flags are
advice shown next to the text; they never block saving or publishing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..participants import participants_state

JUDGEMENT = (
    "Words about a person's character do not explain the failure. Describe what the "
    "system made easy or hard at that moment."
)
HINDSIGHT = (
    "Hindsight makes it look obvious. Say what was known at the time, and what would "
    "have surfaced the rest sooner (an alert, a check, a clearer runbook)."
)
HUMAN_ERROR = (
    "'Human error' is where the investigation starts, not where it ends: what let the "
    "action through, and what would catch it next time?"
)
FAULT = "Instead of whose fault it was, describe what the system allowed and what will change."
NAMED = (
    "A named person as the subject of a failure reads as blame. Try describing the action "
    "and its conditions: 'the deploy ran without a canary' rather than '{name} broke it'."
)

PHRASES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), suggestion)
    for pattern, suggestion in (
        (
            r"\b(?:careless\w*|sloppy|negligen\w*|incompeten\w*|lazy|stupid|dumb|reckless\w*)\b",
            JUDGEMENT,
        ),
        (
            r"\bshould(?:\s+have|'ve)\s+(?:known|caught|noticed|checked|seen|reali[sz]ed)\b",
            HINDSIGHT,
        ),
        (r"\b(?:human|operator|user)\s+error\b", HUMAN_ERROR),
        (r"\b[\w-]+(?:'s|\u2019s)\s+fault\b|\bfault\s+of\b|\b(?:to\s+)?blame[sd]?\b", FAULT),
    )
)
FAILURE_VERBS = (
    r"(?i:broke|caused|forgot|missed|messed\s+up|screwed\s+up|botched|failed(?:\s+to)?|"
    r"ignored|neglected|overlooked|didn't|did\s+not|should\s+have|deleted|dropped|pushed)"
)


@dataclass(frozen=True)
class BlameFlag:
    phrase: str
    start: int
    end: int
    suggestion: str

    def to_dict(self, where: str) -> dict[str, Any]:
        return {
            "where": where,
            "phrase": self.phrase,
            "start": self.start,
            "end": self.end,
            "suggestion": self.suggestion,
        }


def names_to_watch(people: Iterable[dict[str, Any]]) -> list[str]:
    """Display names, each part of them, and usernames of the people in the incident."""
    names: set[str] = set()
    for person in people:
        display = person["display_name"].strip()
        names.update({display, person["username"], *display.split()})
    return sorted((name for name in names if len(name) >= 2), key=len, reverse=True)


def _named_subject(names: list[str]) -> re.Pattern[str] | None:
    if not names:
        return None
    alternatives = "|".join(re.escape(name) for name in names)
    return re.compile(rf"\b(?P<name>{alternatives})\s+(?:\w+\s+)?{FAILURE_VERBS}\b")


# Any capitalised word inside a sentence (not its first word) before a failure verb: a
# person's name, very likely, whether or not they were in the incident ("Because John
# pushed a bad deploy"). Words that start sentences or name systems are left alone.
NOT_NAMES = frozenset(
    [
        "The",
        "This",
        "That",
        "These",
        "Those",
        "It",
        "Its",
        "We",
        "They",
        "Our",
        "Their",
        "He",
        "She",
        "A",
        "An",
        "And",
        "But",
        "Because",
        "Then",
        "When",
        "While",
        "After",
        "Before",
        "If",
        "So",
        "Also",
        "Nobody",
        "Someone",
        "Everyone",
        "Each",
        "Every",
        "No",
        "One",
    ]
)
ANY_NAME = re.compile(rf"(?<=[a-z,;:] )(?P<name>[A-Z][a-z]+)\s+(?:\w+\s+)?{FAILURE_VERBS}\b")


def _any_named(text: str) -> list[BlameFlag]:
    return [
        BlameFlag(match.group(0), match.start(), match.end(), NAMED.format(name=match["name"]))
        for match in ANY_NAME.finditer(text)
        if match["name"] not in NOT_NAMES
    ]


def find_blame(text: str, names: list[str]) -> list[BlameFlag]:
    """The blaming phrases in `text`, in order, each with a suggestion."""
    flags = [
        BlameFlag(match.group(0), match.start(), match.end(), suggestion)
        for pattern, suggestion in PHRASES
        for match in pattern.finditer(text)
    ]
    if (named := _named_subject(names)) is not None:
        flags.extend(
            BlameFlag(match.group(0), match.start(), match.end(), NAMED.format(name=match["name"]))
            for match in named.finditer(text)
        )
    flags.extend(
        flag
        for flag in _any_named(text)
        if not any(other.start < flag.end and flag.start < other.end for other in flags)
    )
    return sorted(flags, key=lambda flag: flag.start)


def document_flags(
    sections: list[dict[str, Any]],
    action_items: list[dict[str, Any]],
    names: list[str],
    timeline: list[dict[str, Any]] = (),
) -> list[dict[str, Any]]:
    """Flags for every section, action item and timeline entry (the post-mortem's copy) of a
    document, each saying where it is."""
    texts = [(f"section:{s['key']}", s["text"]) for s in sections]
    texts += [(f"action_item:{item['id']}", item["text"]) for item in action_items]
    texts += [(f"entry:{entry['id']}", entry["text"]) for entry in timeline]
    return [flag.to_dict(where) for where, text in texts for flag in find_blame(text, names)]


def part_flags(incident_id: int, where: str, text: str) -> list[dict[str, Any]]:
    """Flags for one section or action item, sent with its change so editors see them live."""
    names = names_to_watch(participants_state(incident_id))
    return [flag.to_dict(where) for flag in find_blame(text, names)]
