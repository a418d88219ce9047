"""Every version of a section or action item, kept so concurrent edits merge on a real
base and nothing anyone wrote is lost."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ...clock import now
from ...errors import invalid
from ...extensions import db
from ...models import Postmortem, PostmortemChange, User
from ..merge import merge_fields


def section_part(key: str) -> str:
    return f"section:{key}"


def action_item_part(item_id: str) -> str:
    return f"action_item:{item_id}"


def record_change(
    postmortem: Postmortem,
    part: str,
    version: int,
    action: str,
    actor: User | None,
    fields: dict[str, Any],
) -> None:
    db.session.add(
        PostmortemChange(
            postmortem_id=postmortem.id,
            part=part,
            version=version,
            action=action,
            actor_id=actor.id if actor else None,
            at=now(),
            fields=fields,
        )
    )


def _fields_at(postmortem: Postmortem, part: str, version: int, current_version: int) -> dict:
    if version > current_version:
        raise invalid("base_version", "base_version is newer than the current version.")
    change = db.session.scalar(
        select(PostmortemChange).filter_by(postmortem_id=postmortem.id, part=part, version=version)
    )
    if change is None:
        raise invalid("base_version", "No such version.")
    return change.fields


def merge_onto_current(
    postmortem: Postmortem,
    part: str,
    current: dict[str, Any],
    current_version: int,
    base_version: int,
    changes: dict[str, Any],
) -> dict[str, Any]:
    """The fields after applying `changes`, made from `base_version`, on top of `current`.

    Raises MergeConflict when a change overlaps one made meanwhile.
    """
    base = _fields_at(postmortem, part, base_version, current_version)
    return merge_fields(base, current, changes)
