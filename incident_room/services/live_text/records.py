"""The entry or post-mortem section behind a live document: its text and version, whether
it may be edited, where its document is stored, and committing a settled burst to it."""

from __future__ import annotations

from dataclasses import dataclass

from ...errors import DomainError
from ...models import Incident
from .. import timeline
from ..postmortem import sections
from ..postmortem.workspace import editable_postmortem_id, require_postmortem
from .documents import Burst
from .policy import ENTRY, DocumentName, stored_section_name


@dataclass(frozen=True)
class LiveRecord:
    text: str
    version: int
    stored_name: str


def record_of(incident: Incident, name: DocumentName) -> LiveRecord:
    """The record behind `name`, as a newly opened document starts from it."""
    if name.kind == ENTRY:
        entry = timeline.entry_in(incident, name.key)
        return LiveRecord(entry.text, entry.version, str(name))
    postmortem = require_postmortem(incident)
    section = sections.section_of(postmortem, name.key)
    return LiveRecord(section.text, section.version, stored_section_name(postmortem.id, name.key))


def writable_name(incident: Incident, name: DocumentName) -> str:
    """Where the document behind `name` is stored, when it may be written: not a deleted
    entry, not a published post-mortem. One small query, as it runs once a keystroke."""
    if name.kind == ENTRY:
        if timeline.entry_deleted(incident, name.key):
            raise DomainError(
                "forbidden", "This entry was deleted; restore it to edit it.", field="doc"
            )
        return str(name)
    return stored_section_name(editable_postmortem_id(incident.id), name.key)


def commit_burst(incident: Incident, name: DocumentName, burst: Burst) -> int:
    """The burst as one revision of its record (when its text changed); the record's version."""
    if name.kind == ENTRY:
        return timeline.commit_live_text(incident, name.key, burst.text, burst.authors)
    return sections.commit_live_text(incident, name.key, burst.text, burst.authors)
