"""The entry or post-mortem section behind a live document: its text and version, whether
it may be edited, where its document is stored, and committing a settled burst to it."""

from __future__ import annotations

from dataclasses import dataclass

from ...errors import DomainError
from ...models import Incident
from .. import timeline
from ..postmortem import sections
from ..postmortem.workspace import editable_postmortem, require_postmortem
from .documents import Burst
from .policy import ENTRY, DocumentName


@dataclass(frozen=True)
class LiveRecord:
    text: str
    version: int
    # A section's document belongs to one revision of the post-mortem: a new revision
    # starts from its own text.
    stored_name: str


def record_of(incident: Incident, name: DocumentName, writing: bool = False) -> LiveRecord:
    """The record behind `name`; `writing` refuses what is read-only (a deleted entry, a
    published post-mortem)."""
    if name.kind == ENTRY:
        entry = timeline.entry_in(incident, name.key)
        if writing and entry.deleted:
            raise DomainError(
                "forbidden", "This entry was deleted; restore it to edit it.", field="doc"
            )
        return LiveRecord(entry.text, entry.version, str(name))
    postmortem = editable_postmortem(incident) if writing else require_postmortem(incident)
    section = sections.section_of(postmortem, name.key)
    return LiveRecord(section.text, section.version, f"section:{postmortem.id}:{name.key}")


def commit_burst(incident: Incident, name: DocumentName, burst: Burst) -> int:
    """The burst as one revision of its record (when its text changed); the record's version."""
    if name.kind == ENTRY:
        return timeline.commit_live_text(incident, name.key, burst.text, burst.authors)
    return sections.commit_live_text(incident, name.key, burst.text, burst.authors)
