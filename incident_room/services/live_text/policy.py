"""The rules of live text (docs/protocol-live-text.md)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from ...errors import invalid
from ...wire.postmortem import SECTION_KEYS

ENTRY = "entry"
SECTION = "section"
# Updates stored apart before they are folded into the document's snapshot.
COMPACT_EVERY = 50
# The longest encoded relative position a cursor may carry.
MAX_POSITION_BYTES = 64


@dataclass(frozen=True)
class DocumentName:
    """What the wire calls a document: `entry:<uuid>` or `section:<key>`."""

    kind: str
    key: str

    def __str__(self) -> str:
        return f"{self.kind}:{self.key}"


def entry_document(entry_id: str) -> DocumentName:
    return DocumentName(ENTRY, entry_id)


def section_document(key: str) -> DocumentName:
    return DocumentName(SECTION, key)


def stored_section_name(postmortem_id: int, key: str) -> str:
    """A section's document belongs to one revision of the post-mortem: a new revision
    starts from its own text."""
    return f"{SECTION}:{postmortem_id}:{key}"


def name_of_stored(stored: str) -> DocumentName:
    """The wire name of a stored document (a section's carries its revision's id)."""
    kind, _, rest = stored.partition(":")
    return DocumentName(kind, rest.rpartition(":")[2])


def parse_name(value: Any) -> DocumentName:
    if isinstance(value, str) and len(value) <= 60:
        kind, _, key = value.partition(":")
        if kind == ENTRY:
            try:
                return entry_document(str(uuid.UUID(key)))
            except ValueError:
                pass
        elif kind == SECTION and key in SECTION_KEYS:
            return section_document(key)
    raise invalid("doc", "doc must be entry:<entry id> or section:<section key>.")


def burst_too_long(started: datetime, at: datetime, max_seconds: float) -> bool:
    return at - started >= timedelta(seconds=max_seconds)


def burst_settled(
    started: datetime, last: datetime, at: datetime, idle_seconds: float, max_seconds: float
) -> bool:
    """A burst settles when its document has been idle long enough, or it has gone on too long."""
    return at - last >= timedelta(seconds=idle_seconds) or burst_too_long(started, at, max_seconds)
