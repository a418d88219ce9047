"""Taking out of free text what must not reach the public: addresses, hosts and names."""

from __future__ import annotations

import re

from sqlalchemy import select

from ...extensions import db
from ...models import Incident, IncidentEvent, RoleAssignment, User
from ...unit_of_work import EventType
from ..participants import participant_ids

MEMBER_EVENTS = (EventType.MEMBER_INVITED, EventType.MEMBER_REMOVED)


def everyone_involved(incident_id: int) -> set[int]:
    """Everyone who ever had a part in the incident, removed members and past roles too:
    being removed does not make a name public."""
    actors = db.session.scalars(
        select(IncidentEvent.actor_id).where(IncidentEvent.incident_id == incident_id).distinct()
    )
    roles = db.session.scalars(
        select(RoleAssignment.user_id).where(RoleAssignment.incident_id == incident_id)
    )
    member_events = db.session.scalars(
        select(IncidentEvent.data).where(
            IncidentEvent.incident_id == incident_id, IncidentEvent.type.in_(MEMBER_EVENTS)
        )
    )
    named = {(data.get("member") or {}).get("id") for data in member_events}
    ids = set(actors) | set(roles) | named | participant_ids(incident_id)
    return {user_id for user_id in ids if isinstance(user_id, int)}


class Scrubber:
    """Takes out of free text what must not reach the public: emails, URLs, IP addresses,
    hostnames (dotted names, or hyphenated names with digits such as db-prod-3) and the
    names of everyone involved in the incident, and any name after a title word ("Dr Kim",
    "user carol"). Names next to each other ("alice and bob") become one "the team". Crude on
    purpose: a person reads the draft."""

    INTERNAL = "[internal]"
    PATTERNS = (
        re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"),
        re.compile(r"\b[a-z][a-z0-9+.-]*://\S+", re.IGNORECASE),
        re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b"),
        re.compile(r"\b(?:[0-9a-f]{0,4}:){3,7}[0-9a-f]{1,4}\b", re.IGNORECASE),
        re.compile(r"\b(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}\b(?::\d+)?", re.IGNORECASE),
    )
    HYPHENATED = re.compile(r"\b[a-z][a-z0-9]*(?:-[a-z0-9]+)+\b", re.IGNORECASE)
    SEVERITY_WORD = re.compile(r"sev-?\d", re.IGNORECASE)
    # A title word and the capitalised name it introduces, known to us or not ("Dr Kim",
    # "User Carol"); a title word before a known name goes with it ("user carol"); "user
    # sessions" is left alone.
    TITLE = r"\b(?i:mr|mrs|ms|mx|miss|dr|prof|sir|madam|user|engineer|colleague|admin|operator)\.?"
    TITLED = re.compile(TITLE + r"\s+[A-Z][\w'-]*")
    PERSON = "\x00"  # a name taken out, before runs of them are joined
    TITLED_PERSON = re.compile(TITLE + r"\s+\x00")
    RUN_OF_PEOPLE = re.compile(r"\x00(?:(?:\s*,\s*|\s+(?:and|&|\+)\s+|\s+)\x00)*")

    def __init__(self, names: set[str]) -> None:
        words = sorted((n for n in names if len(n) >= 3), key=len, reverse=True)
        self.names = (
            re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b", re.IGNORECASE)
            if words
            else None
        )

    @classmethod
    def for_incident(cls, incident: Incident) -> Scrubber:
        users = db.session.scalars(select(User).where(User.id.in_(everyone_involved(incident.id))))
        names: set[str] = set()
        for user in users:
            names.add(user.username)
            names.add(user.display_name)
            names.update(part for part in user.display_name.split() if part.isalpha())
        return cls(names)

    def _host_like(self, match: re.Match[str]) -> str:
        word = match.group(0)
        if any(c.isdigit() for c in word) and not self.SEVERITY_WORD.fullmatch(word):
            return self.INTERNAL
        return word

    def __call__(self, text: str) -> str:
        for pattern in self.PATTERNS:
            text = pattern.sub(self.INTERNAL, text)
        text = self.HYPHENATED.sub(self._host_like, text)
        text = self.TITLED.sub(self.PERSON, text)
        if self.names is not None:
            text = self.names.sub(self.PERSON, text)
        text = self.TITLED_PERSON.sub(self.PERSON, text)
        return self.RUN_OF_PEOPLE.sub("the team", text)
