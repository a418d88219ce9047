"""The sections the team writes, co-edited live: versioned, merged when edits do not
overlap, refused as a conflict (with the current text) when they do."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from ...clock import now
from ...errors import DomainError
from ...extensions import db
from ...models import Incident, Postmortem, PostmortemSection, User
from ...unit_of_work import EventType
from ...wire.people import user_ref
from ...wire.postmortem import SECTION_KEYS, SECTION_LABELS, section_dict
from ..merge import MergeConflict
from .blameless import part_flags
from .history import merge_onto_current, record_change, section_part
from .workspace import editable_postmortem, record_postmortem_event


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


def _section(postmortem: Postmortem, key: str) -> PostmortemSection:
    section = db.session.scalar(
        select(PostmortemSection).filter_by(postmortem_id=postmortem.id, key=key)
    )
    if section is None:
        raise DomainError("not_found", "No such section.", field="section")
    return section


def _credit(section: PostmortemSection, actor: User) -> None:
    if all(author["id"] != actor.id for author in section.authors):
        section.authors = [*section.authors, user_ref(actor)]


def edit_section(incident: Incident, actor: User, edit: SectionEdit) -> dict[str, Any]:
    postmortem = editable_postmortem(incident)
    section = _section(postmortem, edit.key)
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
    section.text = merged["text"]
    section.version += 1
    section.updated_at = now()
    section.updated_by = actor
    _credit(section, actor)
    record_change(postmortem, part, section.version, "edit", actor, merged)
    db.session.flush()
    data = {
        "section": section_dict(section),
        "merged": was_merged,
        "blameless": part_flags(incident.id, part, section.text),
    }
    record_postmortem_event(incident, postmortem, EventType.POSTMORTEM_SECTION_EDITED, actor, data)
    return data
