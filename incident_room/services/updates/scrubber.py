"""Taking out of free text what must not reach the public: addresses, hosts and names."""

from __future__ import annotations

import re

from sqlalchemy import select

from ...extensions import db
from ...models import Incident, User
from ..participants import participant_ids


class Scrubber:
    """Takes out of free text what must not reach the public: emails, URLs, IP addresses,
    hostnames (dotted names, or hyphenated names with digits such as db-prod-3) and the
    names of the people in the incident. Crude on purpose: a person reads the draft."""

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

    def __init__(self, names: set[str]) -> None:
        words = sorted((n for n in names if len(n) >= 3), key=len, reverse=True)
        self.names = (
            re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b", re.IGNORECASE)
            if words
            else None
        )

    @classmethod
    def for_incident(cls, incident: Incident) -> Scrubber:
        users = db.session.scalars(select(User).where(User.id.in_(participant_ids(incident.id))))
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
        if self.names is not None:
            text = self.names.sub("the team", text)
        return text
