"""The sections the team writes, co-edited live: versioned, merged when edits do not
overlap, refused as a conflict (with the current text) when they do."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from ...clock import now
from ...errors import DomainError
from ...extensions import db
from ...models import Incident, LiveTextDocument, Postmortem, PostmortemSection, User
from ...unit_of_work import EventType
from ...wire.people import user_ref
from ...wire.postmortem import SECTION_KEYS, SECTION_LABELS, section_dict
from ..live_text import documents as live_documents
from ..live_text.policy import stored_section_name
from ..merge import MergeConflict
from .blameless import part_flags
from .history import merge_onto_current, record_change, section_part
from .workspace import editable_postmortem, record_postmortem_event, require_postmortem


@dataclass(frozen=True)
class SectionEdit:
    key: str
    base_version: int
    text: str


def add_section(
    postmortem: Postmortem,
    key: str,
    actor: User | None,
    text: str = "",
    authors: list[dict[str, Any]] | None = None,
) -> None:
    db.session.add(
        PostmortemSection(
            postmortem_id=postmortem.id, key=key, text=text, version=1, authors=authors or []
        )
    )
    record_change(postmortem, section_part(key), 1, "create", actor, {"text": text})


def sections_of(postmortem: Postmortem) -> list[PostmortemSection]:
    """The sections in the order the document shows them."""
    rows = db.session.scalars(select(PostmortemSection).filter_by(postmortem_id=postmortem.id))
    by_key = {row.key: row for row in rows}
    return [by_key[key] for key in SECTION_KEYS if key in by_key]


def section_of(postmortem: Postmortem, key: str) -> PostmortemSection:
    section = db.session.scalar(
        select(PostmortemSection).filter_by(postmortem_id=postmortem.id, key=key)
    )
    if section is None:
        raise DomainError("not_found", "No such section.", field="section")
    return section


def _credit(section: PostmortemSection, actor: User) -> None:
    if all(author["id"] != actor.id for author in section.authors):
        section.authors = [*section.authors, user_ref(actor)]


def _revised(
    incident: Incident,
    postmortem: Postmortem,
    section: PostmortemSection,
    text: str,
    actors: list[User],
    data: dict[str, Any],
) -> dict[str, Any]:
    """The section's new text as its next version, credited to `actors` (the last one
    recorded as the change's actor), and its event."""
    actor = actors[-1]
    section.text = text
    section.version += 1
    section.updated_at = now()
    section.updated_by = actor
    for author in actors:
        _credit(section, author)
    part = section_part(section.key)
    record_change(postmortem, part, section.version, "edit", actor, {"text": text})
    db.session.flush()
    data = {
        "section": section_dict(section),
        **data,
        "blameless": part_flags(incident.id, part, section.text),
    }
    record_postmortem_event(incident, postmortem, EventType.POSTMORTEM_SECTION_EDITED, actor, data)
    return data


def commit_live_text(incident: Incident, key: str, text: str, authors: list[User]) -> int:
    """A settled burst of live editing (services/live_text) as one version of the
    section, credited to everyone who typed in it; the section's version."""
    postmortem = require_postmortem(incident)
    section = section_of(postmortem, key)
    if section.text != text and authors:
        live = {"merged": False, "live": True, "authors": [a.to_public() for a in authors]}
        _revised(incident, postmortem, section, text, authors, live)
    return section.version


def _live_document(incident: Incident, postmortem: Postmortem, key: str) -> LiveTextDocument | None:
    """The section's live document, its open burst committed first (so an edit that does
    not come through live text merges with what was typed live)."""
    return live_documents.settled_document(
        incident.id,
        stored_section_name(postmortem.id, key),
        lambda burst: commit_live_text(incident, key, burst.text, burst.authors),
    )


def commit_live_bursts(incident: Incident, postmortem: Postmortem) -> None:
    """Every section's open burst of live editing, as its revision now (before publishing)."""
    for section in sections_of(postmortem):
        _live_document(incident, postmortem, section.key)


def edit_section(incident: Incident, actor: User, edit: SectionEdit) -> dict[str, Any]:
    postmortem = editable_postmortem(incident)
    section = section_of(postmortem, edit.key)
    document = _live_document(incident, postmortem, section.key)
    part = section_part(section.key)
    current = {"text": section.text}
    try:
        merged = merge_onto_current(
            postmortem, part, current, section.version, edit.base_version, {"text": edit.text}
        )
    except MergeConflict:
        raise DomainError(
            "conflict",
            f"Someone changed the same words of {SECTION_LABELS[section.key]} meanwhile.",
            current=section_dict(section),
            field="text",
        ) from None
    if merged == current:
        return {"section": section_dict(section), "merged": False, "unchanged": True}
    was_merged = edit.base_version != section.version
    data = _revised(incident, postmortem, section, merged["text"], [actor], {"merged": was_merged})
    if document is not None:
        live_documents.write_text(document, section.text, section.version, actor)
    return data
